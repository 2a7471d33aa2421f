/// Merges the runs of many snapshots into one per ARN, keeping the newest record of each.
public struct RunMerger: Sendable {
  private var newest: [String: AssessmentRun] = [:]
  private var failed: [String: FailedItem] = [:]
  /// How many run entries were read in all.
  public private(set) var entries = 0

  /// An empty merger.
  public init() {}

  /// Adds every run and failed item of `snapshot`.
  public mutating func add(_ snapshot: Snapshot) {
    for run in snapshot.runs {
      entries += 1
      if let kept = newest[run.arn], !Self.isNewer(run, than: kept) { continue }
      newest[run.arn] = run
    }
    for item in snapshot.failedItems {
      if let kept = failed[item.arn], !Self.precedes(kept.source, item.source) { continue }
      failed[item.arn] = item
    }
  }

  /// The kept runs, ordered by ARN.
  public var runs: [AssessmentRun] {
    unorderedRuns.sorted { $0.arn < $1.arn }
  }

  /// The kept runs in no particular order, for callers that order them their own way.
  public var unorderedRuns: [AssessmentRun] {
    Array(newest.values)
  }

  /// The failed items, one per ARN, ordered by ARN.
  public var failedItems: [FailedItem] {
    failed.values.sorted { $0.arn < $1.arn }
  }

  /// Whether `candidate` is a later record of the same run than `kept`.
  ///
  /// Later `stateChangedAt` wins, then more state changes. Records equal on both are usually
  /// copies; the rest of the order only makes the choice independent of the order inputs come in.
  static func isNewer(_ candidate: AssessmentRun, than kept: AssessmentRun) -> Bool {
    let (a, b) = (candidate, kept)
    let (changedA, changedB) = (lastChange(a), lastChange(b))
    if changedA != changedB { return (changedA ?? .init(microseconds: .min)) > (changedB ?? .init(microseconds: .min)) }
    if a.stateChanges.count != b.stateChanges.count { return a.stateChanges.count > b.stateChanges.count }
    if a.notifications.total != b.notifications.total { return a.notifications.total > b.notifications.total }
    return precedes(b.source, a.source)
  }

  private static func lastChange(_ run: AssessmentRun) -> Timestamp? {
    run.stateChangedAt ?? run.stateChanges.map(\.at).max()
  }

  /// Orders sources by file name, then place, so ties resolve the same way whatever the input order.
  private static func precedes(_ a: SourceLocation, _ b: SourceLocation) -> Bool {
    (a.file, a.line, a.column) < (b.file, b.line, b.column)
  }
}

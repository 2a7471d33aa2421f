/// Merges the runs of many snapshots into one per ARN, keeping the newest record of each.
struct RunMerger: Sendable {
  /// The snapshots added, which hold the runs; the merger keeps positions in them, not copies.
  private var snapshots: [Snapshot] = []
  /// Where the newest record of each ARN is. Copying every run in here touched a dozen cold heap objects per
  /// run on one core (13 ms for 10,000 runs); a position touches none.
  private var newest: [String: RunPosition] = [:]
  private var failed: [String: FailedItem] = [:]
  /// How many run entries were read in all.
  private(set) var entries = 0

  private struct RunPosition {
    let snapshot: Int
    let run: Int
  }

  /// An empty merger.
  init() {}

  /// An empty merger with room for `runs` ARNs, so that merging that many does not rehash the ones before.
  init(expectedRuns runs: Int) {
    newest.reserveCapacity(runs)
  }

  /// Adds every run and failed item of `snapshot`.
  mutating func add(_ snapshot: Snapshot) {
    let number = snapshots.count
    snapshots.append(snapshot)
    // By index, so that no run is copied (and its strings and lists retained) only to read its ARN.
    for index in snapshot.runs.indices {
      entries += 1
      let arn = snapshot.runs[index].arn
      if let kept = newest[arn], !Self.isNewer(snapshot.runs[index], than: run(at: kept)) { continue }
      newest[arn] = RunPosition(snapshot: number, run: index)
    }
    for item in snapshot.failedItems {
      if let kept = failed[item.arn], !Self.precedes(kept.source, item.source) { continue }
      failed[item.arn] = item
    }
  }

  private func run(at position: RunPosition) -> AssessmentRun {
    snapshots[position.snapshot].runs[position.run]
  }

  /// The kept runs, ordered by ARN.
  var runs: [AssessmentRun] {
    newest.values.map(run(at:)).sorted { $0.arn < $1.arn }
  }

  /// `transform` of each kept run, on all cores, in input order: the order the runs lie in memory, and, in
  /// snapshots taken over time, nearly the order of their creation.
  ///
  /// The dictionary's own order scattered the reads of runs over all the decoded inputs, and what `transform`
  /// makes over the heap: a later walk in creation order then missed the cache at every run.
  ///
  /// Each slice of runs has its own `state` from `makeState`, for sums taken as the runs are made; the states
  /// come back in input order too.
  func mapRuns<State: Sendable, T: Sendable>(
    state makeState: @Sendable () -> State, _ transform: @Sendable (inout State, consuming AssessmentRun) -> T
  ) -> (values: [T], states: [State]) {
    newest.values.sorted { ($0.snapshot, $0.run) < ($1.snapshot, $1.run) }
      .concurrentMap(minimumSlice: 256, makeState: makeState) { state, position in
        transform(&state, run(at: position))
      }
  }

  /// The failed items, one per ARN, ordered by ARN.
  var failedItems: [FailedItem] {
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
    if a.notifications.counts.total != b.notifications.counts.total {
      return a.notifications.counts.total > b.notifications.counts.total
    }
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

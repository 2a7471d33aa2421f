import TemplateEngine

/// Builds the value tree every template renders and `report.json` encodes.
///
/// The tree holds only plain values, so a template author can read `report.json` to see exactly what
/// a template receives. Mustache iterates lists, not maps, so maps that templates show come twice:
/// as a map for programs (`findings`) and as an ordered list for templates (`findingList`).
public enum ReportContext {
  /// The tool's version.
  public static let toolVersion = "0.1.0"

  /// The context for `report`.
  ///
  /// The runs are built a part at a time as they are read (`ListParts`); the rest of the tree is built here.
  public static func make(_ report: Report) -> ValueTree {
    var builder = ContextBuilder()
    let root = builder.report(report)
    let tree = builder.tree.finish(root: root)
    precondition(tree.segmentCount == runSegment, "everything but the runs is built in one segment")
    return tree
  }

  /// The segment the parts of the runs are read in: the one after the rest of the tree's.
  static let runSegment = 1
}

/// The report's runs, built a part at a time: each part's values when a reader reaches it.
struct RunParts: ListParts {
  let runs: [AnalyzedRun]
  let now: Timestamp?
  /// The buffers of parts let go, which later parts are built in: they are in the cache, and fresh memory
  /// first has to be faulted in from the system.
  private let spares = SpareBuffers()

  init(_ report: Report) {
    runs = report.runs
    now = report.now
  }

  /// Runs per part: large enough that a part's own cost (its shared values, its field names) is small, and
  /// small enough that a part stays in the cache while every output reads it (about 1.7 MB).
  static let partSize = 512

  var count: Int { runs.count }
  var partCount: Int { (runs.count + Self.partSize - 1) / Self.partSize }

  func part(_ number: Int, segment: Int) -> ValueTree {
    let start = number * Self.partSize
    let end = Swift.min(runs.count, start + Self.partSize)
    var builder = ContextBuilder(segment: segment, storage: spares.take())
    builder.tree.reserveCapacity(
      values: (end - start) * ContextBuilder.valuesPerRun, bytes: (end - start) * ContextBuilder.bytesPerRun)
    let values = (start..<end).map { builder.value(of: runs[$0], index: $0, now: now) }
    let root = builder.tree.list(values)
    return builder.tree.finish(root: root)
  }

  func recycle(_ part: consuming ValueTree) {
    spares.keep(part.storage())
  }
}

/// Buffers to build tree parts in, taken and given back by the threads building and reading the parts.
private final class SpareBuffers: @unchecked Sendable {
  // @unchecked: `spares` is read and written only with `lock` locked.
  private let lock = Condition()
  private var spares: [ValueTreeStorage] = []
  /// More than the parts held at once never come back.
  private static let limit = 16

  func take() -> ValueTreeStorage {
    lock.withLock { spares.popLast() } ?? ValueTreeStorage()
  }

  func keep(_ storage: ValueTreeStorage) {
    lock.withLock {
      if spares.count < Self.limit { spares.append(storage) }
    }
  }
}

/// Builds the tree with one layout per kind of object, so the thousands of runs, checks and list entries
/// share their field names instead of each hashing and storing its own.
private struct ContextBuilder {
  /// The tree being built; each builder owns one segment of it.
  var tree: ValueTreeBuilder
  private var root = ObjectLayout()
  private var tool = ObjectLayout()
  private var totals = ObjectLayout()
  private var run = ObjectLayout()
  private var runJUnit = ObjectLayout()
  private var check = ObjectLayout()
  private var counts = ObjectLayout()
  private var state = ObjectLayout()
  private var stateTotal = ObjectLayout()
  private var phase = ObjectLayout()
  private var phases = ObjectLayout()
  private var finding = ObjectLayout()
  private var notifications = ObjectLayout()
  private var namedCount = ObjectLayout()
  private var delivery = ObjectLayout()
  private var template = ObjectLayout()
  private var failedItem = ObjectLayout()
  private var input = ObjectLayout()
  private var maximum = ObjectLayout()
  private var policy = ObjectLayout()
  private var junit = ObjectLayout()
  /// Shapes of maps whose keys come from the data (states, severities, events), by their key lists.
  private var mapLayouts: [[String]: MapLayout] = [:]
  /// The last few of those, found by comparing key lists, which are mostly the same strings, without hashing.
  private var recentMapLayouts: [(names: [String], layout: MapLayout)] = []

  /// Values built once and shared by every run that has an equal one.
  private var findingEntries = SharedCountEntries(knownNames: Severity.documented.count)
  private var countEntries = SharedCountEntries(knownNames: countedNames.count)
  /// Check objects without details, by content: most runs pass most checks with the same words.
  private var sharedChecks: [CheckResult: TreeValue] = [:]

  /// Generous bounds of what a run adds to the tree: about 180 values and 1,250 bytes in generated corpora.
  static let valuesPerRun = 256
  static let bytesPerRun = 2048

  /// A builder for segment `segment` of the tree, building in `storage`.
  init(segment: Int = 0, storage: consuming ValueTreeStorage = ValueTreeStorage()) {
    tree = ValueTreeBuilder(segment: segment, storage: storage)
  }

  /// A shape and, for each key in the order a map's entries come, its slot.
  private struct MapLayout {
    let shape: TemplateShape
    let slots: [Int]
  }

  mutating func report(_ report: Report) -> TreeValue {
    let sums = report.totals
    var checkTotals = sums.checks
    let (byState, findings, notificationTotals, phaseTotals, elapsed) = (
      sums.byState, sums.findings, sums.notifications, sums.phases, sums.elapsed
    )
    checkTotals.errors += report.failedItems.count
    checkTotals.tests += report.failedItems.count

    let states = byState.map { (name: $0.key.name, runs: $0.value) }.sorted { $0.name < $1.name }
    let stateList = states.map { entry in
      stateTotal.make(in: &tree, ["state": tree.string(entry.name), "runs": .int(entry.runs)])
    }
    let totalsValue = totals.make(
      in: &tree,
      [
        "runs": .int(report.runs.count),
        "inputs": .int(report.inputs.count),
        "runEntries": .int(report.runEntries),
        "duplicatesDropped": .int(report.duplicatesDropped),
        "inProgress": .int(sums.inProgress),
        "byState": map(states.map { ($0.name, .int($0.runs)) }),
        "stateList": tree.list(stateList),
        "elapsedSeconds": seconds(elapsed),
        "elapsedText": tree.string(elapsed.humanDescription),
        "phases": phaseMap(phaseTotals.duration(of:)),
        "phaseList": phaseList(phaseTotals.duration(of:)),
        "findings": value(of: findings),
        "findingList": list(of: findings),
        "notifications": value(
          of: notificationTotals, deliveries: report.runs.flatMap(\.notifications.failedDeliveries)),
        "failedItems": .int(report.failedItems.count),
        "checks": value(of: checkTotals),
        "runsWithProblems": .int(sums.problems),
      ])

    let failedItems = report.failedItems.map { item in
      failedItem.make(
        in: &tree,
        [
          "arn": tree.string(item.arn),
          "failureCode": tree.string(item.failureCode),
          "retryable": .bool(item.retryable),
          "source": tree.string(item.source.description),
          "message": tree.string("\(item.failureCode) (\(item.retryable ? "retryable" : "not retryable"))"),
        ])
    }

    let maximaList = Severity.documented.map { severity in
      maximum.make(
        in: &tree,
        [
          "severity": tree.string(severity.name),
          "max": report.policy.maxima[severity].map { .int($0) } ?? .null,
          "text": tree.string(report.policy.maxima[severity].map(String.init) ?? "unlimited"),
        ])
    }
    let maxima = Severity.documented.map { severity -> (String, TreeValue) in
      (severity.name, report.policy.maxima[severity].map { .int($0) } ?? .null)
    }

    return root.make(
      in: &tree,
      [
        "tool": tool.make(
          in: &tree, ["name": tree.string("inspector-report"), "version": tree.string(ReportContext.toolVersion)]),
        "now": tree.string(report.now?.description ?? ""),
        "nowSource": tree.string(report.nowSource.rawValue),
        "passed": .bool(!report.hasProblem),
        "verdict": tree.string(report.hasProblem ? "failed" : "passed"),
        "policy": policy.make(in: &tree, ["maxima": map(maxima), "maximaList": tree.list(maximaList)]),
        "inputs": tree.list(report.inputs.map { value(of: $0) }),
        "runs": tree.list(parts: RunParts(report)),
        "templates": tree.list(templates(sums.templates)),
        "failedItems": tree.list(failedItems),
        "hasFailedItems": .bool(!report.failedItems.isEmpty),
        "totals": totalsValue,
        "junit": junit.make(
          in: &tree,
          [
            // The failed-items suite holds a passing placeholder when empty: Jenkins drops empty suites.
            "failedItemsTests": .int(max(1, report.failedItems.count)),
            "timestamp": timestamp(report.now ?? Timestamp(microseconds: 0), junit: true),
          ]),
      ])
  }

  // MARK: - Runs

  mutating func value(of analyzed: AnalyzedRun, index: Int, now: Timestamp?) -> TreeValue {
    let timeline = analyzed.timeline
    let arn = ARN(analyzed.run.arn)
    let checks = analyzed.checks
    let stateDurations = timeline.stateDurations
    let stateList = stateDurations.map { entry in
      state.make(
        in: &tree,
        [
          "state": tree.string(entry.state.name),
          "seconds": seconds(entry.duration),
          "phase": tree.string(entry.state.phase?.rawValue ?? ""),
        ])
    }
    let stateSeconds = stateDurations.map { ($0.state.name, seconds($0.duration)) }
    let created = analyzed.createdAt ?? now
    let phaseTexts = RunPhase.allCases.map { timeline.duration(of: $0).humanDescription }
    var phasesText = ""
    phasesText.reserveCapacity(80)
    for (phase, text) in zip(RunPhase.allCases, phaseTexts) {
      if !phasesText.isEmpty { phasesText += ", " }
      phasesText += phase.rawValue
      phasesText += " "
      phasesText += text
    }
    return run.make(
      in: &tree,
      [
        "index": .int(index),
        "arn": tree.string(analyzed.run.arn),
        "id": tree.string(arn.resourceID),
        "name": tree.string(analyzed.run.name),
        "template": tree.string(analyzed.run.templateArn),
        "templateId": tree.string(ARN(analyzed.run.templateArn).resourceID),
        "region": tree.string(arn.region),
        "account": tree.string(arn.account),
        "state": tree.string(analyzed.run.state.name),
        "lastState": tree.string(timeline.lastState.name),
        "inProgress": .bool(timeline.inProgress),
        "dataCollected": analyzed.run.dataCollected.map { .bool($0) } ?? .null,
        "createdAt": timestamp(analyzed.createdAt),
        "startedAt": timestamp(analyzed.run.startedAt),
        "completedAt": timestamp(analyzed.run.completedAt),
        "stateChangedAt": timestamp(analyzed.run.stateChangedAt),
        "elapsedSeconds": seconds(timeline.elapsed),
        "elapsedText": tree.string(timeline.elapsed.humanDescription),
        "phases": phaseMap(timeline.duration(of:)),
        "phaseList": phaseList(timeline.duration(of:), texts: phaseTexts),
        "phasesText": tree.string(phasesText),
        "stateSeconds": map(stateSeconds),
        "stateList": tree.list(stateList),
        "configuredCollectionSeconds": analyzed.configuredCollection.map(seconds) ?? .null,
        "collectionShort": .bool(analyzed.collectionIsShort),
        "findings": value(of: analyzed.findings),
        "findingList": list(of: analyzed.findings),
        "notifications": value(of: analyzed.notifications),
        "checks": tree.list(checks.map { value(of: $0, elapsed: timeline.elapsed) }),
        "checkCounts": value(of: analyzed.checkCounts),
        "problem": .bool(analyzed.hasProblem),
        "source": tree.string(analyzed.run.source.description),
        "junit": runJUnit.make(
          in: &tree,
          [
            "id": .int(index),
            "suite": tree.string(JUnitNames.suite(name: analyzed.run.name, id: arn.resourceID)),
            "classname": tree.string(JUnitNames.classname(name: analyzed.run.name, id: arn.resourceID)),
            "hostname": tree.string(arn.region.isEmpty ? "localhost" : arn.region),
            "timestamp": timestamp(created ?? Timestamp(microseconds: 0), junit: true),
            "time": tree.string(timeline.elapsed.fixedSeconds),
          ]),
      ])
  }

  private static let zeroTime = TimeSpan.zero.fixedSeconds

  /// JUnit consumers cap what they show (JUNIT.md): a message of 1 KiB, a body of 64 KiB. The details
  /// are one line per failed delivery, at most 50 (the API's limit), so capping each line caps the body.
  private mutating func value(of result: CheckResult, elapsed: TimeSpan) -> TreeValue {
    // The run's duration belongs to the check that judges the run as a whole; it is nearly always the run's
    // own, so that check is not worth looking for among the shared ones.
    guard result.name != "run-state" else { return newValue(of: result, time: elapsed.fixedSeconds) }
    guard result.details.isEmpty else { return newValue(of: result, time: Self.zeroTime) }
    if let shared = sharedChecks[result] { return shared }
    let value = newValue(of: result, time: Self.zeroTime)
    sharedChecks[result] = value
    return value
  }

  private mutating func newValue(of result: CheckResult, time: String) -> TreeValue {
    check.make(
      in: &tree,
      [
        "name": tree.string(result.name),
        "status": tree.string(result.status.rawValue),
        "message": tree.string(result.message.truncated(toUTF8Bytes: 1024)),
        "details": tree.list(result.details.prefix(50).map { tree.string($0.truncated(toUTF8Bytes: 1024)) }),
        "passed": .bool(result.status == .passed),
        "failed": .bool(result.status == .failed),
        "error": .bool(result.status == .error),
        "skipped": .bool(result.status == .skipped),
        "time": tree.string(time),
      ])
  }

  private mutating func value(of counts: CheckCounts) -> TreeValue {
    self.counts.make(
      in: &tree,
      [
        "tests": .int(counts.tests), "passed": .int(counts.passed), "failures": .int(counts.failures),
        "errors": .int(counts.errors), "skipped": .int(counts.skipped),
      ])
  }

  // MARK: - Templates

  private mutating func templates(_ sums: [String: TemplateTotals]) -> [TreeValue] {
    sums.sorted { $0.key < $1.key }.map { arnText, sums in
      template.make(
        in: &tree,
        [
          "arn": tree.string(arnText),
          "id": tree.string(ARN(arnText).resourceID),
          "runs": .int(sums.runs),
          "inProgress": .int(sums.inProgress),
          "runsWithProblems": .int(sums.problems),
          "latestRun": tree.string(sums.latestName),
          "latestState": tree.string(sums.latestState?.name ?? ""),
          "findings": value(of: sums.findings),
          "findingList": list(of: sums.findings),
        ])
    }
  }

  // MARK: - Pieces

  private mutating func value(of summary: InputSummary) -> TreeValue {
    input.make(
      in: &tree,
      [
        "name": tree.string(summary.name),
        "bytes": .int(summary.byteCount),
        "runEntries": .int(summary.runEntries),
        "failedItems": .int(summary.failedItems),
      ])
  }

  private mutating func value(of findings: FindingCounts) -> TreeValue {
    let counts = findings.entries.map { ($0.severity.name, TreeValue.int($0.count)) }
    return map(counts + [("total", .int(findings.total))])
  }

  private mutating func list(of findings: FindingCounts) -> TreeValue {
    tree.list(
      findings.entries.map { entry in
        let position = entry.severity.documentedIndex
        return findingEntry(
          severity: entry.severity.name, count: entry.count, known: position != nil, position: position)
      })
  }

  /// Most runs have the same few counts per severity (often 0), so equal entries are one shared object;
  /// `position` is a documented severity's place in `Severity.documented`.
  private mutating func findingEntry(severity: String, count: Int, known: Bool, position: Int?) -> TreeValue {
    findingEntries.entry(name: severity, count: count, position: position) {
      finding.make(in: &tree, ["severity": tree.string(severity), "count": .int(count), "known": .bool(known)])
    }
  }

  /// A `{name, count}` entry, shared between equal ones like `findingEntry`; `position` is a documented name's
  /// place in `countedNames`.
  private mutating func countEntry(name: String, count: Int, position: Int?) -> TreeValue {
    countEntries.entry(name: name, count: count, position: position) {
      namedCount.make(in: &tree, ["name": tree.string(name), "count": .int(count)])
    }
  }

  /// The names `countEntry` knows by position: the documented events, then the documented SNS statuses.
  private static let countedNames = NotificationEvent.documented.map(\.name) + SNSStatus.documented.map(\.name)

  private mutating func value(of summary: NotificationSummary) -> TreeValue {
    notificationValue(summary.counts, deliveries: summary.failedDeliveries)
  }

  /// The totals of every run's notifications; `deliveries` are the runs' failed deliveries in report order.
  private mutating func value(
    of totals: NotificationCounts, deliveries: [NotificationSummary.FailedDelivery]
  ) -> TreeValue {
    precondition(deliveries.count == totals.failedDeliveries, "the runs hold the deliveries the totals count")
    return notificationValue(totals, deliveries: deliveries)
  }

  /// Notifications as counts and the failed deliveries.
  private mutating func notificationValue(
    _ counts: NotificationCounts, deliveries: [NotificationSummary.FailedDelivery]
  ) -> TreeValue {
    let events = counts.byEvent.entries.map { (name: $0.name.name, count: $0.count) }
    let statuses = counts.bySNSStatus.entries.map { (name: $0.name.name, count: $0.count) }
    let deliveries = deliveries.map { failed in
      delivery.make(
        in: &tree,
        [
          "date": timestamp(failed.date),
          "event": tree.string(failed.event.name),
          "topic": tree.string(failed.topic),
          "code": tree.string(failed.status.name),
        ])
    }
    let (byEvent, eventList) = counted(events, firstPosition: 0)
    let (byStatus, statusList) = counted(statuses, firstPosition: NotificationEvent.documented.count)
    return notifications.make(
      in: &tree,
      [
        "total": .int(counts.total),
        "errors": .int(counts.errors),
        "byEvent": byEvent,
        "eventList": eventList,
        "snsStatus": byStatus,
        "snsStatusList": statusList,
        "failedDeliveries": tree.list(deliveries),
        "failedDeliveryCount": .int(deliveries.count),
      ])
  }

  /// Counts by name as a map and as a list; the first of them are the documented names from `firstPosition`
  /// of `countedNames` on.
  private mutating func counted(
    _ counts: [(name: String, count: Int)], firstPosition: Int
  ) -> (map: TreeValue, list: TreeValue) {
    let list = counts.enumerated().map { index, entry in
      let position = firstPosition + index
      let known = position < Self.countedNames.count && Self.countedNames[position] == entry.name
      return countEntry(name: entry.name, count: entry.count, position: known ? position : nil)
    }
    return (map(counts.map { ($0.name, .int($0.count)) }), tree.list(list))
  }

  private mutating func phaseMap(_ duration: (RunPhase) -> TimeSpan) -> TreeValue {
    func of(_ phase: RunPhase) -> TreeValue { seconds(duration(phase)) }
    return phases.make(
      in: &tree,
      [
        "setup": of(.setup), "collection": of(.collection), "wrapup": of(.wrapup), "evaluation": of(.evaluation),
      ])
  }

  /// The phases in order; `texts`, when given, are their durations already written for people.
  private mutating func phaseList(_ duration: (RunPhase) -> TimeSpan, texts: [String]? = nil) -> TreeValue {
    tree.list(
      RunPhase.allCases.enumerated().map { index, entry in
        let span = duration(entry)
        return phase.make(
          in: &tree,
          [
            "phase": tree.string(entry.rawValue), "seconds": seconds(span),
            "text": tree.string(texts?[index] ?? span.humanDescription),
          ])
      })
  }

  /// A map whose keys come from the data; maps with the same keys in the same order share one shape.
  private mutating func map(_ entries: [(String, TreeValue)]) -> TreeValue {
    let names = entries.map(\.0)
    let layout: MapLayout
    // The same few key lists come again and again, as the same strings, which compare without hashing.
    if let recent = recentMapLayouts.first(where: { $0.names == names }) {
      layout = recent.layout
    } else if let known = mapLayouts[names] {
      layout = known
      recentMapLayouts = [(names, known)] + recentMapLayouts.prefix(7)
    } else {
      let shape = TemplateShape(Array(Set(names)))
      var slotOf: [String: Int] = [:]
      for (slot, key) in shape.names.enumerated() { slotOf[key.name] = slot }
      layout = MapLayout(shape: shape, slots: names.map { slotOf[$0] ?? 0 })
      mapLayouts[names] = layout
    }
    var values = [TreeValue](repeating: .null, count: layout.shape.names.count)
    for (index, entry) in entries.enumerated() { values[layout.slots[index]] = entry.1 }
    return tree.object(layout.shape, fields: values)
  }

  private func seconds(_ span: TimeSpan) -> TreeValue {
    span.microseconds % 1_000_000 == 0 ? .int(Int(span.microseconds / 1_000_000)) : .double(span.seconds)
  }

  private mutating func timestamp(_ instant: Timestamp?, junit: Bool = false) -> TreeValue {
    guard let instant else { return .null }
    return tree.string(capacity: Timestamp.textCapacity) { instant.write(to: $0, junit: junit) }
  }
}

/// Entries of a name and a count, each made once and shared by every run that has an equal one.
///
/// Known names (severities, documented events) with small counts, nearly all entries, are found by position
/// and count rather than by hashing.
private struct SharedCountEntries {
  private var known: [TreeValue?]
  private var hashed: [Key: TreeValue] = [:]

  private struct Key: Hashable {
    let name: String
    let count: Int
  }

  /// Counts below this are shared by position; larger ones, rare, by hashing.
  private static let smallCounts = 64

  init(knownNames: Int) {
    known = [TreeValue?](repeating: nil, count: knownNames * Self.smallCounts)
  }

  /// The entry of `name` and `count`, made by `make` the first time; `position` is a known name's place.
  mutating func entry(name: String, count: Int, position: Int?, make: () -> TreeValue) -> TreeValue {
    let slot = position.flatMap { (0..<Self.smallCounts).contains(count) ? $0 * Self.smallCounts + count : nil }
    if let slot, let shared = known[slot] { return shared }
    let key = Key(name: name, count: count)
    if slot == nil, let shared = hashed[key] { return shared }
    let entry = make()
    if let slot { known[slot] = entry } else { hashed[key] = entry }
    return entry
  }
}

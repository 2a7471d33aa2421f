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
  /// The runs are built a part at a time as they are read (`RunRows`); the rest of the tree is built here.
  public static func make(_ report: Report) -> ValueTree {
    var tree = ValueTreeBuilder()
    let runs = tree.list(lazy: RunRows(report))
    let root = root(of: report, runs: runs, in: &tree)
    return tree.finish(root: root)
  }

  /// The context for `report` but its runs, built in `tree` around `runs`, the runs' list.
  static func root(of report: Report, runs: TreeValue, in tree: inout ValueTreeBuilder) -> TreeValue {
    var builder = ContextBuilder()
    swap(&builder.tree, &tree)
    defer { swap(&builder.tree, &tree) }
    return builder.report(report, runs: runs)
  }
}

/// The report's runs, built when a reader reaches them.
struct RunRows: LazyList {
  let runs: [AnalyzedRun]
  let now: Timestamp?

  init(_ report: Report) {
    runs = report.runs
    now = report.now
  }

  var count: Int { runs.count }

  func rows(_ range: Range<Int>, in tree: inout ValueTreeBuilder) -> [TreeValue] {
    // A builder of its own for each range: the values it shares among runs are those of the range's tree.
    var builder = ContextBuilder()
    swap(&builder.tree, &tree)
    defer { swap(&builder.tree, &tree) }
    // Room for the whole range up front: grown by doubling instead, a part's buffers end up larger than it
    // needs, and 10k runs peak at 59 MiB rather than 54.
    builder.tree.reserveCapacity(
      values: range.count * ContextBuilder.valuesPerRun, bytes: range.count * ContextBuilder.bytesPerRun)
    return range.map { builder.value(of: runs[$0], index: $0, now: now) }
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
  private var findingEntries = SharedCountEntries(knownNames: Severity.allCases.count)
  private var countEntries = SharedCountEntries(knownNames: countedNames.count)
  /// Check objects without details, by content: most runs pass most checks with the same words.
  private var sharedChecks: [CheckResult: TreeValue] = [:]

  /// Generous bounds of what a run adds to the tree: about 180 values and 1,250 bytes in generated corpora.
  static let valuesPerRun = 256
  static let bytesPerRun = 2048

  /// A builder with an empty tree, for one given to it to be swapped in.
  init() {
    tree = ValueTreeBuilder()
  }

  /// A shape and, for each key in the order a map's entries come, its slot.
  private struct MapLayout {
    let shape: TemplateShape
    let slots: [Int]
  }

  mutating func report(_ report: Report, runs: TreeValue) -> TreeValue {
    let sums = report.totals
    var checkTotals = sums.checks
    let (byState, findings, notificationTotals, phaseTotals, elapsed) = (
      sums.byState, sums.findings, sums.notifications, sums.phases, sums.elapsed
    )
    checkTotals.errors += report.failedItems.count
    checkTotals.tests += report.failedItems.count

    let stateList = byState.sorted { $0.key < $1.key }.map { entry in
      stateTotal.make(in: &tree, ["state": tree.string(entry.key), "runs": .int(entry.value)])
    }
    let totalsValue = totals.make(
      in: &tree,
      [
        "runs": .int(report.runs.count),
        "inputs": .int(report.inputs.count),
        "runEntries": .int(report.runEntries),
        "duplicatesDropped": .int(report.duplicatesDropped),
        "inProgress": .int(sums.inProgress),
        "byState": map(byState.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }),
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

    let maximaList = Severity.allCases.map { severity in
      maximum.make(
        in: &tree,
        [
          "severity": tree.string(severity.rawValue),
          "max": report.policy.maxima[severity].map { .int($0) } ?? .null,
          "text": tree.string(report.policy.maxima[severity].map(String.init) ?? "unlimited"),
        ])
    }
    let maxima = Severity.allCases.map { severity -> (String, TreeValue) in
      (severity.rawValue, report.policy.maxima[severity].map { .int($0) } ?? .null)
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
        "runs": runs,
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
          "state": tree.string(entry.state),
          "seconds": seconds(entry.duration),
          "phase": tree.string(RunPhase(state: entry.state)?.rawValue ?? ""),
        ])
    }
    let stateSeconds = stateDurations.map { ($0.state, seconds($0.duration)) }
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
        "state": tree.string(analyzed.run.state),
        "lastState": tree.string(timeline.lastState),
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
          "latestState": tree.string(sums.latestState),
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
    let known = Severity.allCases.map { ($0.rawValue, TreeValue.int(findings[$0])) }
    let unknown = findings.unknown.sorted { $0.key < $1.key }.map { ($0.key, TreeValue.int($0.value)) }
    return map(known + unknown + [("total", .int(findings.total))])
  }

  private mutating func list(of findings: FindingCounts) -> TreeValue {
    var entries = Severity.allCases.enumerated().map { position, severity in
      findingEntry(severity: severity.rawValue, count: findings[severity], known: true, position: position)
    }
    for (severity, count) in findings.unknown.sorted(by: { $0.key < $1.key }) {
      entries.append(findingEntry(severity: severity, count: count, known: false, position: nil))
    }
    return tree.list(entries)
  }

  /// Most runs have the same few counts per severity (often 0), so equal entries are one shared object;
  /// `position` is a known severity's place in `Severity.allCases`.
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

  /// The documented events and SNS codes are always present (as 0), so the shape never depends on the data.
  private static let events = [
    "ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_COMPLETED", "ASSESSMENT_RUN_STATE_CHANGED", "FINDING_REPORTED", "OTHER",
  ]
  private static let snsCodes = ["SUCCESS", "TOPIC_DOES_NOT_EXIST", "ACCESS_DENIED", "INTERNAL_ERROR"]
  /// The names `countEntry` knows by position: the events, then the SNS codes.
  private static let countedNames = events + snsCodes

  private mutating func value(of summary: NotificationSummary) -> TreeValue {
    notificationValue(
      total: summary.total, errors: summary.errors, events: summary.eventCounts(known: Self.events),
      statuses: summary.statusCounts(known: Self.snsCodes), deliveries: summary.failedDeliveries)
  }

  /// The totals of every run's notifications; `deliveries` are the runs' failed deliveries in report order.
  private mutating func value(
    of totals: NotificationTotals, deliveries: [NotificationSummary.FailedDelivery]
  ) -> TreeValue {
    precondition(deliveries.count == totals.failedDeliveries, "the runs hold the deliveries the totals count")
    return notificationValue(
      total: totals.total, errors: totals.errors, events: totals.eventCounts(known: Self.events),
      statuses: totals.statusCounts(known: Self.snsCodes), deliveries: deliveries)
  }

  /// Notifications as counts and the failed deliveries.
  private mutating func notificationValue(
    total: Int, errors: Int, events: [(name: String, count: Int)], statuses: [(name: String, count: Int)],
    deliveries: [NotificationSummary.FailedDelivery]
  ) -> TreeValue {
    let deliveries = deliveries.map { failed in
      delivery.make(
        in: &tree,
        [
          "date": timestamp(failed.date),
          "event": tree.string(failed.event),
          "topic": tree.string(failed.topic),
          "code": tree.string(failed.code),
        ])
    }
    let (byEvent, eventList) = counted(events, firstPosition: 0)
    let (byStatus, statusList) = counted(statuses, firstPosition: Self.events.count)
    return notifications.make(
      in: &tree,
      [
        "total": .int(total),
        "errors": .int(errors),
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

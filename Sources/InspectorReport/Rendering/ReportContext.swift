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
  public static func make(_ report: Report) -> TemplateValue {
    var builder = ContextBuilder()
    return builder.report(report)
  }
}

/// Builds the tree with one object builder per kind of object, so the thousands of runs, checks and
/// list entries share their field names instead of each hashing and storing its own.
private struct ContextBuilder {
  private var root = TemplateObjectBuilder()
  private var tool = TemplateObjectBuilder()
  private var totals = TemplateObjectBuilder()
  private var run = TemplateObjectBuilder()
  private var runJUnit = TemplateObjectBuilder()
  private var check = TemplateObjectBuilder()
  private var counts = TemplateObjectBuilder()
  private var state = TemplateObjectBuilder()
  private var stateTotal = TemplateObjectBuilder()
  private var phase = TemplateObjectBuilder()
  private var phases = TemplateObjectBuilder()
  private var finding = TemplateObjectBuilder()
  private var notifications = TemplateObjectBuilder()
  private var namedCount = TemplateObjectBuilder()
  private var delivery = TemplateObjectBuilder()
  private var template = TemplateObjectBuilder()
  private var failedItem = TemplateObjectBuilder()
  private var input = TemplateObjectBuilder()
  private var maximum = TemplateObjectBuilder()
  private var policy = TemplateObjectBuilder()
  private var junit = TemplateObjectBuilder()
  /// Shapes of maps whose keys come from the data (states, severities, events), by their key lists.
  private var mapLayouts: [[String]: MapLayout] = [:]

  private var findingEntries: [CountKey: TemplateValue] = [:]
  private var countEntries: [CountKey: TemplateValue] = [:]

  private struct CountKey: Hashable {
    let name: String
    let count: Int
  }

  /// A shape and, for each key in the order a map's entries come, its slot.
  private struct MapLayout {
    let shape: TemplateShape
    let slots: [Int]
  }

  mutating func report(_ report: Report) -> TemplateValue {
    var checkTotals = CheckCounts()
    var byState: [String: Int] = [:]
    var findings = FindingCounts()
    var notificationTotals = NotificationSummary()
    var phaseTotals: [RunPhase: TimeSpan] = [:]
    var elapsed = TimeSpan.zero
    // Runs are most of the tree; each slice of them is built on its own core with its own builder.
    let now = report.now
    let runs = Array(report.runs.enumerated()).concurrentMap(minimumSlice: 256, makeState: { ContextBuilder() }) {
      builder, entry in builder.value(of: entry.element, index: entry.offset, now: now)
    }
    for analyzed in report.runs {
      checkTotals.add(analyzed.checks)
      byState[analyzed.run.state, default: 0] += 1
      findings.add(analyzed.findings)
      notificationTotals.add(analyzed.notifications)
      for phase in RunPhase.allCases { phaseTotals[phase, default: .zero] += analyzed.timeline.duration(of: phase) }
      elapsed += analyzed.timeline.elapsed
    }
    checkTotals.errors += report.failedItems.count
    checkTotals.tests += report.failedItems.count

    let stateList = byState.sorted { $0.key < $1.key }.map { entry in
      stateTotal.make(["state": .string(entry.key), "runs": .int(entry.value)])
    }
    let totalsValue = totals.make([
      "runs": .int(report.runs.count),
      "inputs": .int(report.inputs.count),
      "runEntries": .int(report.runEntries),
      "duplicatesDropped": .int(report.duplicatesDropped),
      "inProgress": .int(report.runs.count { $0.timeline.inProgress }),
      "byState": map(byState.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }),
      "stateList": .list(stateList),
      "elapsedSeconds": seconds(elapsed),
      "elapsedText": .string(elapsed.humanDescription),
      "phases": phaseMap(phaseTotals),
      "phaseList": phaseList(phaseTotals),
      "findings": value(of: findings),
      "findingList": list(of: findings),
      "notifications": value(of: notificationTotals),
      "failedItems": .int(report.failedItems.count),
      "checks": value(of: checkTotals),
      "runsWithProblems": .int(report.runs.count(where: \.hasProblem)),
    ])

    let failedItems = report.failedItems.map { item in
      failedItem.make([
        "arn": .string(item.arn),
        "failureCode": .string(item.failureCode),
        "retryable": .bool(item.retryable),
        "source": .string(item.source.description),
        "message": .string("\(item.failureCode) (\(item.retryable ? "retryable" : "not retryable"))"),
      ])
    }

    let maximaList = Severity.allCases.map { severity in
      maximum.make([
        "severity": .string(severity.rawValue),
        "max": report.policy.maxima[severity].map { .int($0) } ?? .null,
        "text": .string(report.policy.maxima[severity].map(String.init) ?? "unlimited"),
      ])
    }
    let maxima = Severity.allCases.map { severity -> (String, TemplateValue) in
      (severity.rawValue, report.policy.maxima[severity].map { .int($0) } ?? .null)
    }

    return root.make([
      "tool": tool.make(["name": .string("inspector-report"), "version": .string(ReportContext.toolVersion)]),
      "now": .string(report.now?.description ?? ""),
      "nowSource": .string(report.nowSource.rawValue),
      "passed": .bool(!report.hasProblem),
      "verdict": .string(report.hasProblem ? "failed" : "passed"),
      "policy": policy.make(["maxima": map(maxima), "maximaList": .list(maximaList)]),
      "inputs": .list(report.inputs.map { value(of: $0) }),
      "runs": .list(runs),
      "templates": .list(templates(of: report.runs)),
      "failedItems": .list(failedItems),
      "hasFailedItems": .bool(!report.failedItems.isEmpty),
      "totals": totalsValue,
      "junit": junit.make([
        // The failed-items suite holds a passing placeholder when empty: Jenkins drops empty suites.
        "failedItemsTests": .int(max(1, report.failedItems.count)),
        "timestamp": .string((report.now ?? Timestamp(microseconds: 0)).junitDescription),
      ]),
    ])
  }

  // MARK: - Runs

  mutating func value(of analyzed: AnalyzedRun, index: Int, now: Timestamp?) -> TemplateValue {
    let record = analyzed.run
    let timeline = analyzed.timeline
    let arn = ARN(record.arn)
    var checkCounts = CheckCounts()
    checkCounts.add(analyzed.checks)
    let stateList = timeline.stateDurations.map { entry in
      state.make([
        "state": .string(entry.state),
        "seconds": seconds(entry.duration),
        "phase": .string(RunPhase(state: entry.state)?.rawValue ?? ""),
      ])
    }
    let stateSeconds = timeline.stateDurations.map { ($0.state, seconds($0.duration)) }
    let created = analyzed.createdAt ?? now
    let phaseTexts = RunPhase.allCases.map { timeline.duration(of: $0).humanDescription }
    let phasesText = zip(RunPhase.allCases, phaseTexts).map { "\($0.rawValue) \($1)" }
    return run.make([
      "index": .int(index),
      "arn": .string(record.arn),
      "id": .string(arn.resourceID),
      "name": .string(record.name),
      "template": .string(record.templateArn),
      "templateId": .string(ARN(record.templateArn).resourceID),
      "region": .string(arn.region),
      "account": .string(arn.account),
      "state": .string(record.state),
      "lastState": .string(timeline.lastState),
      "inProgress": .bool(timeline.inProgress),
      "dataCollected": record.dataCollected.map { .bool($0) } ?? .null,
      "createdAt": timestamp(analyzed.createdAt),
      "startedAt": timestamp(record.startedAt),
      "completedAt": timestamp(record.completedAt),
      "stateChangedAt": timestamp(record.stateChangedAt),
      "elapsedSeconds": seconds(timeline.elapsed),
      "elapsedText": .string(timeline.elapsed.humanDescription),
      "phases": phaseMap(timeline.phases),
      "phaseList": phaseList(timeline.phases, texts: phaseTexts),
      "phasesText": .string(phasesText.joined(separator: ", ")),
      "stateSeconds": map(stateSeconds),
      "stateList": .list(stateList),
      "configuredCollectionSeconds": analyzed.configuredCollection.map(seconds) ?? .null,
      "collectionShort": .bool(analyzed.collectionIsShort),
      "findings": value(of: analyzed.findings),
      "findingList": list(of: analyzed.findings),
      "notifications": value(of: analyzed.notifications),
      "checks": .list(analyzed.checks.map { value(of: $0, elapsed: timeline.elapsed) }),
      "checkCounts": value(of: checkCounts),
      "problem": .bool(analyzed.hasProblem),
      "source": .string(record.source.description),
      "junit": runJUnit.make([
        "id": .int(index),
        "suite": .string(JUnitNames.suite(name: record.name, id: arn.resourceID)),
        "classname": .string(JUnitNames.classname(name: record.name, id: arn.resourceID)),
        "hostname": .string(arn.region.isEmpty ? "localhost" : arn.region),
        "timestamp": .string((created ?? Timestamp(microseconds: 0)).junitDescription),
        "time": .string(timeline.elapsed.fixedSeconds),
      ]),
    ])
  }

  private static let zeroTime = TimeSpan.zero.fixedSeconds

  /// JUnit consumers cap what they show (JUNIT.md): a message of 1 KiB, a body of 64 KiB. The details
  /// are one line per failed delivery, at most 50 (the API's limit), so capping each line caps the body.
  private mutating func value(of result: CheckResult, elapsed: TimeSpan) -> TemplateValue {
    check.make([
      "name": .string(result.name),
      "status": .string(result.status.rawValue),
      "message": .string(result.message.truncated(toUTF8Bytes: 1024)),
      "details": .list(result.details.prefix(50).map { .string($0.truncated(toUTF8Bytes: 1024)) }),
      "passed": .bool(result.status == .passed),
      "failed": .bool(result.status == .failed),
      "error": .bool(result.status == .error),
      "skipped": .bool(result.status == .skipped),
      // The run's duration belongs to the check that judges the run as a whole.
      "time": .string(result.name == "run-state" ? elapsed.fixedSeconds : Self.zeroTime),
    ])
  }

  private mutating func value(of counts: CheckCounts) -> TemplateValue {
    self.counts.make([
      "tests": .int(counts.tests), "passed": .int(counts.passed), "failures": .int(counts.failures),
      "errors": .int(counts.errors), "skipped": .int(counts.skipped),
    ])
  }

  // MARK: - Templates

  private mutating func templates(of runs: [AnalyzedRun]) -> [TemplateValue] {
    let grouped = Dictionary(grouping: runs, by: \.run.templateArn)
    return grouped.keys.sorted().map { arnText in
      let members = grouped[arnText] ?? []
      var findings = FindingCounts()
      for member in members { findings.add(member.findings) }
      // Runs are in creation order, so the last is the latest.
      let latest = members.last
      return template.make([
        "arn": .string(arnText),
        "id": .string(ARN(arnText).resourceID),
        "runs": .int(members.count),
        "inProgress": .int(members.count { $0.timeline.inProgress }),
        "runsWithProblems": .int(members.count(where: \.hasProblem)),
        "latestRun": .string(latest?.run.name ?? ""),
        "latestState": .string(latest?.run.state ?? ""),
        "findings": value(of: findings),
        "findingList": list(of: findings),
      ])
    }
  }

  // MARK: - Pieces

  private mutating func value(of summary: InputSummary) -> TemplateValue {
    input.make([
      "name": .string(summary.name),
      "bytes": .int(summary.byteCount),
      "runEntries": .int(summary.runEntries),
      "failedItems": .int(summary.failedItems),
    ])
  }

  private mutating func value(of findings: FindingCounts) -> TemplateValue {
    let known = Severity.allCases.map { ($0.rawValue, TemplateValue.int(findings[$0])) }
    let unknown = findings.unknown.sorted { $0.key < $1.key }.map { ($0.key, TemplateValue.int($0.value)) }
    return map(known + unknown + [("total", .int(findings.total))])
  }

  private mutating func list(of findings: FindingCounts) -> TemplateValue {
    let known = Severity.allCases.map { ($0.rawValue, findings[$0], true) }
    let unknown = findings.unknown.sorted { $0.key < $1.key }.map { ($0.key, $0.value, false) }
    return .list((known + unknown).map { findingEntry(severity: $0.0, count: $0.1, known: $0.2) })
  }

  /// Most runs have the same few counts per severity (often 0), so equal entries are one shared object.
  private mutating func findingEntry(severity: String, count: Int, known: Bool) -> TemplateValue {
    let key = CountKey(name: severity, count: count)
    if let shared = findingEntries[key] { return shared }
    let entry = finding.make(["severity": .string(severity), "count": .int(count), "known": .bool(known)])
    findingEntries[key] = entry
    return entry
  }

  /// A `{name, count}` entry, shared between equal ones like `findingEntry`.
  private mutating func countEntry(name: String, count: Int) -> TemplateValue {
    let key = CountKey(name: name, count: count)
    if let shared = countEntries[key] { return shared }
    let entry = namedCount.make(["name": .string(name), "count": .int(count)])
    countEntries[key] = entry
    return entry
  }

  /// The documented events and SNS codes are always present (as 0), so the shape never depends on the data.
  private static let events = [
    "ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_COMPLETED", "ASSESSMENT_RUN_STATE_CHANGED", "FINDING_REPORTED", "OTHER",
  ]
  private static let snsCodes = ["SUCCESS", "TOPIC_DOES_NOT_EXIST", "ACCESS_DENIED", "INTERNAL_ERROR"]

  private mutating func value(of summary: NotificationSummary) -> TemplateValue {
    let (byEvent, eventList) = counted(Self.events, summary.byEvent)
    let (byStatus, statusList) = counted(Self.snsCodes, summary.bySNSStatus)
    let deliveries = summary.failedDeliveries.map { failed in
      delivery.make([
        "date": timestamp(failed.date),
        "event": .string(failed.event),
        "topic": .string(failed.topic),
        "code": .string(failed.code),
      ])
    }
    return notifications.make([
      "total": .int(summary.total),
      "errors": .int(summary.errors),
      "byEvent": byEvent,
      "eventList": eventList,
      "snsStatus": byStatus,
      "snsStatusList": statusList,
      "failedDeliveries": .list(deliveries),
      "failedDeliveryCount": .int(summary.failedDeliveries.count),
    ])
  }

  /// Counts by name as a map and as a list: the known names first (0 when absent), then the others sorted.
  private mutating func counted(_ known: [String], _ actual: [String: Int]) -> (map: TemplateValue, list: TemplateValue)
  {
    let order = known + actual.keys.filter { !known.contains($0) }.sorted()
    let counts = order.map { ($0, actual[$0] ?? 0) }
    let list = counts.map { countEntry(name: $0.0, count: $0.1) }
    return (map(counts.map { ($0, .int($1)) }), .list(list))
  }

  private mutating func phaseMap(_ durations: [RunPhase: TimeSpan]) -> TemplateValue {
    func of(_ phase: RunPhase) -> TemplateValue { seconds(durations[phase] ?? .zero) }
    return phases.make([
      "setup": of(.setup), "collection": of(.collection), "wrapup": of(.wrapup), "evaluation": of(.evaluation),
    ])
  }

  /// The phases in order; `texts`, when given, are their durations already written for people.
  private mutating func phaseList(_ durations: [RunPhase: TimeSpan], texts: [String]? = nil) -> TemplateValue {
    .list(
      RunPhase.allCases.enumerated().map { index, entry in
        let span = durations[entry] ?? .zero
        return phase.make([
          "phase": .string(entry.rawValue), "seconds": seconds(span),
          "text": .string(texts?[index] ?? span.humanDescription),
        ])
      })
  }

  /// A map whose keys come from the data; maps with the same keys in the same order share one shape.
  private mutating func map(_ entries: [(String, TemplateValue)]) -> TemplateValue {
    let names = entries.map(\.0)
    let layout: MapLayout
    if let known = mapLayouts[names] {
      layout = known
    } else {
      let shape = TemplateShape(Array(Set(names)))
      var slotOf: [String: Int] = [:]
      for (slot, key) in shape.names.enumerated() { slotOf[key.name] = slot }
      layout = MapLayout(shape: shape, slots: names.map { slotOf[$0] ?? 0 })
      mapLayouts[names] = layout
    }
    var values = [TemplateValue](repeating: .null, count: layout.shape.names.count)
    for (index, entry) in entries.enumerated() { values[layout.slots[index]] = entry.1 }
    return .object(TemplateObject(shape: layout.shape, values: values))
  }

  private func seconds(_ span: TimeSpan) -> TemplateValue {
    span.microseconds % 1_000_000 == 0 ? .int(Int(span.microseconds / 1_000_000)) : .double(span.seconds)
  }

  private func timestamp(_ instant: Timestamp?) -> TemplateValue {
    instant.map { .string($0.description) } ?? .null
  }
}

/// Test counts by outcome, as JUnit's suite attributes need them.
struct CheckCounts {
  var tests = 0
  var passed = 0
  var failures = 0
  var errors = 0
  var skipped = 0

  mutating func add(_ checks: [CheckResult]) {
    for check in checks {
      tests += 1
      switch check.status {
      case .passed: passed += 1
      case .failed: failures += 1
      case .error: errors += 1
      case .skipped: skipped += 1
      }
    }
  }
}

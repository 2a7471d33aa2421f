import TemplateEngine

/// Builds the value tree every template renders and `report.json` encodes.
///
/// The tree holds only plain values, so a template author can read `report.json` to see exactly what
/// a template receives. Mustache iterates lists, not maps, so maps that templates show come twice:
/// as a map for programs (`findings`) and as an ordered list for templates (`findingList`).
public enum ReportContext {
  /// The product's name and version, written into every report.
  public static let tool: TemplateValue = .object([
    "name": .string("inspector-report"), "version": .string(toolVersion),
  ])

  /// The tool's version.
  public static let toolVersion = "0.1.0"

  /// The context for `report`.
  public static func make(_ report: Report) -> TemplateValue {
    var checkTotals = CheckCounts()
    var byState: [String: Int] = [:]
    var findings = FindingCounts()
    var notifications = NotificationSummary()
    var phases: [RunPhase: TimeSpan] = [:]
    var elapsed = TimeSpan.zero
    var runs: [TemplateValue] = []
    runs.reserveCapacity(report.runs.count)
    for (index, run) in report.runs.enumerated() {
      runs.append(value(of: run, index: index, now: report.now))
      checkTotals.add(run.checks)
      byState[run.run.state, default: 0] += 1
      findings.add(run.findings)
      notifications.add(run.notifications)
      for phase in RunPhase.allCases { phases[phase, default: .zero] += run.timeline.duration(of: phase) }
      elapsed += run.timeline.elapsed
    }
    checkTotals.errors += report.failedItems.count
    checkTotals.tests += report.failedItems.count

    let totals: TemplateValue = .object([
      "runs": .int(report.runs.count),
      "inputs": .int(report.inputs.count),
      "runEntries": .int(report.runEntries),
      "duplicatesDropped": .int(report.duplicatesDropped),
      "inProgress": .int(report.runs.count { $0.timeline.inProgress }),
      "byState": .object(byState.mapValues { .int($0) }),
      "stateList": .list(
        byState.sorted { $0.key < $1.key }.map { .object(["state": .string($0.key), "runs": .int($0.value)]) }),
      "elapsedSeconds": seconds(elapsed),
      "elapsedText": .string(elapsed.humanDescription),
      "phases": phaseMap(phases),
      "phaseList": phaseList(phases),
      "findings": value(of: findings),
      "findingList": list(of: findings),
      "notifications": value(of: notifications),
      "failedItems": .int(report.failedItems.count),
      "checks": checkTotals.value,
      "runsWithProblems": .int(report.runs.count(where: \.hasProblem)),
    ])

    let failedItems = report.failedItems.map { item -> TemplateValue in
      .object([
        "arn": .string(item.arn),
        "failureCode": .string(item.failureCode),
        "retryable": .bool(item.retryable),
        "source": .string(item.source.description),
        "message": .string("\(item.failureCode) (\(item.retryable ? "retryable" : "not retryable"))"),
      ])
    }

    return .object([
      "tool": tool,
      "now": .string(report.now?.description ?? ""),
      "nowSource": .string(report.nowSource.rawValue),
      "passed": .bool(!report.hasProblem),
      "verdict": .string(report.hasProblem ? "failed" : "passed"),
      "policy": policyValue(report.policy),
      "inputs": .list(report.inputs.map(value(of:))),
      "runs": .list(runs),
      "templates": .list(templates(of: report.runs)),
      "failedItems": .list(failedItems),
      "hasFailedItems": .bool(!report.failedItems.isEmpty),
      "totals": totals,
      "junit": .object([
        // The failed-items suite holds a passing placeholder when empty: Jenkins drops empty suites.
        "failedItemsTests": .int(max(1, report.failedItems.count)),
        "timestamp": .string((report.now ?? Timestamp(microseconds: 0)).junitDescription),
      ]),
    ])
  }

  // MARK: - Runs

  private static func value(of analyzed: AnalyzedRun, index: Int, now: Timestamp?) -> TemplateValue {
    let run = analyzed.run
    let timeline = analyzed.timeline
    let arn = ARN(run.arn)
    var counts = CheckCounts()
    counts.add(analyzed.checks)
    let stateList: [TemplateValue] = timeline.stateDurations.map { entry in
      .object([
        "state": .string(entry.state),
        "seconds": seconds(entry.duration),
        "text": .string(entry.duration.humanDescription),
        "phase": .string(RunPhase(state: entry.state)?.rawValue ?? ""),
      ])
    }
    let created = analyzed.createdAt ?? now
    return .object([
      "index": .int(index),
      "arn": .string(run.arn),
      "id": .string(arn.resourceID),
      "name": .string(run.name),
      "template": .string(run.templateArn),
      "templateId": .string(ARN(run.templateArn).resourceID),
      "region": .string(arn.region),
      "account": .string(arn.account),
      "state": .string(run.state),
      "lastState": .string(timeline.lastState),
      "inProgress": .bool(timeline.inProgress),
      "dataCollected": run.dataCollected.map { .bool($0) } ?? .null,
      "createdAt": timestamp(analyzed.createdAt),
      "startedAt": timestamp(run.startedAt),
      "completedAt": timestamp(run.completedAt),
      "stateChangedAt": timestamp(run.stateChangedAt),
      "elapsedSeconds": seconds(timeline.elapsed),
      "elapsedText": .string(timeline.elapsed.humanDescription),
      "phases": phaseMap(timeline.phases),
      "phaseList": phaseList(timeline.phases),
      "phasesText": .string(
        RunPhase.allCases.map { "\($0.rawValue) \(timeline.duration(of: $0).humanDescription)" }.joined(separator: ", ")
      ),
      "stateSeconds": .object(
        Dictionary(uniqueKeysWithValues: timeline.stateDurations.map { ($0.state, seconds($0.duration)) })),
      "stateList": .list(stateList),
      "configuredCollectionSeconds": analyzed.configuredCollection.map(seconds) ?? .null,
      "collectionShort": .bool(analyzed.collectionIsShort),
      "findings": value(of: analyzed.findings),
      "findingList": list(of: analyzed.findings),
      "notifications": value(of: analyzed.notifications),
      "checks": .list(analyzed.checks.map { value(of: $0, elapsed: timeline.elapsed) }),
      "checkCounts": counts.value,
      "problem": .bool(analyzed.hasProblem),
      "source": .string(run.source.description),
      "junit": .object([
        "id": .int(index),
        "suite": .string(JUnitNames.suite(name: run.name, id: arn.resourceID)),
        "classname": .string(JUnitNames.classname(name: run.name, id: arn.resourceID)),
        "hostname": .string(arn.region.isEmpty ? "localhost" : arn.region),
        "timestamp": .string((created ?? Timestamp(microseconds: 0)).junitDescription),
        "time": .string(timeline.elapsed.fixedSeconds),
      ]),
    ])
  }

  private static func value(of check: CheckResult, elapsed: TimeSpan) -> TemplateValue {
    let message = check.message.truncated(toUTF8Bytes: 1024)
    let body = ([check.message] + check.details).joined(separator: "\n").truncated(toUTF8Bytes: 65_536)
    return .object([
      "name": .string(check.name),
      "status": .string(check.status.rawValue),
      "message": .string(message),
      "details": .list(check.details.map { .string($0) }),
      "body": .string(body),
      "passed": .bool(check.status == .passed),
      "failed": .bool(check.status == .failed),
      "error": .bool(check.status == .error),
      "skipped": .bool(check.status == .skipped),
      // The run's duration belongs to the check that judges the run as a whole.
      "time": .string(check.name == "run-state" ? elapsed.fixedSeconds : TimeSpan.zero.fixedSeconds),
    ])
  }

  // MARK: - Templates

  private static func templates(of runs: [AnalyzedRun]) -> [TemplateValue] {
    let grouped = Dictionary(grouping: runs, by: \.run.templateArn)
    return grouped.keys.sorted().map { arnText in
      let members = grouped[arnText] ?? []
      var findings = FindingCounts()
      for run in members { findings.add(run.findings) }
      let latest = members.max {
        ($0.createdAt ?? .init(microseconds: .min)) < ($1.createdAt ?? .init(microseconds: .min))
      }
      return .object([
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

  private static func value(of input: InputSummary) -> TemplateValue {
    .object([
      "name": .string(input.name),
      "bytes": .int(input.byteCount),
      "runEntries": .int(input.runEntries),
      "failedItems": .int(input.failedItems),
    ])
  }

  private static func policyValue(_ policy: Policy) -> TemplateValue {
    .object([
      "maxima": .object(
        Dictionary(
          uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, policy.maxima[$0].map { .int($0) } ?? .null) })),
      "maximaList": .list(
        Severity.allCases.map { severity in
          .object([
            "severity": .string(severity.rawValue),
            "max": policy.maxima[severity].map { .int($0) } ?? .null,
            "text": .string(policy.maxima[severity].map(String.init) ?? "unlimited"),
          ])
        }),
    ])
  }

  private static func value(of findings: FindingCounts) -> TemplateValue {
    var object: [String: TemplateValue] = findings.unknown.mapValues { .int($0) }
    for severity in Severity.allCases { object[severity.rawValue] = .int(findings[severity]) }
    object["total"] = .int(findings.total)
    return .object(object)
  }

  private static func list(of findings: FindingCounts) -> TemplateValue {
    let known = Severity.allCases.map { ($0.rawValue, findings[$0], true) }
    let unknown = findings.unknown.sorted { $0.key < $1.key }.map { ($0.key, $0.value, false) }
    return .list(
      (known + unknown).map { entry in
        .object([
          "severity": .string(entry.0),
          "count": .int(entry.1),
          "known": .bool(entry.2),
          "class": .string(entry.2 ? entry.0.lowercased() : "unknown"),
        ])
      })
  }

  /// The documented events and SNS codes are always present (as 0), so the shape never depends on the data.
  private static let events = [
    "ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_COMPLETED", "ASSESSMENT_RUN_STATE_CHANGED", "FINDING_REPORTED", "OTHER",
  ]
  private static let snsCodes = ["SUCCESS", "TOPIC_DOES_NOT_EXIST", "ACCESS_DENIED", "INTERNAL_ERROR"]

  private static func value(of summary: NotificationSummary) -> TemplateValue {
    func counts(_ known: [String], _ actual: [String: Int]) -> ([String: TemplateValue], [TemplateValue]) {
      var map = Dictionary(uniqueKeysWithValues: known.map { ($0, 0) })
      map.merge(actual, uniquingKeysWith: +)
      let order = known + actual.keys.filter { !known.contains($0) }.sorted()
      return (map.mapValues { .int($0) }, order.map { .object(["name": .string($0), "count": .int(map[$0] ?? 0)]) })
    }
    let (byEvent, eventList) = counts(events, summary.byEvent)
    let (byStatus, statusList) = counts(snsCodes, summary.bySNSStatus)
    return .object([
      "total": .int(summary.total),
      "errors": .int(summary.errors),
      "byEvent": .object(byEvent),
      "eventList": .list(eventList),
      "snsStatus": .object(byStatus),
      "snsStatusList": .list(statusList),
      "failedDeliveries": .list(
        summary.failedDeliveries.map { delivery in
          .object([
            "date": timestamp(delivery.date),
            "event": .string(delivery.event),
            "topic": .string(delivery.topic),
            "code": .string(delivery.code),
          ])
        }),
      "failedDeliveryCount": .int(summary.failedDeliveries.count),
    ])
  }

  private static func phaseMap(_ phases: [RunPhase: TimeSpan]) -> TemplateValue {
    .object(Dictionary(uniqueKeysWithValues: RunPhase.allCases.map { ($0.rawValue, seconds(phases[$0] ?? .zero)) }))
  }

  private static func phaseList(_ phases: [RunPhase: TimeSpan]) -> TemplateValue {
    .list(
      RunPhase.allCases.map { phase in
        let span = phases[phase] ?? .zero
        return .object([
          "phase": .string(phase.rawValue), "seconds": seconds(span), "text": .string(span.humanDescription),
        ])
      })
  }

  private static func seconds(_ span: TimeSpan) -> TemplateValue {
    span.microseconds % 1_000_000 == 0 ? .int(Int(span.microseconds / 1_000_000)) : .double(span.seconds)
  }

  private static func timestamp(_ instant: Timestamp?) -> TemplateValue {
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

  var value: TemplateValue {
    .object([
      "tests": .int(tests), "passed": .int(passed), "failures": .int(failures), "errors": .int(errors),
      "skipped": .int(skipped),
    ])
  }
}

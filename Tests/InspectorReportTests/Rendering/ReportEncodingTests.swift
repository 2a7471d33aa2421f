import Testing

@testable import InspectorReport
@testable import TemplateEngine

@Suite struct ReportEncodingTests {
  /// Enough runs that they are analyzed and summed in several slices, and built in several parts.
  private static let runCount = 2000

  private static func report() -> Report {
    let runs = (0..<runCount).map { number in
      let created = Timestamp(microseconds: Int64(number) * 1_000_000)
      let state: RunState = number % 7 == 0 ? .collectingData : .completed
      return AssessmentRun(
        arn: "arn:aws:inspector:us-east-1:123456789012:target/0-t/template/0-\(number % 3)/run/0-\(number)",
        name: "run \(number)",
        templateArn: "arn:aws:inspector:us-east-1:123456789012:target/0-t/template/0-\(number % 3)",
        state: state, createdAt: created,
        stateChanges: [
          StateChange(at: created, state: "CREATED"),
          StateChange(at: Timestamp(microseconds: created.microseconds + 500_000), state: state),
        ],
        findingCounts: [SeverityCount(severity: "High", count: number % 5)])
    }
    let input = LoadedInput(
      name: "runs.json", snapshot: Snapshot(runs: runs), byteCount: 1, sha256: String(repeating: "0", count: 64))
    return Report(
      inputs: [input], policy: .standard, now: (Timestamp(microseconds: Int64(runCount) * 1_000_000), .option))
  }

  private static func text(_ scalar: TemplateValue) -> String {
    switch scalar {
    case .string(let text): text
    case .int(let number): "\(number)"
    case .bool(let flag): "\(flag)"
    default: "\(scalar)"
    }
  }

  private static func items(_ value: TemplateValue?) -> [TemplateValue] {
    guard case .list(let items) = value else { return [] }
    return items
  }

  private static func field(_ value: TemplateValue?, _ name: String) -> TemplateValue? {
    guard case .object(let object) = value else { return nil }
    return object[name]
  }

  @Test func templatesAndTotalsSumEverySlice() throws {
    let report = Self.report()
    let tree = ReportEncoding.make(ReportView(report))
    let root = tree.templateValue(tree.root)
    guard case .list(let templates) = Self.field(root, "templates") else {
      Issue.record("no templates list")
      return
    }
    #expect(templates.count == 3)
    for (template, members) in zip(
      templates, (0..<3).map { t in report.runs.filter { $0.run.templateArn.hasSuffix("/0-\(t)") } })
    {
      let latest = try #require(members.last)
      #expect(Self.field(template, "runs") == .int(members.count))
      #expect(Self.field(template, "inProgress") == .int(members.count { $0.timeline.inProgress }))
      #expect(Self.field(template, "runsWithProblems") == .int(members.count(where: \.hasProblem)))
      #expect(Self.field(template, "latestRun") == .string(latest.run.name))
      #expect(Self.field(template, "latestState") == .string(latest.run.state.name))
      let high = members.reduce(0) { $0 + $1.findings[.high] }
      #expect(Self.field(Self.field(template, "findings"), "High") == .int(high))
    }
    let totals = Self.field(root, "totals")
    #expect(Self.field(totals, "runs") == .int(Self.runCount))
    #expect(Self.field(totals, "inProgress") == .int(report.runs.count { $0.timeline.inProgress }))
    #expect(Self.field(totals, "runsWithProblems") == .int(report.runs.count(where: \.hasProblem)))
    #expect(report.runs.count { $0.timeline.inProgress } == (0..<Self.runCount).count { $0 % 7 == 0 })
  }

  /// The totals are summed in slices of runs as they are analyzed, in input order; they are those of report order.
  @Test func totalsDoNotDependOnInputOrder() {
    let report = Self.report()
    let reversed = Report(
      inputs: [
        LoadedInput(
          name: "runs.json", snapshot: Snapshot(runs: report.runs.map(\.run).reversed()), byteCount: 1,
          sha256: String(repeating: "0", count: 64))
      ], policy: .standard, now: (report.now ?? Timestamp(microseconds: 0), .option))
    let (first, second) = (report.totals, reversed.totals)
    #expect(first.templates.mapValues(\.latest?.run.name) == second.templates.mapValues(\.latest?.run.name))
    #expect(first.templates.mapValues(\.runs) == second.templates.mapValues(\.runs))
    #expect(first.byState == second.byState && first.elapsed == second.elapsed)
    #expect(first.checks.failures == second.checks.failures && first.phases == second.phases)
    // The latest run of a template is its last in report order.
    for (arn, totals) in first.templates {
      #expect(totals.latest?.run.name == report.runs.last { $0.run.templateArn == arn }?.run.name)
    }
  }

  @Test func sharedEntriesKeepLargeCountsAndUndocumentedNames() throws {
    let notifications = NotificationSummary(
      [
        RunNotification(date: nil, event: "ASSESSMENT_RUN_STARTED", error: false, snsPublishStatusCode: "SUCCESS"),
        RunNotification(date: nil, event: "NEW_EVENT", error: false, snsPublishStatusCode: "THROTTLED"),
      ] + Array(repeating: RunNotification(date: nil, event: "OTHER", error: false), count: 70))
    let runs = (0..<2).map { number in
      AssessmentRun(
        arn: "arn:aws:inspector:us-east-1:123456789012:target/0-t/template/0-t/run/0-\(number)", state: "COMPLETED",
        notifications: notifications,
        findingCounts: [
          SeverityCount(severity: "High", count: 70), SeverityCount(severity: "Critical", count: 2),
          SeverityCount(severity: "Low", count: 63),
        ])
    }
    let report = Report(
      inputs: [
        LoadedInput(
          name: "runs.json", snapshot: Snapshot(runs: runs), byteCount: 1, sha256: String(repeating: "0", count: 64))
      ], policy: .standard)
    let tree = ReportEncoding.make(ReportView(report))
    guard case .list(let treeRuns) = Self.field(tree.templateValue(tree.root), "runs") else {
      Issue.record("no runs list")
      return
    }
    /// Each entry of a list as "name count" (and "known" when it has one).
    let entries = { (object: TemplateValue?, list: String, name: String) -> [String] in
      Self.items(Self.field(object, list)).map { item in
        [name, "count", "known"].compactMap { Self.field(item, $0).map(Self.text) }.joined(separator: " ")
      }
    }
    // The totals list every run's failed deliveries again, in run order.
    let runDeliveries = treeRuns.flatMap { Self.items(Self.field(Self.field($0, "notifications"), "failedDeliveries")) }
    let totals = Self.field(tree.templateValue(tree.root), "totals")
    #expect(runDeliveries.map { Self.field($0, "code") } == [.string("THROTTLED"), .string("THROTTLED")])
    #expect(Self.items(Self.field(Self.field(totals, "notifications"), "failedDeliveries")) == runDeliveries)
    for run in treeRuns {
      #expect(
        entries(run, "findingList", "severity") == [
          "High 70 true", "Medium 0 true", "Low 63 true", "Informational 0 true",
          "Undefined 0 true", "Critical 2 false",
        ])
      let notificationValue = Self.field(run, "notifications")
      #expect(
        entries(notificationValue, "eventList", "name") == [
          "ASSESSMENT_RUN_STARTED 1", "ASSESSMENT_RUN_COMPLETED 0", "ASSESSMENT_RUN_STATE_CHANGED 0",
          "FINDING_REPORTED 0", "OTHER 70", "NEW_EVENT 1",
        ])
      #expect(
        entries(notificationValue, "snsStatusList", "name") == [
          "SUCCESS 1", "TOPIC_DOES_NOT_EXIST 0", "ACCESS_DENIED 0", "INTERNAL_ERROR 0",
          "THROTTLED 1",
        ])
    }
  }
}

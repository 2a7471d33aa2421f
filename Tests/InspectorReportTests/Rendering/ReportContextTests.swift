import Testing

@testable import InspectorReport
@testable import TemplateEngine

@Suite struct ReportContextTests {
  /// Enough runs that the context builds them in several slices, on several cores, and sums the slices.
  private static let runCount = 2000

  private static func report() -> Report {
    let runs = (0..<runCount).map { number in
      let created = Timestamp(microseconds: Int64(number) * 1_000_000)
      let state = number % 7 == 0 ? "COLLECTING_DATA" : "COMPLETED"
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
    let input = LoadedInput(name: "runs.json", snapshot: Snapshot(runs: runs), byteCount: 1)
    return Report(
      inputs: [input], policy: .standard, now: (Timestamp(microseconds: Int64(runCount) * 1_000_000), .option))
  }

  private static func field(_ value: TemplateValue?, _ name: String) -> TemplateValue? {
    guard case .object(let object) = value else { return nil }
    return object[name]
  }

  @Test func templatesAndTotalsSumEverySlice() throws {
    let report = Self.report()
    let tree = ReportContext.make(report)
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
      #expect(Self.field(template, "latestState") == .string(latest.run.state))
      let high = members.reduce(0) { $0 + $1.findings[.high] }
      #expect(Self.field(Self.field(template, "findings"), "High") == .int(high))
    }
    let totals = Self.field(root, "totals")
    #expect(Self.field(totals, "runs") == .int(Self.runCount))
    #expect(Self.field(totals, "inProgress") == .int(report.runs.count { $0.timeline.inProgress }))
    #expect(Self.field(totals, "runsWithProblems") == .int(report.runs.count(where: \.hasProblem)))
    #expect(report.runs.count { $0.timeline.inProgress } == (0..<Self.runCount).count { $0 % 7 == 0 })
  }
}

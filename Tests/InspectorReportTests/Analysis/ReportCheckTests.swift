import Testing

@testable import InspectorReport

/// What the report requires beyond each run: runs at all, and maxima for severities Inspector does not document.
@Suite struct ReportCheckTests {
  private static func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  private static func report(runs: [AssessmentRun], policy: Policy = .standard, now: Timestamp? = nil) -> Report {
    let input = LoadedInput(
      name: "a.json", snapshot: Snapshot(runs: runs, failedItems: []), byteCount: 2,
      sha256: String(repeating: "0", count: 64))
    return Report(inputs: [input], policy: policy, now: now.map { ($0, .option) })
  }

  private static func completed(_ arn: String, findings: [SeverityCount] = []) -> AssessmentRun {
    AssessmentRun(
      arn: arn, state: .completed, dataCollected: true,
      stateChanges: [StateChange(at: at(0), state: .created), StateChange(at: at(10), state: .completed)],
      findingCounts: findings)
  }

  @Test func noRunsIsNotAPass() {
    let report = Self.report(runs: [])
    #expect(report.hasProblem)
    #expect(report.checks.map(\.name) == ["runs"])
    #expect(report.checks.first?.status == .failed)
    #expect(report.checks.first?.message == "no assessment runs in the inputs; at least 1 required")
    #expect(report.totals.checks.tests == 1 && report.totals.checks.failures == 1)
    #expect(report.now == nil && report.nowSource == .none)
  }

  @Test func minimumRunsSetsHowManyRunsAreRequired() {
    let allowed = Self.report(runs: [], policy: Policy(maxima: [:], minimumRuns: 0))
    #expect(!allowed.hasProblem)
    #expect(allowed.checks.first?.message == "no assessment runs in the inputs; none required")
    let two = Self.report(
      runs: [Self.completed("a"), Self.completed("b")], policy: Policy(maxima: [:], minimumRuns: 3))
    #expect(two.hasProblem && two.totals.runsWithProblems == 0)
    #expect(two.checks.first?.message == "2 assessment runs in the inputs; at least 3 required")
    let one = Self.report(runs: [Self.completed("a")])
    #expect(!one.hasProblem)
    #expect(one.checks.first?.message == "1 assessment run in the inputs; at least 1 required")
    #expect(one.totals.checks.tests == 8 + 1 && one.totals.checks.passed == 9)
  }

  @Test func anyDocumentedSeverityMatchesInAnyCaseAndOthersAsWritten() throws {
    var policy = Policy.standard
    try policy.apply("high=3")
    try policy.apply("Critical=0")
    try policy.apply("critical=none")
    #expect(policy.maxima == [.high: 3, .undocumented("Critical"): 0])
    #expect(throws: PolicyError.self) { try policy.apply("=1") }
    #expect(throws: PolicyError.self) { try policy.apply("Critical=-1") }
  }

  @Test func anUndocumentedMaximumChecksEveryRun() throws {
    var policy = Policy.standard
    try policy.apply("Critical=0")
    let report = Self.report(
      runs: [Self.completed("a", findings: [SeverityCount(severity: "Critical", count: 7)]), Self.completed("b")],
      policy: policy)
    #expect(report.warnings.isEmpty)
    let checks = report.runs.map { $0.checks.first { $0.name == "findings-Critical" } }
    #expect(checks.map { $0?.status } == [.failed, .passed])
    #expect(checks.first??.message == "7 Critical findings, more than the maximum of 0")
    #expect(ReportView(report).maxima.map(\.severity.name).last == "Critical")
  }

  @Test func anUndocumentedMaximumNoInputHasIsAWarning() throws {
    var policy = Policy.standard
    try policy.apply("Critcal=0")
    let report = Self.report(runs: [Self.completed("a")], policy: policy)
    #expect(report.warnings.map(\.description) == ["warning: --max Critcal: no input has Critcal findings"])
    #expect(!report.hasProblem)
  }

  @Test func theConsoleLineCountsInSingularAndPlural() {
    let one = Self.report(runs: [Self.completed("a")])
    #expect(
      ConsoleSummary.line(for: one, folder: "out")
        == "PASSED: 1 run (0 in progress, 0 duplicate entries dropped), 0 failed items; 9 checks: 9 passed, "
        + "0 failed, 0 errors, 0 skipped → out")
    let high = [SeverityCount(severity: .high, count: 1)]
    let failing = Self.report(runs: [Self.completed("a", findings: high), Self.completed("b"), Self.completed("c")])
    #expect(
      ConsoleSummary.line(for: failing, folder: "out")
        == "FAILED: 1 of 3 runs has problems (0 in progress, 0 duplicate entries dropped), 0 failed items; 25 checks: "
        + "24 passed, 1 failed, 0 errors, 0 skipped → out")
    #expect(
      ConsoleSummary.line(for: Self.report(runs: []), folder: "out").hasPrefix("FAILED: 0 of 0 runs have problems"))
  }
}

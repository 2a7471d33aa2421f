import Foundation
import Testing

@testable import InspectorReport

/// The report model, read without rendering anything.
@Suite struct ReportViewTests {
  private static func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  private static let region = "arn:aws:inspector:us-west-2:123456789012"

  /// A completed run with a High finding, a failed run with a very long undocumented state, and a run in progress.
  private static func report(failedItems: Int = 2) -> Report {
    let long = String(repeating: "S", count: 3000)
    let runs = [
      AssessmentRun(
        arn: "\(region):target/0-t/template/0-a/run/0-done", name: "done",
        templateArn: "\(region):target/0-t/template/0-a",
        state: .completed, createdAt: at(0), dataCollected: true,
        stateChanges: [StateChange(at: at(0), state: .created), StateChange(at: at(90), state: .completed)],
        findingCounts: [SeverityCount(severity: .high, count: 1)]),
      AssessmentRun(
        arn: "not-an-arn", name: "odd", state: .undocumented(long), dataCollected: true,
        stateChanges: [StateChange(at: at(10), state: .failed)]),
      AssessmentRun(
        arn: "\(region):target/0-t/template/0-a/run/0-going", name: "going",
        templateArn: "\(region):target/0-t/template/0-a", state: .collectingData, createdAt: at(100),
        stateChanges: [StateChange(at: at(100), state: .collectingData)]),
    ]
    let items = (0..<failedItems).map {
      FailedItem(
        arn: "\(region):run/0-\($0)", failureCode: "ACCESS_DENIED", retryable: $0 == 0,
        source: SourceLocation(file: "a.json", line: 1, column: 1))
    }
    let input = LoadedInput(
      name: "a.json", snapshot: Snapshot(runs: runs, failedItems: items), byteCount: 1,
      sha256: String(repeating: "0", count: 64))
    return Report(inputs: [input], policy: .standard, now: (at(400), .option))
  }

  @Test func theTotalsCountEachFailedItemAsACheckWithAnError() {
    let report = Self.report()
    let checks = report.totals.checks
    let runChecks = report.runs.reduce(0) { $0 + $1.checkCounts.tests }
    // The report's own check, `runs`, is among them too.
    #expect(checks.tests == runChecks + 2 + 1)
    #expect(checks.errors == report.runs.reduce(0) { $0 + $1.checkCounts.errors } + 2)
    #expect(checks.tests == checks.passed + checks.failures + checks.errors + checks.skipped)
    #expect(ReportView(report).totals.sums.checks == checks)
  }

  @Test func inputProblemsAreListedByPlaceWhateverTheOrderOfTheInputs() {
    let problems = [
      SnapshotError("b", at: SourceLocation(file: "b.json", line: 1, column: 1)),
      SnapshotError("a2", at: SourceLocation(file: "a.json", line: 2, column: 1)),
      SnapshotError("a1", at: SourceLocation(file: "a.json", line: 1, column: 9)),
    ]
    let messages = [problems, problems.reversed()].map { problems in
      Report(inputs: [], policy: .standard, now: (Self.at(0), .option), inputProblems: problems).checks.map(\.message)
    }
    #expect(messages[0] == messages[1])
    #expect(messages[0].dropFirst().map { $0.hasPrefix("a.json:1:9") } == [true, false, false])
  }

  @Test func theScopeIsSaidInWordsWithSingulars() {
    #expect(ReportView(Self.report()).totals.scopeText == "3 runs from 3 entries in 1 input")
    let one = LoadedInput(
      name: "b.json",
      snapshot: Snapshot(runs: [AssessmentRun(arn: "a", name: "a", state: .completed)], failedItems: []),
      byteCount: 1, sha256: String(repeating: "0", count: 64))
    let report = Report(inputs: [one, one], policy: .standard, now: (Self.at(400), .option))
    #expect(ReportView(report).totals.scopeText == "1 run from 2 entries in 2 inputs")
  }

  /// The console says what report.json says: its counts add up to its number of checks, the report's own and the
  /// failed items included.
  @Test func theConsoleLineReadsTheSameTotals() throws {
    let report = Self.report()
    let checks = report.totals.checks
    let counted = try #require(ConsoleSummary.line(for: report, folder: "out").split(separator: ";").last)
    let numbers = counted.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }
    #expect(numbers.count == 5 && numbers[0] == numbers[1...].reduce(0, +))
    #expect(
      numbers.first
        == report.runs.reduce(0) { $0 + $1.checkCounts.tests } + report.failedItems.count + report.checks.count)
    let line = ConsoleSummary.line(for: report, folder: "out")
    #expect(
      line.hasSuffix(
        "\(checks.tests) checks: \(checks.passed) passed, \(checks.failures) failed, \(checks.errors) errors, "
          + "\(checks.skipped) skipped → out"))
    #expect(
      line.hasPrefix("FAILED: 2 of 3 runs have problems (1 in progress, 0 duplicate entries dropped), 2 failed items;"))
  }

  @Test func onlyTheCheckThatJudgesTheWholeRunTakesItsTime() throws {
    let run = ReportView(Self.report()).runs[0]
    #expect(run.name == "done")
    let checks = run.checks
    #expect(checks.map(\.name) == RunCheck.all.map(\.name))
    #expect(checks.first { $0.name == "run-state" }?.time == TimeSpan(microseconds: 90_000_000))
    #expect(checks.filter { $0.name != "run-state" }.allSatisfy { $0.time == .zero })
    #expect(run.elapsed == TimeSpan(microseconds: 90_000_000))
  }

  /// JUnit consumers' caps are the model's: a check's message is at most 1 KiB in every output, while the state it
  /// names is kept whole.
  @Test func checkMessagesAreCappedAndTheRunKeepsTheWholeValue() throws {
    let run = try #require(ReportView(Self.report()).runs.first { $0.name == "odd" })
    let message = try #require(run.checks.first?.message)
    #expect(message.utf8.count <= CheckView.messageLimit)
    #expect(message.hasSuffix("bytes]") && message.hasPrefix("run ended in state SSS"))
    #expect(run.state.name.utf8.count == 3000)
  }

  @Test func aRunInProgressIsShownAsInProgressMeasuredToNow() throws {
    let model = ReportView(Self.report())
    let run = try #require(model.runs.last)
    #expect(run.name == "going" && run.inProgress && run.lastState == .collectingData)
    #expect(run.elapsed == TimeSpan(microseconds: 300_000_000))
    #expect(run.checks.first?.status == .skipped)
    #expect(model.totals.sums.inProgress == 1)
  }

  @Test func junitNamesAndFallbacks() throws {
    let model = ReportView(Self.report())
    let odd = try #require(model.runs.first { $0.name == "odd" })
    // No creation time: the first state change; not an ARN: no region, so the host is localhost.
    #expect(odd.junit.timestamp == Self.at(10))
    #expect(odd.junit.hostname == "localhost" && odd.id == "not-an-arn")
    let done = try #require(model.runs.first { $0.name == "done" })
    #expect(done.junit.hostname == "us-west-2" && done.account == "123456789012" && done.id == "0-done")
    #expect(done.junit.suite == "done (0-done)" && done.junit.classname == "aws-inspector.done")
    #expect(model.runs.map(\.index) == [0, 1, 2] && model.runs.allSatisfy(\.junit.shown))
  }

  /// Run IDs are only the last part of an ARN: two runs of one name and ID in two accounts would give two
  /// testcases of one name, of which consumers keep one. The later, in report order, is numbered.
  @Test func junitSuitesStayUniqueWhenTwoRunsShareANameAndAnID() throws {
    let runs = ["111111111111", "222222222222", "333333333333"].enumerated().map { offset, account in
      AssessmentRun(
        arn: "arn:aws:inspector:us-west-2:\(account):target/0-t/template/0-a/run/0-same", name: "twin",
        templateArn: "arn:aws:inspector:us-west-2:\(account):target/0-t/template/0-a", state: .completed,
        createdAt: Self.at(Int64(offset)), dataCollected: true,
        stateChanges: [StateChange(at: Self.at(0), state: .completed)])
    }
    let input = LoadedInput(
      name: "a.json", snapshot: Snapshot(runs: runs, failedItems: []), byteCount: 1,
      sha256: String(repeating: "0", count: 64))
    let report = Report(inputs: [input], policy: .standard, now: (Self.at(400), .option))
    for identity in JUnitIdentity.allCases {
      let suites = ReportView(report, junitIdentity: identity).runs.filter(\.junit.shown).map(\.junit.suite)
      let first = identity == .run ? "twin (0-same)" : "template 0-a"
      #expect(suites == [first, "\(first) #2", "\(first) #3"], "\(identity)")
    }
  }

  /// By template, JUnit shows each template's newest run alone, named after the template, so that the names stay
  /// the same from one report to the next.
  @Test func junitByTemplateShowsEachTemplatesNewestRun() throws {
    let model = ReportView(Self.report(), junitIdentity: .template)
    let newest = Set(Self.report().totals.templates.values.compactMap { $0.latest?.run.arn })
    #expect(newest.count < model.runs.count)
    for run in model.runs {
      #expect(run.junit.shown == newest.contains(run.arn), "\(run.name)")
    }
    let shown = model.runs.filter(\.junit.shown)
    #expect(shown.map(\.junit.suite).sorted() == ["no template", "template 0-a"])
    #expect(shown.map(\.junit.classname).sorted() == ["aws-inspector.no template", "aws-inspector.template 0-a"])
  }

  @Test func theFailedItemsSuiteKeepsAPlaceholderWhenEmpty() {
    #expect(ReportView(Self.report(failedItems: 0)).junit.failedItemsTests == 1)
    #expect(ReportView(Self.report(failedItems: 2)).junit.failedItemsTests == 2)
    #expect(
      ReportView(Self.report(failedItems: 2)).failedItems.map(\.message) == [
        "ACCESS_DENIED (retryable)", "ACCESS_DENIED (not retryable)",
      ])
  }

  @Test func templatesAndStatesAreOrderedByName() {
    let model = ReportView(Self.report())
    #expect(model.templates.map(\.id) == ["", "0-a"])
    #expect(model.templates.last?.totals.latest?.run.name == "going")
    #expect(
      model.totals.byState.map(\.state.name) == ["COLLECTING_DATA", "COMPLETED", String(repeating: "S", count: 3000)])
    #expect(model.maxima.map(\.max) == [0, nil, nil, nil, nil])
  }
}

import Foundation
import Testing

@testable import InspectorReport

/// Reading a baseline `report.json` and comparing each template's newest run with it.
@Suite struct BaselineTests {
  static let folder = "Tests/InspectorReportTests/Inputs/baseline"
  static let template = "arn:aws:inspector:us-west-2:123456789012:target/0-tgt00001/template/"

  static func inputs(_ names: [String]) throws -> [LoadedInput] {
    try names.map { try SnapshotLoader.load(RawPath("\(TestPaths.root.path)/\(folder)/\($0)")) }
  }

  /// The `report.json` of `inputs`, as the tool writes it.
  static func reportJSON(of inputs: [LoadedInput]) throws -> [UInt8] {
    let report = Report(inputs: inputs, policy: Policy(maxima: [:]), now: OutputTests.now)
    return try #require(try ReportJob.render(report, with: TemplateSet())["report.json"])
  }

  static func thenBaseline() throws -> Baseline {
    try Baseline.parse(try reportJSON(of: try inputs(["then/runs.json"])), source: "base.json")
  }

  static func comparison(maximumIncreases: [Severity: Int] = [:]) throws -> BaselineComparison {
    let report = Report(
      inputs: try inputs(["now/grown.json", "now/others.json"]), policy: Policy(maxima: [:]), now: OutputTests.now,
      baseline: try thenBaseline(), maximumIncreases: maximumIncreases)
    return try #require(report.baseline)
  }

  @Test func readsEachTemplatesNewestRunFromAReportJSON() throws {
    let baseline = try Self.thenBaseline()
    #expect(baseline.source == "base.json")
    #expect(baseline.now == "2019-01-04T00:00:00Z")
    #expect(baseline.newestRuns.keys.sorted() == ["0-changedB", "0-goneCCCC", "0-grownAAA"].map { Self.template + $0 })
    let grown = try #require(baseline.newestRuns[Self.template + "0-grownAAA"])
    #expect(grown.arn == Self.template + "0-grownAAA/run/0-runA0002")
    #expect(grown.findings[.high] == 2)
    #expect(grown.findings[.medium] == 3)
    #expect(grown.checks["run-state"] == .passed)
    #expect(baseline.newestRuns[Self.template + "0-changedB"]?.checks["data-collected"] == .failed)
  }

  @Test func comparesFindingsPerSeverityWithSignedChanges() throws {
    let comparison = try Self.comparison()
    #expect(comparison.templates.map(\.presence) == [.compared, .disappeared, .compared, .appeared])
    let grown = comparison.templates[2]
    #expect(grown.arn == Self.template + "0-grownAAA")
    #expect(grown.findings.map(\.severity) == Severity.documented)
    #expect(grown.findings.map(\.change) == [6, -1, 0, 0, 0])
    #expect(grown.findings.map(\.text).prefix(2) == ["High +6 (2 → 8)", "Medium -1 (3 → 2)"])
    #expect(grown.runNow == Self.template + "0-grownAAA/run/0-runA0003")
    #expect(grown.runThen == Self.template + "0-grownAAA/run/0-runA0002")
    // Without --max-increase, the check passes and says what changed.
    #expect(grown.check.status == .passed)
    #expect(grown.check.message == "High +6 (2 → 8); Medium -1 (3 → 2)")
  }

  @Test func findsChecksNewlyFailingAndNewlyPassing() throws {
    let changed = try Self.comparison().templates[0]
    #expect(changed.arn == Self.template + "0-changedB")
    #expect(changed.newlyFailing == ["run-state"])
    #expect(changed.newlyPassing == ["data-collected"])
    #expect(changed.changed)
    #expect(changed.check.message == "findings unchanged")
    #expect(changed.check.details.contains("newly failing: run-state"))
  }

  @Test func aTemplateOnOneSideOnlyIsASkippedCheck() throws {
    let comparison = try Self.comparison(maximumIncreases: [.high: 0])
    let gone = comparison.templates[1]
    #expect(gone.check.status == .skipped)
    #expect(gone.check.message == "not in the inputs: nothing to compare")
    #expect(gone.runNow == nil)
    let new = comparison.templates[3]
    #expect(new.check.status == .skipped)
    #expect(new.check.message == "not in the baseline: nothing to compare with")
    #expect(new.runThen == nil)
  }

  @Test(arguments: [(0, CheckResult.Status.failed), (5, .failed), (6, .passed), (10, .passed)])
  func aGrowthBeyondTheMaximumIncreaseFails(limit: Int, status: CheckResult.Status) throws {
    let comparison = try Self.comparison(maximumIncreases: [.high: limit, .medium: 0])
    let grown = comparison.templates[2]
    #expect(grown.check.status == status)
    if status == .failed {
      #expect(grown.check.message == "High +6 (2 → 8), more than the allowed increase of \(limit)")
    }
  }

  @Test func theBaselineChecksCountInTheTotalsAndTheVerdict() throws {
    let report = Report(
      inputs: try Self.inputs(["now/grown.json"]), policy: Policy(maxima: [:]), now: OutputTests.now,
      baseline: try Self.thenBaseline(), maximumIncreases: [.high: 0])
    #expect(report.totals.checks.tests == 9 + 3)
    #expect(report.totals.checks.failures == 1)
    #expect(report.totals.checks.skipped == 2)
    #expect(report.hasProblem)
    #expect(
      ReportView(report).verdictText
        == "baseline of template 0-grownAAA: High +6 (2 → 8), more than the allowed increase of 0")
    let passing = Report(
      inputs: try Self.inputs(["now/grown.json"]), policy: Policy(maxima: [:]), now: OutputTests.now,
      baseline: try Self.thenBaseline(), maximumIncreases: [.high: 10])
    #expect(!passing.hasProblem)
  }

  /// Template IDs are only the last part of an ARN: two templates in two regions may share one, and JUnit needs a
  /// testcase name for each.
  @Test func templatesSharingAnIDGetJUnitNamesOfTheirOwn() throws {
    let run = BaselineRun(arn: "r", findings: FindingCounts(), checks: [:])
    let baseline = Baseline(
      source: "base.json", sha256: String(repeating: "0", count: 64), now: nil,
      newestRuns: [
        "arn:aws:inspector:us-east-1:1:target/0-a/template/0-x": run,
        "arn:aws:inspector:us-west-2:1:target/0-a/template/0-x": run,
      ])
    let report = Report(inputs: [], policy: .standard, baseline: baseline)
    let view = try #require(ReportView(report).baseline)
    #expect(view.templates.map(\.junitName) == ["template 0-x", "template 0-x #2"])
    #expect(view.disappeared.count == 2)
    #expect(view.checkCounts.skipped == 2)
  }

  @Test(arguments: [(6, "+6"), (-2, "-2"), (0, "0"), (1_200, "+1,200"), (-12_345, "-12,345")])
  func changesAreSignedWithThousandsSeparators(change: Int, text: String) {
    #expect(signed(change) == text)
  }

  @Test func maximumIncreasesAreReadAsMaximaAre() throws {
    var increases: [Severity: Int] = [:]
    try BaselineComparison.apply("high=0", to: &increases)
    try BaselineComparison.apply("Critical=3", to: &increases)
    #expect(increases == [.high: 0, .undocumented("Critical"): 3])
    try BaselineComparison.apply("High=none", to: &increases)
    #expect(increases == [.undocumented("Critical"): 3])
    #expect(throws: PolicyError.self) { try BaselineComparison.apply("High", to: &increases) }
    do {
      try BaselineComparison.apply("High=-1", to: &increases)
    } catch {
      #expect(error.description == "--max-increase 'High=-1': N must be a whole number ≥ 0, or 'none'")
    }
  }

  // MARK: - Errors

  static func parseError(_ text: String) -> String? {
    do {
      _ = try Baseline.parse(Array(text.utf8), source: "base.json")
      return nil
    } catch {
      return error.description
    }
  }

  @Test func aReportOfAnotherVersionIsRefused() throws {
    let text = String(decoding: try Self.reportJSON(of: try Self.inputs(["then/runs.json"])), as: UTF8.self)
      .replacingOccurrences(of: #""version": "\#(ToolView.version)""#, with: #""version": "0.0.9""#)
    #expect(
      Self.parseError(text)
        == "base.json:1:1: error: --baseline: written by inspector-report 0.0.9; this is \(ToolView.version), and a report's "
        + "fields may change between versions: compare with a report.json this version wrote")
  }

  @Test(arguments: [
    (
      #"{"assessmentRuns": [], "failedItems": {}}"#,
      " (it looks like a snapshot: give the report.json of an earlier run)"
    ),
    (#"[{"arn": "a"}]"#, " (it looks like a snapshot: give the report.json of an earlier run)"),
    (#"{"tool": {"name": "other", "version": "1"}}"#, ""),
    (#""inspector-report""#, ""),
  ])
  func jsonThatIsNotOurReportIsRefused(text: String, hint: String) {
    #expect(Self.parseError(text) == "base.json:1:1: error: --baseline: not an inspector-report report.json\(hint)")
  }

  @Test func aTruncatedReportIsAnErrorWhereItEnds() throws {
    let bytes = try Self.reportJSON(of: try Self.inputs(["then/runs.json"]))
    let cut = String(decoding: bytes.prefix(bytes.count / 2), as: UTF8.self)
    let lines = cut.split(separator: "\n", omittingEmptySubsequences: false)
    let message = try #require(Self.parseError(cut))
    #expect(
      message.hasPrefix("base.json:\(lines.count):\(lines.last!.utf8.count + 1): error: --baseline: "), "\(message)")
  }

  @Test func aRunWithoutItsFieldsIsAnErrorAtTheRun() {
    let text = """
      {"runs": [
        {"arn": "r", "template": "t", "findings": {"High": "many"}, "checks": []}
      ], "tool": {"name": "inspector-report", "version": "\(ToolView.version)"}}
      """
    #expect(
      Self.parseError(text)
        == "base.json:2:54: error: --baseline: runs[0].findings.High: expected a number, found a string")
  }

  /// Only each template's newest run is read in full; the runs before it are passed over for their template.
  @Test func onlyTheNewestRunOfATemplateIsReadInFull() throws {
    let text = """
      {"runs": [
        {"arn": 1, "template": "t", "findings": "none", "checks": 2},
        {"arn": "r", "template": "t", "findings": {"High": 3, "total": 3}, "checks": [{"name": "c", "status": "failed"}]}
      ], "tool": {"name": "inspector-report", "version": "\(ToolView.version)"}}
      """
    let baseline = try Baseline.parse(Array(text.utf8), source: "base.json")
    #expect(
      baseline.newestRuns["t"]
        == BaselineRun(
          arn: "r", findings: FindingCounts([SeverityCount(severity: .high, count: 3)]), checks: ["c": .failed]))
    #expect(
      Self.parseError(
        #"{"runs": [{"arn": "r"}], "tool": {"name": "inspector-report", "version": "\#(ToolView.version)"}}"#)
        == "base.json:1:11: error: --baseline: runs[0]: 'template' is missing")
  }

  @Test func aMissingFileSaysWhy() {
    #expect(throws: SnapshotError.self) { try Baseline.read("no-such-baseline.json") }
    do {
      _ = try Baseline.read("no-such-baseline.json")
    } catch {
      #expect(error.description.hasPrefix("no-such-baseline.json: error: --baseline: cannot read the file: "))
    }
  }
}

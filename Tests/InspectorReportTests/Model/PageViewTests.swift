import Foundation
import Testing

@testable import InspectorReport

/// What the model computes for the HTML page: separators, bars, trends, the verdict's words, which runs have
/// details.
@Suite struct PageViewTests {
  private static let region = "arn:aws:inspector:us-west-2:123456789012"

  private static func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  /// `count` completed runs of template `0-a`, one second apart; every third has `high` High findings.
  private static func report(runs count: Int, high: Int = 1) -> Report {
    let template = "\(region):target/0-t/template/0-a"
    let runs = (0..<count).map { number -> AssessmentRun in
      let start = Int64(number)
      let changes = [StateChange(at: at(start), state: .created), StateChange(at: at(start + 60), state: .completed)]
      let findings = [SeverityCount(severity: .high, count: number % 3 == 0 ? high : 0)]
      return AssessmentRun(
        arn: "\(template)/run/0-\(number)", name: "run \(number)", templateArn: template, state: .completed,
        createdAt: at(start), dataCollected: true, stateChanges: changes, findingCounts: findings)
    }
    let input = LoadedInput(
      name: "a.json", snapshot: Snapshot(runs: runs), byteCount: 1, sha256: String(repeating: "0", count: 64))
    return Report(inputs: [input], policy: .standard, now: (at(Int64(count) + 100), .option))
  }

  @Test func countsHaveThousandsSeparators() {
    #expect(grouped(0) == "0")
    #expect(grouped(999) == "999")
    #expect(grouped(1000) == "1,000")
    #expect(grouped(1_266_675) == "1,266,675")
    #expect(grouped(-12_345) == "-12,345")
    #expect(grouped(Int.min) == "-9,223,372,036,854,775,808")
  }

  @Test func thePolicyInWordsNamesEachMaximumOnceAndTheRunsRequired() {
    #expect(
      ReportView(Self.report(runs: 1)).policyText
        == "High ≤ 0; no maximum for Medium, Low, Informational, Undefined; at least 1 run")
    let strict = Report(inputs: [], policy: Policy(maxima: [.high: 1000, .low: 5, "Critical": 0], minimumRuns: 2))
    #expect(
      ReportView(strict).policyText
        == "High ≤ 1,000; Low ≤ 5; Critical ≤ 0; no maximum for Medium, Informational, Undefined; at least 2 runs")
    let open = Report(inputs: [], policy: Policy(maxima: [:], minimumRuns: 0))
    #expect(
      ReportView(open).policyText == "no maximum for High, Medium, Low, Informational, Undefined; no run required")
  }

  @Test func barsAreTheirShareOfTheLargestAndNonZeroCountsShow() {
    let bars = BarView.bars([("a", 1000), ("b", 500), ("c", 1), ("d", 0)])
    #expect(bars.map(\.length) == [BarView.fullLength, BarView.fullLength / 2, 1, 0])
    #expect(bars.map(\.countText) == ["1,000", "500", "1", "0"])
    #expect(BarView.bars([("a", 0)]).map(\.length) == [0])
  }

  @Test func theVerdictSaysWhichChecksFailedInHowManyRuns() {
    let failing = ReportView(Self.report(runs: 6))
    #expect(failing.verdictText == "2 of 6 runs have problems: findings-High failed in 2 runs")
    let passing = ReportView(Self.report(runs: 3, high: 0))
    #expect(passing.verdictText == "All 3 runs passed every check")
  }

  @Test func aTemplateWithSeveralRunsHasATrendOldestToNewest() throws {
    let view = ReportView(Self.report(runs: 4, high: 2))
    let trend = try #require(view.templates.first?.trend)
    #expect(trend.runs == 4 && trend.runsLeftOut == 0 && trend.largest == 2)
    // Runs 0 and 3 have 2 High findings, at the top of the chart; the others none, at its foot.
    #expect(trend.lines.map(\.severity) == ["High"])
    #expect(trend.lines.first?.points == "0,0 200,100 400,100 600,0")
    #expect(trend.lines.first?.newest == 2)

    let long = try #require(ReportView(Self.report(runs: TrendView.runLimit + 7)).templates.first?.trend)
    #expect(long.runs == TrendView.runLimit && long.runsLeftOut == 7)
  }

  @Test func largeReportsShowDetailsOnlyForTheNewestRunsWithAProblem() {
    let small = ReportView(Self.report(runs: ReportView.detailedRunLimit))
    #expect(!small.detailsOnlyForRunsWithProblems)
    #expect(small.runs.allSatisfy { $0.showsDetails })

    let large = ReportView(Self.report(runs: ReportView.detailedRunLimit + 1))
    #expect(large.detailsOnlyForRunsWithProblems)
    #expect(large.runs.allSatisfy { $0.showsDetails == $0.problem })

    // Every third run has a problem: past the limit, only the newest of them have details.
    let count = ReportView.detailedRunLimit * 3 + 30
    let huge = ReportView(Self.report(runs: count))
    let detailed = huge.runs.filter(\.showsDetails)
    #expect(detailed.count == ReportView.detailedRunLimit)
    #expect(detailed.last?.index == count - 3 && detailed.allSatisfy { $0.index >= 30 })
    #expect(huge.detailedRunsText == "the 500 newest runs with a problem")
  }

  /// A run shown as a compact row has no `details` in the model, so neither the page nor `report.json` carries
  /// its timeline; a run shown in full has a bar per state.
  @Test func onlyRunsShownInFullHaveTheirTimelineInTheOutputs() throws {
    let outputs = try ReportJob.render(Self.report(runs: ReportView.detailedRunLimit + 1), with: TemplateSet())
    let json = try #require(outputs["report.json"])
    let report = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
    let runs = try #require(report["runs"] as? [[String: Any]])
    let detailed = runs.filter { !($0["details"] is NSNull) }
    #expect(
      detailed.map { $0["index"] as? Int } == runs.filter { $0["problem"] as? Bool == true }.map { $0["index"] as? Int }
    )
    let timeline = try #require((detailed.first?["details"] as? [String: Any])?["timeline"] as? [[String: Any]])
    #expect(timeline.map { $0["state"] as? String } == ["CREATED", "COMPLETED"])
    #expect(timeline.map { $0["x"] as? Int } == [0, TimelineScale.width])
    let html = String(decoding: try #require(outputs["report.html"]), as: UTF8.self)
    #expect(html.components(separatedBy: "<details id=").count - 1 == detailed.count)
    #expect(html.components(separatedBy: "<tr data-run").count - 1 == runs.count)
  }
}

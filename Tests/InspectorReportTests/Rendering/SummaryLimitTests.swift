import Foundation
import TemplateEngine
import Testing

@testable import InspectorReport

/// `summary.md` within its limit: the end of the list is left out, the verdict and totals never.
@Suite struct SummaryLimitTests {
  private static let region = "arn:aws:inspector:us-west-2:123456789012"

  private static func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  /// `count` completed runs with a High finding each, so every run is listed, and `failedItems` failed items.
  private static func report(runs count: Int, failedItems: Int = 0) -> Report {
    let template = "\(region):target/0-t/template/0-a"
    let runs = (0..<count).map { number -> AssessmentRun in
      let start = Int64(number)
      let changes = [StateChange(at: at(start), state: .created), StateChange(at: at(start + 60), state: .completed)]
      return AssessmentRun(
        arn: "\(template)/run/0-\(number)", name: "nightly audit of the web fleet, run \(number)",
        templateArn: template, state: .completed, createdAt: at(start), dataCollected: true, stateChanges: changes,
        findingCounts: [SeverityCount(severity: .high, count: 1)])
    }
    let items = (0..<failedItems).map {
      FailedItem(
        arn: "\(region):run/0-gone\($0)", failureCode: "ITEM_DOES_NOT_EXIST", retryable: false,
        source: SourceLocation(file: "a.json"))
    }
    let input = LoadedInput(
      name: "a.json", snapshot: Snapshot(runs: runs, failedItems: items), byteCount: 1,
      sha256: String(repeating: "0", count: 64))
    return Report(inputs: [input], policy: .standard, now: (at(Int64(count) + 100), .option))
  }

  /// summary.md of `report`, whole.
  private static func summary(of report: Report) throws -> [UInt8] {
    let collected = Collected()
    let model = ReportView(report)
    try TreeOutput.render(
      [try TemplateSet().output(for: .markdown)], list: RunRows(model.runs),
      tree: { tree, runs in ReportEncoding.root(of: model, runs: runs, in: &tree) }, chunkSize: 1 << 20,
      emit: { _, bytes in collected.bytes += bytes })
    return collected.bytes
  }

  /// `summary` through a limit of `limit` bytes, fed in pieces of `pieceSize`.
  private static func limited(_ summary: [UInt8], to limit: Int, pieceSize: Int = 1 << 20) -> [UInt8] {
    var output: [UInt8] = []
    let writer = SummaryLimit(limit: limit) { output += $0 }
    summary.withUnsafeBufferPointer { bytes in
      var start = 0
      while start < bytes.count {
        let end = min(start + pieceSize, bytes.count)
        writer.feed(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        start = end
      }
    }
    writer.finish()
    return output
  }

  private static func lines(_ bytes: [UInt8]) -> [Substring] {
    String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
  }

  @Test(arguments: [ReportJob.standardSummaryLimit, 65_535, ReportJob.smallestSummaryLimit])
  func aLargeSummaryStaysWithinTheLimitKeepsTheVerdictAndSaysHowManyRunsAreLeftOut(limit: Int) throws {
    let full = try Self.summary(of: Self.report(runs: 12_000))
    #expect(full.count > ReportJob.standardSummaryLimit)
    for pieceSize in [1 << 20, 7] {
      let cut = Self.limited(full, to: limit, pieceSize: pieceSize)
      #expect(cut.count <= limit)
      let text = try #require(String(validating: cut, as: UTF8.self))
      #expect(text.hasPrefix("## Inspector assessment report: ❌ failed\n"))
      #expect(text.contains("| 12000 | 12000 | 0 | 12000 | 12000 | 0 | 0 | 0 |"))
      let written = Self.lines(cut).filter { $0.hasPrefix("- **") }.count
      #expect(written > 0)
      #expect(
        text.hasSuffix(
          "; \n\n…and \(grouped(12_000 - written)) more runs with problems or in progress, see report.html\n"))
      // What is kept is the summary's beginning, to a whole line.
      #expect(full.starts(with: cut.prefix(cut.count - Self.lines(cut).suffix(3).joined(separator: "\n").utf8.count)))
    }
  }

  @Test func leftOutFailedItemsAreCountedApart() throws {
    let full = try Self.summary(of: Self.report(runs: 100, failedItems: 50))
    let cut = Self.limited(full, to: ReportJob.smallestSummaryLimit)
    let written = Self.lines(cut).filter { $0.hasPrefix("- **") }.count
    #expect(
      String(decoding: cut, as: UTF8.self).hasSuffix(
        "…and \(100 - written) more runs with problems or in progress and 50 more failed items, see report.html\n"))
  }

  @Test func aSummaryWithinTheLimitIsUnchanged() throws {
    let full = try Self.summary(of: Self.report(runs: 20))
    #expect(full.count < ReportJob.smallestSummaryLimit)
    #expect(Self.limited(full, to: ReportJob.smallestSummaryLimit) == full)
    #expect(Self.limited(full, to: ReportJob.smallestSummaryLimit, pieceSize: 5) == full)
    #expect(Self.limited(full, to: full.count) == full)
  }

  @Test func theVerdictAndTotalsAreNeverLeftOut() {
    let head = Array(("## verdict\n\n" + String(repeating: "| totals |\n", count: 1000) + "\n- **a**\n").utf8)
    let cut = Self.limited(head, to: ReportJob.smallestSummaryLimit)
    #expect(
      String(decoding: cut, as: UTF8.self)
        == "## verdict\n\n" + String(repeating: "| totals |\n", count: 1000) + "\n\n…and 1 more run with problems "
        + "or in progress, see report.html\n")
  }
}

/// Bytes appended to by the one task rendering them.
private final class Collected: @unchecked Sendable {
  var bytes: [UInt8] = []
}

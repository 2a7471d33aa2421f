import Foundation
import Testing

@testable import InspectorReport
@testable import TemplateEngine

/// The runs are built a part at a time and shared among the outputs; the outputs are what one tree holding every
/// run gives.
@Suite struct RunRowsTests {
  /// Three parts and a bit.
  static let runCount = LazyListParts.partSize * 3 + 17

  /// Runs of three templates, some with failed deliveries, created out of order.
  static func report() -> Report {
    let runs = (0..<runCount).map { number in
      let created = Timestamp(microseconds: Int64((number * 7919) % runCount) * 1_000_000)
      let notifications = (0..<number % 3).map { index in
        RunNotification(
          date: created, event: "ASSESSMENT_RUN_STARTED", error: index == 1, snsTopicArn: "topic-\(number)",
          snsPublishStatusCode: index == 1 ? "ACCESS_DENIED" : "SUCCESS")
      }
      return AssessmentRun(
        arn: "arn:aws:inspector:us-east-1:123456789012:target/0-t/template/0-\(number % 3)/run/0-\(number)",
        name: "run \(number)",
        templateArn: "arn:aws:inspector:us-east-1:123456789012:target/0-t/template/0-\(number % 3)",
        state: number % 11 == 0 ? "COLLECTING_DATA" : "COMPLETED", createdAt: created,
        stateChanges: [
          StateChange(at: created, state: "CREATED"),
          StateChange(at: Timestamp(microseconds: created.microseconds + 90_000_000), state: "COMPLETED"),
        ],
        notifications: NotificationSummary(notifications),
        findingCounts: [SeverityCount(severity: "High", count: number % 5)])
    }
    return Report(
      inputs: [
        LoadedInput(
          name: "runs.json", snapshot: Snapshot(runs: runs), byteCount: 1, sha256: String(repeating: "0", count: 64))
      ], policy: .standard,
      now: (Timestamp(microseconds: Int64(runCount) * 1_000_000), .option))
  }

  /// Every output rendered from one tree that holds every run: what the outputs must be.
  static func wholeTreeOutputs(_ report: Report, templates: TemplateSet) throws -> [String: [UInt8]] {
    let tree = ReportEncoding.make(ReportView(report, provenance: Provenance(templates: templates)))
    let whole = ValueTree(tree.templateValue(tree.root))
    var outputs: [String: [UInt8]] = [:]
    for format in OutputFormat.allCases {
      var bytes: [UInt8] = []
      if let name = format.templateName {
        try #require(templates.templates[name]).render(whole, partials: templates.templates, into: &bytes)
      } else {
        whole.encodeJSON(compactDepth: 2, chunkSize: 1 << 16) { bytes += $0 }
      }
      outputs[format.fileName] = bytes
    }
    return outputs
  }

  @Test func outputsAreThoseOfTheWholeTree() throws {
    let report = Self.report()
    let templates = try TemplateSet()
    let outputs = try ReportJob.render(report, with: templates)
    let expected = try Self.wholeTreeOutputs(report, templates: templates)
    for (name, bytes) in expected {
      #expect(outputs[name] == bytes, "\(name)")
    }
    // The totals list every run's failed deliveries in run order, as the runs do.
    let json = try JSONSerialization.jsonObject(with: Data(try #require(outputs["report.json"]))) as? [String: Any]
    let runDeliveries = (json?["runs"] as? [[String: Any]])?.flatMap {
      (($0["notifications"] as? [String: Any])?["failedDeliveries"] as? [[String: Any]]) ?? []
    }.map { $0["topic"] as? String }
    let totalDeliveries =
      ((json?["totals"] as? [String: Any])?["notifications"] as? [String: Any])?[
        "failedDeliveries"] as? [[String: Any]]
    #expect(runDeliveries?.count == Self.runCount / 3)
    #expect(totalDeliveries?.map { $0["topic"] as? String } == runDeliveries)
  }

  /// Templates may read the runs twice or not at all; neither holds the other outputs back for ever.
  @Test func templatesThatReadTheRunsTwiceOrNeverGiveTheWholeTreesOutputs() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "{{#runs}}{{id}} {{/runs}}|{{#runs}}{{name}};{{/runs}}".write(
      to: folder.appending(path: "report.html.mustache"), atomically: true, encoding: .utf8)
    try "{{totals.runs}} runs".write(
      to: folder.appending(path: "summary.md.mustache"), atomically: true, encoding: .utf8)
    let report = Self.report()
    let templates = try TemplateSet(overrides: folder.path)
    let rendered = ResultSlots<Result<[String: [UInt8]], ReportJobError>>(count: 1)
    guard
      finishesInTime({
        rendered[0] = Result { () throws(ReportJobError) in try ReportJob.render(report, with: templates) }
      })
    else { return }
    let outputs = try #require(rendered[0]).get()
    let expected = try Self.wholeTreeOutputs(report, templates: templates)
    for (name, bytes) in expected {
      #expect(outputs[name] == bytes, "\(name)")
    }
    #expect(outputs["summary.md"] == Array("\(Self.runCount) runs".utf8))
  }
}

/// Runs `body` on another thread and says whether it returned within 30 seconds, so that readers waiting for
/// each other for ever fail the test rather than hang it.
private func finishesInTime(_ body: @escaping @Sendable () -> Void) -> Bool {
  let done = DispatchSemaphore(value: 0)
  DispatchQueue.global().async {
    body()
    done.signal()
  }
  let inTime = done.wait(timeout: .now() + 30) == .success
  #expect(inTime, "the readers waited for each other for ever")
  return inTime
}

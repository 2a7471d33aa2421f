import Foundation
import Testing

@testable import InspectorReport
@testable import TemplateEngine

/// The runs are built a part at a time and shared among the outputs; the outputs are what one tree holding every
/// run gives.
@Suite struct RunPartsTests {
  /// Three parts and a bit.
  static let runCount = RunParts.partSize * 3 + 17

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
      inputs: [LoadedInput(name: "runs.json", snapshot: Snapshot(runs: runs), byteCount: 1)], policy: .standard,
      now: (Timestamp(microseconds: Int64(runCount) * 1_000_000), .option))
  }

  /// Every output rendered from one tree that holds every run: what the outputs must be.
  static func wholeTreeOutputs(_ report: Report, templates: TemplateSet) throws -> [String: [UInt8]] {
    let tree = ReportEncoding.make(ReportView(report))
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

/// Numbers in the order they are asked for, from any thread.
private final class Counter: @unchecked Sendable {
  // @unchecked: `value` is read and written only with `lock` locked.
  private let lock = NSLock()
  private var value = 0

  func next() -> Int {
    lock.withLock {
      defer { value += 1 }
      return value
    }
  }
}

/// Parts of strings, counting how many are built and taken back.
private final class CountingParts: ListParts, @unchecked Sendable {
  // @unchecked: the counts are read and written only with `lock` locked.
  let count: Int
  let size: Int
  private let lock = NSLock()
  private(set) var built = 0
  private(set) var recycled = 0
  /// The most parts built and not yet taken back at any one time.
  private(set) var mostHeld = 0

  init(count: Int, size: Int) {
    self.count = count
    self.size = size
  }

  var partCount: Int { (count + size - 1) / size }

  func part(_ number: Int, segment: Int) -> ValueTree {
    lock.withLock {
      built += 1
      mostHeld = max(mostHeld, built - recycled)
    }
    var builder = ValueTreeBuilder(segment: segment)
    let members = (number * size..<min(count, (number + 1) * size)).map { builder.string("m\($0)") }
    let root = builder.list(members)
    return builder.finish(root: root)
  }

  func recycle(_ part: consuming ValueTree) {
    lock.withLock { recycled += 1 }
  }

  /// What the parts hold, in order.
  var members: [String] { (0..<count).map { "m\($0)" } }

  /// Every member of `list`, part by part.
  static func read(_ list: any ListParts) -> [String] {
    (0..<list.partCount).flatMap { number in
      let part = list.part(number, segment: 1)
      guard case .list(let members) = part.templateValue(part.root) else { return [String]() }
      return members.map { member in
        guard case .string(let text) = member else { return "\(member)" }
        return text
      }
    }
  }
}

@Suite struct SharedListPartsTests {
  @Test func readersSideBySideBuildEachPartOnceAndHoldFew() {
    let list = CountingParts(count: 1000, size: 10)
    let shared = SharedListParts(list, readers: 5, lead: 3)
    let seen = ResultSlots<[String]>(count: 5)
    let inTime = finishesInTime {
      onThreadsOfTheirOwn(5) { reader in
        defer { shared.finish(reader: reader) }
        seen[reader] = CountingParts.read(shared.reader(reader))
      }
    }
    guard inTime else { return }
    #expect(seen.values.allSatisfy { $0 == list.members })
    #expect(list.built == 100)
    #expect(list.recycled == 100)
    // The slowest reader's part and the lead beyond it.
    #expect(list.mostHeld <= 4)
  }

  /// When the system refuses a reader its thread, the others go on without it, and it reads on its own after.
  @Test func aReaderWhoseThreadIsRefusedReadsAfterTheOthers() {
    let list = CountingParts(count: 200, size: 10)
    let shared = SharedListParts(list, readers: 3, lead: 2)
    let seen = ResultSlots<[String]>(count: 3)
    let finished = ResultSlots<Int>(count: 3)
    let clock = Counter()
    let inTime = finishesInTime {
      onThreadsOfTheirOwn(3, notStarted: { shared.finish(reader: $0) }, startsThread: { $0 != 1 }) { reader in
        defer { shared.finish(reader: reader) }
        seen[reader] = CountingParts.read(shared.reader(reader))
        finished[reader] = clock.next()
      }
    }
    guard inTime else { return }
    let once = list.members
    #expect(seen.values == [once, once, once])
    #expect(finished.values.compactMap { $0 }.count == 3)
    #expect(finished[1] == 2)
  }

  @Test func aReaderThatReadsNothingOrTwiceHoldsNobodyBackForEver() {
    let list = CountingParts(count: 200, size: 10)
    let shared = SharedListParts(list, readers: 3, lead: 2)
    let seen = ResultSlots<[String]>(count: 3)
    let inTime = finishesInTime {
      onThreadsOfTheirOwn(3) { reader in
        defer { shared.finish(reader: reader) }
        let parts = shared.reader(reader)
        seen[reader] = reader == 0 ? [] : (0..<reader).flatMap { _ in CountingParts.read(parts) }
      }
    }
    guard inTime else { return }
    let once = list.members
    #expect(seen.values == [[], once, once + once])
    // Parts read again after the others passed them are built again; never more than once a reading.
    #expect(list.built >= 20 && list.built <= 40)
    #expect(list.recycled <= list.built)
  }
}

import Foundation
import FuzzChecks
import SeededRandom
import TemplateEngine
import Testing
import XMLValidation

@testable import InspectorReport

/// The rendered outputs of the samples and of the hostile scenario: golden files, schema validity, determinism,
/// escaping.
@Suite struct OutputTests {
  static let now = (Timestamp(microseconds: 1_546_560_000_000_000), NowSource.option)  // 2019-01-04T00:00:00Z

  /// The hostile scenario's inputs: runs with hostile names, template ARNs, states and SNS topics, a run still
  /// collecting data, and a snapshot of failed items only, with hostile ARNs and failure codes.
  static let hostileScenario = "Tests/InspectorReportTests/Inputs/hostile"

  /// The hostile scenario's `--now`, 2026-05-20T00:00:00Z: its in-progress run has been collecting for 59 min 55 s.
  static let hostileScenarioNow = (Timestamp(microseconds: 1_779_235_200_000_000), NowSource.option)

  /// The kept-going scenario's inputs, read with `--keep-going`: a polling job's JSON Lines cut short in its last
  /// line, a snapshot with a bad run (a hostile member named twice) between good ones, and a broken document.
  static let keptGoingScenario = "Tests/InspectorReportTests/Inputs/kept-going"

  /// The files in a folder of the repository, named as a user in the repository root would name them.
  private static func files(in relativeFolder: String) throws -> [(name: RawPath, bytes: [UInt8])] {
    try SnapshotLoader.expand([RawPath(TestPaths.root.appending(path: relativeFolder).path)]).map { name in
      (
        RawPath(bytes: name.bytes.dropFirst(TestPaths.root.path.utf8.count + 1)),
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: name.description)))
      )
    }
  }

  /// The inputs in a folder of the repository, named as a user in the repository root would name them.
  static func inputs(in relativeFolder: String) throws -> [LoadedInput] {
    try files(in: relativeFolder).map { file in try SnapshotLoader.decode(file.bytes, name: file.name) }
  }

  /// The sample inputs.
  static func sampleInputs() throws -> [LoadedInput] {
    try inputs(in: "samples")
  }

  /// The outputs of `inputs`, whose provenance names the command `arguments`, as the command's own tests run it:
  /// the golden files are those of both.
  static func render(
    _ inputs: [LoadedInput], policy: Policy = .standard, now: (Timestamp, NowSource) = now,
    arguments: [String] = ["samples"]
  ) throws -> [String: [UInt8]] {
    try ReportJob.render(
      Report(inputs: inputs, policy: policy, now: now), with: TemplateSet(),
      arguments: arguments + ["--now", now.0.description])
  }

  /// The outputs of the hostile scenario.
  static func renderHostileScenario() throws -> [String: [UInt8]] {
    try render(try inputs(in: hostileScenario), now: hostileScenarioNow, arguments: [hostileScenario])
  }

  /// The outputs of the kept-going scenario.
  static func renderKeptGoingScenario() throws -> [String: [UInt8]] {
    var inputs: [LoadedInput] = []
    var problems: [SnapshotError] = []
    for file in try files(in: keptGoingScenario) {
      let (input, found) = SnapshotLoader.decodeKeepingGoing(file.bytes, name: file.name)
      inputs += input.map { [$0] } ?? []
      problems += found
    }
    let report = Report(inputs: inputs, policy: .standard, now: hostileScenarioNow, inputProblems: problems)
    return try ReportJob.render(
      report, with: TemplateSet(),
      arguments: [keptGoingScenario, "--now", hostileScenarioNow.0.description, "--keep-going"])
  }

  /// One run and one failed item with every string the escaping must handle, XML-illegal characters included.
  static let hostile =
    "<script>alert(\"x\")</script> & ' \u{0} \u{1} \u{B} \u{1F} \u{FFFE} \u{FFFF} ]]> \t\n\r 😀"

  /// Strings that break XML, Mustache or a terminal when written raw, by what they hold.
  static let hostileStrings: [String: String] = [
    "markup": #"<script>alert("x")</script> ]]> <![CDATA[ " ' & &amp; <!-- -->"#,
    "mustache": "{{mustache}} {{{x}}} {{& y}} {{#runs}}{{/runs}} {{=<% %>=}} <%z%>",
    "emoji and bidirectional": "😀 👩‍👩‍👧 \u{202E}desrever\u{202C} \u{200F}\u{2066}x\u{2069}",
    "C0 and C1 controls": String((0..<0x20).map { Character(Unicode.Scalar($0)) })
      + "\u{7F}\u{80}\u{85}\u{9B}\u{9F} \u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{7}",
    // U+FDD0 and U+1FFFF, which Swift's string literals refuse.
    "noncharacters": "\u{FFFE}\u{FFFF}" + String(decoding: [0xEF, 0xB7, 0x90, 0xF0, 0x9F, 0xBF, 0xBF], as: UTF8.self),
    "100,000 characters": String(repeating: "<&\"x", count: 25_000),
    "all at once": hostile,
  ]

  /// A run and failed items with `text` in every string, and failed items with each of `failureCodes`.
  static func hostileInput(carrying text: String = hostile, failureCodes: [String] = []) throws -> LoadedInput {
    try SnapshotLoader.decode(
      Array(hostileSnapshot(carrying: text, failureCodes: failureCodes).utf8), name: "hostile.json")
  }

  /// The snapshot of `hostileInput(carrying:failureCodes:)`.
  static func hostileSnapshot(carrying text: String = hostile, failureCodes: [String] = []) -> String {
    let hostile = text
    let coded = failureCodes.map { code in
      #", "arn:aws:inspector:us-west-2:1:target/0-a/\#(code)": {"failureCode": \#(jsonString(code)), "retryable": false}"#
    }
    return """
      {"assessmentRuns": [{"arn": "arn:aws:inspector:us-west-2:1:target/0-a/template/0-b/run/0-c",
        "name": \(jsonString(hostile)), "assessmentTemplateArn": \(jsonString(hostile)), "state": \(jsonString(hostile)),
        "dataCollected": true, "stateChanges": [{"stateChangedAt": 1, "state": \(jsonString(hostile))}],
        "notifications": [{"date": 2, "event": \(jsonString(hostile)), "error": true,
          "snsTopicArn": \(jsonString(hostile)), "snsPublishStatusCode": \(jsonString(hostile))}],
        "findingCounts": {\(jsonString(hostile)): 1}}],
       "failedItems": {\(jsonString(hostile)): {"failureCode": \(jsonString(hostile)), "retryable": true}\(coded.joined())}}
      """
  }

  /// The outputs of the samples, of no input, of the hostile strings, of the hostile scenario or of the kept-going
  /// scenario.
  static func render(named inputs: String) throws -> [String: [UInt8]] {
    switch inputs {
    case "samples": try render(try sampleInputs())
    case "hostile strings": try render([try hostileInput()])
    case "hostile scenario": try renderHostileScenario()
    case "kept going": try renderKeptGoingScenario()
    default: try render([])
    }
  }

  /// The schema built into the tool for an XML output, compiled as a whole-document validator: a second reading,
  /// beside the one `ReportJob.render` makes while it renders.
  static func ownSchema(of format: OutputFormat) throws -> XMLSchema {
    let name = try #require(format.schemaName)
    return try XMLSchema(source: try #require(EmbeddedTemplates.schemas[name]), name: name)
  }

  @Test(arguments: OutputFormat.allCases)
  func samplesMatchTheGoldenFiles(format: OutputFormat) throws {
    let files = try Self.render(try Self.sampleInputs())
    try expectMatchesGolden(try #require(files[format.fileName]), named: "samples/\(format.fileName)")
  }

  @Test(arguments: OutputFormat.allCases)
  func hostileScenarioMatchesTheGoldenFiles(format: OutputFormat) throws {
    let files = try Self.renderHostileScenario()
    try expectMatchesGolden(try #require(files[format.fileName]), named: "hostile/\(format.fileName)")
  }

  @Test(arguments: OutputFormat.allCases)
  func keptGoingScenarioMatchesTheGoldenFiles(format: OutputFormat) throws {
    let files = try Self.renderKeptGoingScenario()
    try expectMatchesGolden(try #require(files[format.fileName]), named: "kept-going/\(format.fileName)")
  }

  @Test(
    arguments: ["samples", "no input", "hostile strings", "hostile scenario", "kept going"],
    [OutputFormat.junit, .xml])
  func xmlOutputsAreValidAgainstTheirOwnSchemas(inputs: String, format: OutputFormat) throws {
    let xml = try #require(try Self.render(named: inputs)[format.fileName])
    let diagnostics = try Self.ownSchema(of: format).validate(xml, name: format.fileName)
    #expect(diagnostics.isEmpty, "\(diagnostics.prefix(5))")
  }

  @Test(
    .needsPublicSchemas,
    arguments: ["samples", "no input", "hostile strings", "hostile scenario", "kept going"], PublicSchemas.names)
  func junitPassesThePublicSchemas(inputs: String, schemaName: String) throws {
    let junit = try #require(try Self.render(named: inputs)["junit.xml"])
    let diagnostics = try PublicSchemas.load(schemaName).validate(junit, name: "junit.xml")
    #expect(diagnostics.isEmpty, "\(diagnostics.prefix(5))")
  }

  @Test func junitOfAnEmptyReportStillHasATestcase() throws {
    let junit = try #require(try Self.render([])["junit.xml"])
    #expect(String(decoding: junit, as: UTF8.self).contains(#"<testcase name="no failed items""#))
  }

  @Test func junitCountsMatchTheTestcases() throws {
    let text = String(decoding: try #require(try Self.render(try Self.sampleInputs())["junit.xml"]), as: UTF8.self)
    let suites = text.components(separatedBy: "<testsuite ").dropFirst()
    for suite in suites {
      let header = suite.prefix { $0 != ">" }
      func attribute(_ name: String) -> Int? {
        guard let range = header.range(of: " \(name)=\"") else { return nil }
        return Int(header[range.upperBound...].prefix { $0 != "\"" })
      }
      #expect(attribute("tests") == suite.components(separatedBy: "<testcase ").count - 1)
      #expect(attribute("failures") == suite.components(separatedBy: "<failure ").count - 1)
      #expect(attribute("errors") == suite.components(separatedBy: "<error ").count - 1)
      #expect(attribute("skipped") == suite.components(separatedBy: "<skipped ").count - 1)
    }
  }

  @Test func outputsDoNotDependOnInputOrder() throws {
    let inputs = try Self.sampleInputs()
    let expected = try Self.render(inputs)
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<3 {
      #expect(try Self.render(inputs.shuffled(using: &generator)) == expected)
    }
  }

  @Test func hostileStringsAreEscapedAndXMLIllegalCharactersNeverReachXML() throws {
    let files = try Self.render([try Self.hostileInput()])
    for name in ["junit.xml", "report.xml"] {
      let bytes = try #require(files[name])
      #expect(!bytes.contains(0) && !bytes.contains(1) && !bytes.contains(0x0B) && !bytes.contains(0x1F))
      #expect(!String(decoding: bytes, as: UTF8.self).contains("<script>"))
      #expect(!String(decoding: bytes, as: UTF8.self).contains("\u{FFFE}"))
    }
    let html = String(decoding: try #require(files["report.html"]), as: UTF8.self)
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
    let markdown = String(decoding: try #require(files["summary.md"]), as: UTF8.self)
    #expect(!markdown.contains("<script>"))
    // Every problem stays one bullet on one line, whatever the name holds.
    let bullets = markdown.split(separator: "\n").filter { $0.hasPrefix("- ") }
    #expect(bullets.count == 2, "\(markdown)")
    #expect(bullets.first?.contains(#"\<script\>"#) == true)
    let reparsed = try JSONSerialization.jsonObject(with: Data(try #require(files["report.json"]))) as? [String: Any]
    let runs = reparsed?["runs"] as? [[String: Any]]
    #expect(runs?.first?["name"] as? String == Self.hostile)
  }

  /// JUNIT.md: a failure's or error's `type` is never taken from the input, since GitLab rejects a whole report
  /// whose `type` is `symbol` or `yaml` and misreads `integer` or `file`; the hostile scenario has failed items with
  /// each of these codes.
  @Test func junitTypesAreNeverFailureCodesFromTheInput() throws {
    let junit = String(decoding: try #require(try Self.renderHostileScenario()["junit.xml"]), as: UTF8.self)
    let types = Set(junit.components(separatedBy: #" type=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) })
    #expect(types.contains("inspector.run-state") && types.contains("inspector.failed-item"), "\(types.sorted())")
    #expect(types.allSatisfy { $0.hasPrefix("inspector.") }, "types: \(types.sorted())")
  }

  @Test func reportJSONIsTheContextWithSortedKeys() throws {
    let text = String(decoding: try #require(try Self.render(try Self.sampleInputs())["report.json"]), as: UTF8.self)
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect(
      object.map { Array($0.keys).sorted() } == [
        "baseline", "checkCounts", "checks", "detailedRunsText", "detailsOnlyForRunsWithProblems", "failedItems",
        "hasFailedItems", "inputs", "junit", "junitIdentity", "now", "nowSource", "passed", "policy", "provenance",
        "runs",
        "templates", "tool",
        "totals", "verdict", "verdictText",
      ])
    let run = try #require((object?["runs"] as? [[String: Any]])?.first)
    for key in [
      "arn", "name", "template", "state", "inProgress", "elapsedSeconds", "phases", "stateSeconds", "findings",
      "notifications", "checks",
    ] {
      #expect(run[key] != nil, "\(key)")
    }
    #expect((run["phases"] as? [String: Any]).map { Set($0.keys) } == ["setup", "collection", "wrapup", "evaluation"])
  }
}

/// `text` as report.json writes a string.
private func jsonString(_ text: String) -> String {
  var bytes: [UInt8] = []
  ValueTree(.string(text)).encodeJSON(compactDepth: 0, chunkSize: 1 << 20) { bytes += $0 }
  return String(decoding: bytes.dropLast(), as: UTF8.self)
}

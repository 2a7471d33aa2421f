import Foundation
import LocalListener
import SharedFolder
import Testing
import XMLValidation

@testable import InspectorReport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The schema gate on junit.xml and report.xml, run as CI runs the command: an override template whose output is
/// not valid stops the job with exit 2 and writes nothing, and whatever the inputs hold, the built-in templates'
/// outputs pass.
@Suite struct ValidationTests {
  static let outputs = OutputFormat.allCases.map(\.fileName).sorted()

  /// A junit.xml that the schema and the suite counts accept, but for its last line.
  static let junitWithoutItsEnd = """
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites>
      <testsuite name="{{tool.name}}" package="p" id="0" tests="1" failures="0" errors="0" skipped="0" \
    time="0.000" timestamp="2019-01-04T00:00:00" hostname="h">
        <properties/>
        <testcase name="t" classname="aws-inspector.x" time="0.000"/>
        <system-out/>
        <system-err/>
      </testsuite>

    """

  /// A built-in template with one piece of it replaced.
  static func builtInTemplate(_ name: String, replacing original: String, with replacement: String) throws -> String {
    let template = String(decoding: try TestPaths.bytes("templates/\(name)"), as: UTF8.self)
    #expect(template.contains(original), "\(name) no longer holds \(original)")
    return template.replacingOccurrences(of: original, with: replacement)
  }

  /// Override templates whose outputs for the samples are not valid, and the first line the command prints for
  /// them, with `OUT` for the output folder and `DIR` for the templates' folder.
  static let invalidOverrides: [(name: String, template: @Sendable () throws -> String, firstLine: String)] = [
    (
      "junit.xml.mustache", { junitWithoutItsEnd },
      "OUT/junit.xml:9:1: error: Premature end of data in tag testsuites (rendered from DIR/junit.xml.mustache)"
    ),
    (
      "junit.xml.mustache",
      {
        try builtInTemplate("junit.xml.mustache", replacing: #"type="inspector.{{name}}""#, with: #"type="{{name}}""#)
      },
      "OUT/junit.xml:14:7: error: Element 'failure', attribute 'type': [facet 'pattern'] The value 'findings-High' "
        + #"is not accepted by the pattern 'inspector\..+'. (rendered from DIR/junit.xml.mustache)"#
    ),
    (
      "junit.xml.mustache",
      {
        try builtInTemplate("junit.xml.mustache", replacing: #"errors="{{totals.failedItems}}""#, with: #"errors="7""#)
      },
      #"OUT/junit.xml:846:3: error: the suite's counts do not match its testcases: errors="7" but 13 found "#
        + "(rendered from DIR/junit.xml.mustache)"
    ),
    (
      "report.xml.mustache",
      { try builtInTemplate("report.xml.mustache", replacing: #" verdict="{{verdict}}""#, with: "") },
      "OUT/report.xml:2:1: error: Element '{urn:inspector-report:report:3}inspectorReport': The attribute 'verdict' "
        + "is required but missing. (rendered from DIR/report.xml.mustache)"
    ),
  ]

  /// Runs the command on the samples with `template` as the override `name`, into `output`.
  static func runSamples(overriding name: String, with template: String, in folder: URL, into output: URL) throws
    -> CommandResult
  {
    let templates = folder.appending(path: "templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try Data(template.utf8).write(to: templates.appending(path: name))
    return try runCommand(["samples", "--output-dir", output.path, "--templates", templates.path])
  }

  @Test(arguments: invalidOverrides.indices)
  func anOverrideWhoseOutputIsNotValidExitsTwoAndWritesNothing(index: Int) throws {
    let (name, template, firstLine) = Self.invalidOverrides[index]
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fresh = folder.appending(path: "fresh")
    let result = try Self.runSamples(overriding: name, with: try template(), in: folder, into: fresh)
    #expect(result.status == 2, "\(result.standardError)")
    #expect(result.standardOutput.isEmpty)
    let expected = firstLine.replacingOccurrences(of: "OUT", with: fresh.path)
      .replacingOccurrences(of: "DIR", with: folder.appending(path: "templates").path)
    #expect(result.standardError.split(separator: "\n").first.map(String.init) == expected, "\(result.standardError)")
    #expect(ReportSetTests.entries(of: fresh).isEmpty)

    let kept = folder.appending(path: "kept")
    #expect(try runCommand(["samples", "--output-dir", kept.path]).status == 1)
    let before = try ReportSetTests.set(in: kept)
    let again = try Self.runSamples(overriding: name, with: try template(), in: folder, into: kept)
    #expect(again.status == 2, "\(again.standardError)")
    #expect(again.standardError.contains("\(kept.path)/\(name.dropLast(".mustache".count)):"))
    #expect(try ReportSetTests.set(in: kept) == before)
    #expect(ReportSetTests.entries(of: kept) == Self.outputs)
  }

  /// A junit.xml template whose output declares an external entity at `location` and uses it.
  static func junitReadingEntity(at location: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE testsuites [<!ENTITY x SYSTEM "\(location)">]>
    <testsuites>&x;</testsuites>

    """
  }

  /// Runs the command on the samples with a junit.xml template that reads an external entity at `location`, and
  /// checks that it refused the DOCTYPE at once and wrote nothing.
  static func expectEntityRefused(at location: String, in folder: URL) throws {
    let templates = folder.appending(path: "templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try Data(junitReadingEntity(at: location).utf8).write(to: templates.appending(path: "junit.xml.mustache"))
    let output = folder.appending(path: "out")
    let result = try #require(
      try runCommandWithin(seconds: 30, ["samples", "--output-dir", output.path, "--templates", templates.path]),
      "the command did not end: it waits on the entity")
    #expect(result.status == 2, "\(result.standardError)")
    #expect(
      result.standardError
        == "\(output.path)/junit.xml:2:1: error: a DOCTYPE is not allowed "
        + "(rendered from \(templates.path)/junit.xml.mustache)\n")
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  /// Had libxml2 opened the pipe, it would have read the byte waiting in it, and then waited for more, since the
  /// test holds the pipe's writing end open.
  @Test func anExternalEntityInANamedPipeIsNeverRead() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let pipe = folder.appending(path: "entity")
    #expect(mkfifo(pipe.path, 0o600) == 0)
    // Reading and writing, so that neither this open nor a reader's blocks.
    let descriptor = open(pipe.path, O_RDWR | O_NONBLOCK)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    #expect(write(descriptor, "x", 1) == 1)
    try Self.expectEntityRefused(at: pipe.path, in: folder)
    var byte: UInt8 = 0
    #expect(read(descriptor, &byte, 1) == 1 && byte == UInt8(ascii: "x"), "the pipe was read")
  }

  @Test func anExternalEntityOnTheNetworkIsNeverFetched() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let listener = try LocalListener()
    defer { listener.stop() }
    try Self.expectEntityRefused(at: "http://127.0.0.1:\(listener.port)/x", in: folder)
    #expect(listener.stop() == 0, "the command connected to the entity's server")
  }

  /// Failure codes GitLab rejects or misreads as a JUnit `type` (JUNIT.md), given to failed items beside the
  /// hostile strings, which every string field of a run and of a failed item holds in turn.
  static let gitLabTypecasts = ["symbol", "yaml", "integer", "file"]

  @Test(arguments: OutputTests.hostileStrings.keys.sorted())
  func hostileStringsRenderValidXML(label: String) throws {
    let text = try #require(OutputTests.hostileStrings[label])
    // ReportJob.render checks both XML outputs with the product's own gate and throws if one is not valid.
    let files = try OutputTests.render([
      try OutputTests.hostileInput(carrying: text, failureCodes: Self.gitLabTypecasts)
    ])
    for format in [OutputFormat.junit, .xml] {
      let diagnostics = try OutputTests.ownSchema(of: format).validate(
        try #require(files[format.fileName]), name: format.fileName)
      #expect(diagnostics.isEmpty, "\(diagnostics.prefix(5))")
    }
  }

  @Test(.needsPublicSchemas, arguments: OutputTests.hostileStrings.keys.sorted(), PublicSchemas.names)
  func hostileStringsRenderJUnitThePublicSchemasAccept(label: String, schemaName: String) throws {
    let text = try #require(OutputTests.hostileStrings[label])
    let files = try OutputTests.render([
      try OutputTests.hostileInput(carrying: text, failureCodes: Self.gitLabTypecasts)
    ])
    let diagnostics = try PublicSchemas.load(schemaName).validate(try #require(files["junit.xml"]), name: "junit.xml")
    #expect(diagnostics.isEmpty, "\(diagnostics.prefix(5))")
  }

  @Test func hostileInputFilesPassValidationInTheCommand() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let inputs = folder.appending(path: "inputs")
    try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
    for (index, text) in OutputTests.hostileStrings.values.enumerated() {
      // A run ARN of its own in each file, so that no run is dropped as another snapshot of the same run.
      let snapshot = OutputTests.hostileSnapshot(carrying: text, failureCodes: Self.gitLabTypecasts)
        .replacingOccurrences(of: "/run/0-c", with: "/run/0-c\(index)")
      try Data(snapshot.utf8).write(to: inputs.appending(path: "\(index).json"))
    }
    let output = folder.appending(path: "out")
    let result = try runCommand([
      inputs.path, "--output-dir", output.path, "--validate", "--now", "2026-05-20T00:00:00Z",
    ])
    #expect(result.status == 1, "\(result.standardError.prefix(2000))")
    #expect(!result.standardError.contains("error:"), "\(result.standardError.prefix(2000))")
    #expect(ReportSetTests.entries(of: output) == Self.outputs)
    #expect(result.standardOutput.contains("\(OutputTests.hostileStrings.count) runs"), "\(result.standardOutput)")
  }

  /// The benchmark's generator of synthetic snapshots, when Python is there to run it.
  static let generator = TestPaths.root.appending(path: "Benchmarks/generate.py")
  static let python: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .map { URL(fileURLWithPath: String($0)).appending(path: "python3") }
    .first { FileManager.default.isExecutableFile(atPath: $0.path) }

  @Test(
    .enabled(if: Shared.isPresent, "needs ../shared: the public JUnit schemas"),
    .enabled(if: python != nil, "needs python3 to run Benchmarks/generate.py"))
  func aGeneratedCorpusOfAThousandRunsPassesValidation() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let corpus = folder.appending(path: "corpus")
    let generation = try runCommand(
      [Self.generator.path, "--runs", "1000", "--seed", "3", "--timestamps", "iso", "--out", corpus.path],
      executable: try #require(Self.python))
    try #require(generation.status == 0, "\(generation.standardError)")
    let output = folder.appending(path: "out")
    let result = try runCommand([corpus.path, "--output-dir", output.path, "--validate"])
    #expect(result.status == 0 || result.status == 1, "\(result.standardError.prefix(2000))")
    let junit = try TestPaths.bytesOf(output.appending(path: "junit.xml"))
    for name in PublicSchemas.names {
      let diagnostics = try PublicSchemas.load(name).validate(junit, name: "junit.xml")
      #expect(diagnostics.isEmpty, "\(name): \(diagnostics.prefix(5))")
    }
  }

  @Test func junitByTemplateNamesTestcasesAfterTheTemplateAndPassesValidation() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let now = ["--now", "2019-01-04T00:00:00Z"]
    let byRun = try runCommand(["samples", "--output-dir", folder.appending(path: "run").path] + now)
    let output = folder.appending(path: "template")
    let byTemplate = try runCommand(
      ["samples", "--output-dir", output.path, "--junit-identity", "template", "--validate"] + now)
    #expect(byTemplate.status == byRun.status, "\(byTemplate.standardError)")
    #expect(byTemplate.standardError.isEmpty, "\(byTemplate.standardError)")

    let report = Report(inputs: try OutputTests.sampleInputs(), policy: .standard, now: OutputTests.now)
    let templateIds = Set(report.totals.templates.keys.map { ARN($0).resourceID })
    let junit = String(decoding: try TestPaths.bytesOf(output.appending(path: "junit.xml")), as: UTF8.self)
    let suites = junit.components(separatedBy: "<testsuite ").dropFirst()
    let names = suites.map { Self.attribute("name", in: $0) }
    #expect(names.count == templateIds.count + 2, "\(names)")
    #expect(Set(names.dropLast(2)) == Set(templateIds.map { "template \($0)" }))
    #expect(names.suffix(2) == ["report", "failed-items"])
    for suite in suites.dropLast(2) {
      let suiteName = Self.attribute("name", in: suite)
      let testcases = suite.components(separatedBy: "<testcase ").dropFirst()
      #expect(!testcases.isEmpty)
      for testcase in testcases {
        #expect(Self.attribute("name", in: testcase).hasSuffix(": \(suiteName)"), "\(testcase.prefix(200))")
      }
    }
  }

  /// The value of attribute `name` in the start tag that `element` begins with, after its element name, as written.
  static func attribute(_ name: String, in element: String) -> String {
    let tag = " " + element.prefix { $0 != ">" }
    guard let range = tag.range(of: " \(name)=\"") else { return "" }
    return String(tag[range.upperBound...].prefix { $0 != "\"" })
  }
}

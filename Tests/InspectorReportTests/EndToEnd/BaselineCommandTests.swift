import Foundation
import SharedFolder
import Testing

@testable import InspectorReport

/// `--baseline` and `--max-increase` through the built command: a report compared with an earlier one.
@Suite struct BaselineCommandTests {
  static let inputs = "Tests/InspectorReportTests/Inputs/baseline"
  static let now = ["--now", "2026-06-01T00:00:00Z"]
  static let outputs = OutputFormat.allCases.map(\.fileName).sorted()

  /// Writes the baseline, the report of `then/`, into `folder/base` and returns its report.json.
  static func writeBaseline(in folder: URL) throws -> URL {
    let base = folder.appending(path: "base")
    // Exit status 1: the run of 0-changedB collected no data.
    let result = try runCommand(["\(inputs)/then", "--output-dir", base.path, "--max", "High=none"] + now)
    try #require(result.status == 1, "\(result.standardError)")
    return base.appending(path: "report.json")
  }

  static func entries(of folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  @Test func aGrownHighCountFailsUnderNoIncreaseAndPassesUnderTenAndShowsItsChangeInEveryOutput() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let baseline = try Self.writeBaseline(in: folder)
    for (limit, status) in [("0", Int32(1)), ("10", 0)] {
      let output = folder.appending(path: "out-\(limit)")
      let result = try runCommand(
        [
          "\(Self.inputs)/now/grown.json", "--output-dir", output.path, "--max", "High=none", "--baseline",
          baseline.path, "--max-increase", "High=\(limit)", "--validate",
        ] + Self.now)
      #expect(result.status == status, "High=\(limit): \(result.standardOutput)\(result.standardError)")
      #expect(result.standardError.isEmpty, "\(result.standardError)")
      for name in Self.outputs {
        let text = try String(contentsOf: output.appending(path: name), encoding: .utf8)
        #expect(text.contains("+6"), "High=\(limit): \(name)")
      }
      let junit = try String(contentsOf: output.appending(path: "junit.xml"), encoding: .utf8)
      let testcase = #"<testcase name="baseline: template 0-grownAAA" classname="aws-inspector.baseline""#
      #expect(junit.contains(testcase))
      #expect(junit.contains(#"type="inspector.baseline""#) == (status == 1))
      #expect(junit.contains(#"<property name="baseline" value="\#(baseline.path)"/>"#))
      for schema in PublicSchemas.names where Shared.isPresent {
        let diagnostics = try PublicSchemas.load(schema).validate(
          try TestPaths.bytesOf(output.appending(path: "junit.xml")), name: "junit.xml")
        #expect(diagnostics.isEmpty, "\(schema): \(diagnostics.prefix(5))")
      }
    }
  }

  @Test func appearedAndDisappearedTemplatesAndChangedChecksAreShown() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let baseline = try Self.writeBaseline(in: folder)
    let output = folder.appending(path: "out")
    let result = try runCommand(
      ["\(Self.inputs)/now", "--output-dir", output.path, "--baseline", baseline.path, "--validate"] + Self.now)
    // The run of 0-changedB failed, and 0-grownAAA has High findings.
    #expect(result.status == 1, "\(result.standardError)")
    #expect(result.standardOutput.contains("checks: "), "\(result.standardOutput)")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appending(path: "report.json")))
    let comparison = try #require((json as? [String: Any])?["baseline"] as? [String: Any])
    let templates = try #require(comparison["templates"] as? [[String: Any]])
    #expect(templates.map { $0["presence"] as? String } == ["compared", "disappeared", "compared", "appeared"])
    #expect((comparison["appeared"] as? [String])?.count == 1)
    #expect((comparison["disappeared"] as? [String])?.first?.hasSuffix("0-goneCCCC") == true)
    #expect(templates[0]["newlyFailing"] as? [String] == ["run-state"])
    #expect(templates[0]["newlyPassing"] as? [String] == ["data-collected"])
    let summary = try String(contentsOf: output.appending(path: "summary.md"), encoding: .utf8)
    #expect(summary.contains("Newly failing: run-state"))
    #expect(summary.contains("Newly passing: data-collected"))
    #expect(summary.contains("**template 0-goneCCCC**: not in the inputs: nothing to compare"))
    #expect(summary.contains("**template 0-newDDDDD**: not in the baseline: nothing to compare with"))
    let html = try String(contentsOf: output.appending(path: "report.html"), encoding: .utf8)
    #expect(html.contains("✗ Newly failing: run-state."))
    let xml = try String(contentsOf: output.appending(path: "report.xml"), encoding: .utf8)
    #expect(xml.contains(#"presence="disappeared""#))
    #expect(xml.contains(#"<newlyPassing check="data-collected"/>"#))
  }

  @Test func theSameRunTwiceGivesTheSameBytes() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let baseline = try Self.writeBaseline(in: folder)
    var sets: [[[UInt8]]] = []
    for name in ["a", "b"] {
      let output = folder.appending(path: name)
      _ = try runCommand(
        ["\(Self.inputs)/now", "--output-dir", output.path, "--baseline", baseline.path, "--max-increase", "High=1"]
          + Self.now)
      sets.append(try Self.outputs.map { try TestPaths.bytesOf(output.appending(path: $0)) })
    }
    #expect(sets[0] == sets[1])
  }

  /// The way people will use it: the previous run's report.json, in the folder this run replaces.
  @Test(arguments: [false, true])
  func theBaselineMayBeAReportOfTheFolderThisRunWritesInto(folderHoldsOtherFiles: Bool) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appending(path: "report")
    let first = try runCommand(["\(Self.inputs)/then", "--output-dir", output.path, "--max", "High=none"] + Self.now)
    try #require(first.status == 1, "\(first.standardError)")
    if folderHoldsOtherFiles { try Data("keep".utf8).write(to: output.appending(path: "notes.txt")) }
    let baseline = output.appending(path: "report.json")
    let second = try runCommand(
      [
        "\(Self.inputs)/now/grown.json", "--output-dir", output.path, "--max", "High=none", "--baseline",
        baseline.path, "--max-increase", "High=0",
      ] + Self.now)
    #expect(second.status == 1, "\(second.standardError)")
    let json = try String(contentsOf: baseline, encoding: .utf8)
    #expect(json.contains(#""changeText": "+6""#) || json.contains(#""changeText":"+6""#))
    #expect(Self.entries(of: output) == (Self.outputs + (folderHoldsOtherFiles ? ["notes.txt"] : [])).sorted())
  }

  @Test func aBaselineThatCannotBeUsedIsAnErrorAndNothingIsWritten() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let baseline = try Self.writeBaseline(in: folder)
    let report = try String(contentsOf: baseline, encoding: .utf8)
    // Cut inside the runs, as a copy killed halfway would be: the error is where the text ends.
    let truncated = String(report.prefix(report.utf8.count / 2))
    let truncatedLines = truncated.split(separator: "\n", omittingEmptySubsequences: false)
    let files: [(name: String, text: String?, message: String)] = [
      (
        "other-version.json",
        report.replacingOccurrences(
          of: #""version": "\#(ToolView.version)""#, with: #""version": "0.0.9""#),
        ":1:1: error: --baseline: written by inspector-report 0.0.9; this is \(ToolView.version)"
      ),
      (
        "snapshot.json",
        try String(contentsOf: TestPaths.root.appending(path: "\(Self.inputs)/then/runs.json"), encoding: .utf8),
        ":1:1: error: --baseline: not an inspector-report report.json (it looks like a snapshot"
      ),
      (
        "truncated.json", truncated,
        ":\(truncatedLines.count):\(truncatedLines[truncatedLines.count - 1].utf8.count + 1): error: --baseline: "
      ),
      ("missing.json", nil, ": error: --baseline: cannot read the file: No such file or directory"),
    ]
    for file in files {
      let path = folder.appending(path: file.name)
      if let text = file.text { try Data(text.utf8).write(to: path) }
      let output = folder.appending(path: "out")
      let result = try runCommand(
        ["\(Self.inputs)/now", "--output-dir", output.path, "--baseline", path.path] + Self.now)
      #expect(result.status == 2, "\(file.name): \(result.standardError)")
      #expect(result.standardError.hasPrefix(path.path + file.message), "\(file.name): \(result.standardError)")
      #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
      #expect(!FileManager.default.fileExists(atPath: output.path), "\(file.name)")
    }
  }

  @Test(arguments: [
    (["--max-increase", "High=1"], "error: --max-increase: there is no --baseline to compare with"),
    (["--baseline", "x.json", "--max-increase", "High"], "error: --max-increase 'High': expected SEVERITY=N"),
  ])
  func badOptionsAreUsageErrors(arguments: [String], message: String) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appending(path: "out")
    let result = try runCommand(["\(Self.inputs)/now", "--output-dir", output.path] + arguments)
    #expect(result.status == 2)
    #expect(result.standardError.hasPrefix(message), "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  /// A baseline whose template ARNs, run ARNs, severities and check names hold markup and control characters: every
  /// output escapes them, the XML ones stay valid, and none reaches a file raw.
  @Test(arguments: OutputTests.hostileStrings.keys.sorted())
  func hostileStringsInTheBaselineStayEscaped(label: String) throws {
    let text = try #require(OutputTests.hostileStrings[label])
    let input = try OutputTests.hostileInput(carrying: text)
    // Compared: the hostile input's own template, read back from its report.json; disappeared: a hostile ARN.
    let earlier = try #require(
      try ReportJob.render(Report(inputs: [input], policy: .standard, now: OutputTests.now), with: TemplateSet())[
        "report.json"])
    var baseline = try Baseline.parse(earlier, source: RawPath("base \(text).json"))
    baseline.newestRuns["arn:" + text] = BaselineRun(
      arn: text, findings: FindingCounts([SeverityCount(severity: .undocumented(text), count: 1)]),
      checks: [text: .failed])
    baseline.now = text
    #expect(baseline.newestRuns.count == 2)
    let report = Report(
      inputs: [input], policy: .standard, now: OutputTests.now, baseline: baseline,
      maximumIncreases: [.undocumented(text): 0])
    // ReportJob.render checks both XML outputs against the tool's own schemas.
    let files = try ReportJob.render(report, with: TemplateSet())
    for schema in PublicSchemas.names where Shared.isPresent {
      let diagnostics = try PublicSchemas.load(schema).validate(try #require(files["junit.xml"]), name: "junit.xml")
      #expect(diagnostics.isEmpty, "\(schema): \(diagnostics.prefix(5))")
    }
    for (name, bytes) in files {
      #expect(!Self.hasRawControl(bytes), "\(name)")
    }
    let html = String(decoding: try #require(files["report.html"]), as: UTF8.self)
    #expect(!html.contains("<script"))
    let json = try #require(files["report.json"])
    #expect(try JSONSerialization.jsonObject(with: Data(json)) is [String: Any])
  }

  /// Whether `bytes` hold a C0 control other than TAB, LF and CR, DEL, or a C1 control.
  static func hasRawControl(_ bytes: [UInt8]) -> Bool {
    bytes.indices.contains { index in
      let byte = bytes[index]
      let next = index + 1 < bytes.count ? bytes[index + 1] : 0
      return (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
        || (byte == 0xC2 && (0x80...0x9F).contains(next))
    }
  }
}

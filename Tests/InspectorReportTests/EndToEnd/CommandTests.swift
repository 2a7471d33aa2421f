import Foundation
import Testing

@testable import InspectorReport

/// The built command, run as CI runs it: arguments, exit status, files written or not.
@Suite struct CommandTests {
  static let outputs = OutputFormat.allCases.map(\.fileName).sorted()

  private func files(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  @Test func samplesRenderLikeTheGoldenFilesAndExitOne() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommand(["samples", "--output-dir", folder.path, "--now", "2019-01-04T00:00:00Z"])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(result.standardOutput.hasPrefix("FAILED: 36 runs"))
    #expect(files(in: folder) == Self.outputs)
    for name in Self.outputs {
      try expectMatchesGolden([UInt8](try Data(contentsOf: folder.appending(path: name))), named: "samples/\(name)")
    }
  }

  @Test func hostileScenarioRendersLikeItsGoldenFilesAndExitsOne() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommand([
      "Tests/InspectorReportTests/Inputs/hostile", "--output-dir", folder.path, "--now", "2026-05-20T00:00:00Z",
    ])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(files(in: folder) == Self.outputs)
    for name in Self.outputs {
      try expectMatchesGolden([UInt8](try Data(contentsOf: folder.appending(path: name))), named: "hostile/\(name)")
    }
  }

  @Test func passingInputExitsZeroAndExitZeroMasksFailures() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let failing = try runCommand(["samples/aws-doc-example.json", "--output-dir", folder.path])
    #expect(failing.status == 1)
    let passing = try runCommand(["samples/aws-doc-example.json", "--output-dir", folder.path, "--max", "High=14"])
    #expect(passing.status == 0, "\(passing.standardError)")
    #expect(passing.standardOutput.hasPrefix("PASSED: 1 runs"))
    let masked = try runCommand(["samples/aws-doc-example.json", "--output-dir", folder.path, "--exit-zero"])
    #expect(masked.status == 0)
  }

  @Test(arguments: [
    ["samples"],
    ["--output-dir", "x"],
    ["samples", "--output-dir", "OUT", "--max", "Critical=1"],
    ["samples", "--output-dir", "OUT", "--now", "tomorrow"],
    ["samples", "--output-dir", "OUT", "--no-such-option"],
    ["does-not-exist.json", "--output-dir", "OUT"],
    ["Package.swift", "--output-dir", "OUT"],
  ])
  func badUsageAndBadInputExitTwoAndWriteNothing(arguments: [String]) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appending(path: "out")
    let result = try runCommand(arguments.map { $0 == "OUT" ? output.path : $0 })
    #expect(result.status == 2, "\(result.standardOutput)\(result.standardError)")
    #expect(!result.standardError.isEmpty)
    #expect(!result.standardError.contains("Fatal error"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func badInputLeavesEarlierReportsUntouched() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try runCommand(["samples", "--output-dir", folder.path]).status == 1)
    let before = try Self.outputs.map { try Data(contentsOf: folder.appending(path: $0)) }
    let bad = folder.appending(path: "bad.json")
    try Data("{\"assessmentRuns\": [}".utf8).write(to: bad)
    let result = try runCommand(["samples", bad.path, "--output-dir", folder.path])
    #expect(result.status == 2)
    #expect(result.standardError.contains("bad.json:1:21: error:"), "\(result.standardError)")
    #expect(try Self.outputs.map { try Data(contentsOf: folder.appending(path: $0)) } == before)
    #expect(files(in: folder) == (Self.outputs + ["bad.json"]).sorted())
  }

  @Test(arguments: [
    // (file in the folder d, input as given, output folder as given)
    ("report.json", "d/report.json", "d"),
    ("report.json", "d", "d"),
    ("report.json", "d/./report.json", "e/../d"),
    ("report.json", "e/report.json", "d"),
    ("summary.md", "d/summary.md", "d"),
    ("junit.xml", "e/junit.xml", "./d/"),
  ])
  func anInputThatIsAnOutputIsRefusedAndKept(file: String, input: String, output: String) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let inputs = folder.appending(path: "d")
    try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(at: folder.appending(path: "e"), withDestinationURL: inputs)
    let snapshot = try TestPaths.bytes("samples/aws-doc-example.json")
    try Data(snapshot).write(to: inputs.appending(path: file))
    let result = try runCommand([input, "--output-dir", output, "--max", "High=none"], in: folder)
    #expect(result.status == 2, "\(result.standardOutput)")
    let named = input == "d" ? "d/\(file)" : input
    #expect(
      result.standardError == "\(named): error: \(named) is both an input and an output; write the reports elsewhere\n")
    #expect(files(in: inputs) == [file])
    #expect(try TestPaths.bytesOf(inputs.appending(path: file)) == snapshot)
  }

  @Test func anOutputFolderInsideTheInputsIsNotReadBack() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appending(path: "d"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: TestPaths.root.appending(path: "samples/aws-doc-example.json"), to: folder.appending(path: "d/run.json"))
    let first = try runCommand(["d", "--output-dir", "d/out"], in: folder)
    #expect(first.status == 1, "\(first.standardError)")
    let out = folder.appending(path: "d/out")
    let reports = try Self.outputs.map { try TestPaths.bytesOf(out.appending(path: $0)) }
    let again = try runCommand(["d", "--output-dir", "d/out"], in: folder)
    #expect(again.status == 2)
    #expect(
      again.standardError
        == "d/out/report.json: error: d/out/report.json is both an input and an output; write the reports elsewhere\n")
    #expect(try Self.outputs.map { try TestPaths.bytesOf(out.appending(path: $0)) } == reports)
    let elsewhere = try runCommand(["d", "--output-dir", "other"], in: folder)
    #expect(elsewhere.status == 2)
    #expect(
      elsewhere.standardError
        == "d/out/report.json:1:1: error: this is an inspector-report report.json; it is not a snapshot"
        + " (keep reports out of input folders)\n")
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "other").path))
  }

  @Test func anEndlessInputStopsAtItsFirstInvalidByte() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommandWithin(seconds: 20, ["/dev/zero", "--output-dir", "out"], in: folder)
    #expect(result?.status == 2)
    #expect(result?.standardError.hasPrefix("/dev/zero:1:1: error: ") == true, "\(result?.standardError ?? "")")
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "out").path))
  }

  @Test func anInputLargerThanTheLimitIsRefusedUnread() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Sparse: it takes no room on disk, but says it holds 4 GiB and a byte.
    let large = folder.appending(path: "large.json")
    try Data("{".utf8).write(to: large)
    let handle = try FileHandle(forWritingTo: large)
    try handle.truncate(atOffset: UInt64(4 << 30) + 1)
    try handle.close()
    let result = try runCommandWithin(seconds: 20, ["large.json", "--output-dir", "out"], in: folder)
    #expect(result?.status == 2)
    #expect(result?.standardError == "large.json: error: larger than the 4 GiB an input may be\n")
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "out").path))
  }

  @Test(arguments: [
    ("Package.swift/out", "Package.swift/out: error: cannot create the output folder: Not a directory"),
    ("dangling", "dangling: error: cannot create the output folder: a symbolic link to nothing"),
    (
      String(repeating: "n", count: 300),
      String(repeating: "n", count: 300) + ": error: cannot create the output folder: File name too long"
    ),
  ])
  func anOutputFolderThatCannotBeCreatedSaysWhy(output: String, message: String) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("x".utf8).write(to: folder.appending(path: "Package.swift"))
    try FileManager.default.createSymbolicLink(
      atPath: folder.appending(path: "dangling").path, withDestinationPath: "nowhere/at/all")
    let input = TestPaths.root.appending(path: "samples/aws-doc-example.json").path
    let result = try runCommand([input, "--output-dir", output], in: folder)
    #expect(result.status == 2)
    #expect(result.standardError == message + "\n")
  }

  @Test func anEmptyOutputFolderNameIsAUsageError() throws {
    let result = try runCommand(["samples/aws-doc-example.json", "--output-dir", ""])
    #expect(result.status == 2)
    #expect(result.standardError.hasPrefix("error: --output-dir: the folder name is empty\nUsage: "))
  }

  @Test func everyUnreadableInputIsReportedAtOnce() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("{\"assessmentRuns\": [}".utf8).write(to: folder.appending(path: "bad.json"))
    try Data("{\"assessmentRunArns\": []}".utf8).write(to: folder.appending(path: "list.json"))
    let result = try runCommand([
      folder.path, folder.appending(path: "missing.json").path, "--output-dir", folder.appending(path: "out").path,
    ])
    #expect(result.status == 2)
    let lines = result.standardError.split(separator: "\n")
    #expect(lines.count == 3, "\(result.standardError)")
    #expect(lines.contains { $0.hasSuffix("missing.json: error: no such file or folder") })
    #expect(lines.contains { $0.contains("bad.json:1:21: error:") })
    #expect(lines.contains { $0.contains("list.json:1:1: error: not a describe-assessment-runs response") })
  }

  @Test func readsStandardInput() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommand(
      ["-", "--output-dir", folder.path, "--max", "High=none"],
      standardInput: try TestPaths.bytes("samples/aws-doc-example.json"))
    #expect(result.status == 0, "\(result.standardError)")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appending(path: "report.json")))
    let inputs = (json as? [String: Any])?["inputs"] as? [[String: Any]]
    #expect(inputs?.map { $0["name"] as? String } == ["<stdin>"])
  }

  @Test func nowComesFromTheOptionThenSourceDateEpochThenTheInputs() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    func now(_ extra: [String], environment: [String: String] = [:]) throws -> String? {
      _ = try runCommand(
        ["samples/aws-doc-example.json", "--output-dir", folder.path] + extra, environment: environment)
      let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appending(path: "report.json")))
      return (json as? [String: Any])?["now"] as? String
    }
    #expect(try now([]) == "2016-03-22T20:58:21Z")
    #expect(try now([], environment: ["SOURCE_DATE_EPOCH": "1779235200"]) == "2026-05-20T00:00:00Z")
    #expect(
      try now(["--now", "2020-01-01 00:00:00+00:00"], environment: ["SOURCE_DATE_EPOCH": "1779235200"])
        == "2020-01-01T00:00:00Z")
  }

  @Test func theBinaryWorksCopiedAloneIntoAnEmptyFolder() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appending(path: "inspector-report")
    try FileManager.default.copyItem(at: TestPaths.command, to: copy)
    try FileManager.default.copyItem(
      at: TestPaths.root.appending(path: "samples/aws-doc-example.json"), to: folder.appending(path: "run.json"))
    let result = try runCommand(["run.json", "--output-dir", "out"], in: folder, executable: copy)
    #expect(result.status == 1, "\(result.standardError)")
    #expect(files(in: folder.appending(path: "out")) == Self.outputs)
  }

  @Test func templatesCanBeOverriddenByName() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let templates = folder.appending(path: "templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try Data("{{verdict}}: {{#runs}}{{> line}}{{/runs}}\n".utf8).write(
      to: templates.appending(path: "summary.md.mustache"))
    try Data("{{name}} <{{state}}>;".utf8).write(to: templates.appending(path: "line.mustache"))
    let out = folder.appending(path: "out")
    let result = try runCommand(
      ["samples/aws-doc-example.json", "--output-dir", out.path, "--templates", templates.path])
    #expect(result.status == 1)
    let summary = try String(contentsOf: out.appending(path: "summary.md"), encoding: .utf8)
    #expect(summary == "failed: Run 1 for ExampleAssessmentTemplate <COMPLETED>;\n")
    #expect(try String(contentsOf: out.appending(path: "junit.xml"), encoding: .utf8).hasPrefix("<?xml"))
  }

  @Test func aTemplateThatDoesNotParseExitsTwoWithItsPosition() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("line one\n{{#runs}}\n".utf8).write(to: folder.appending(path: "report.html.mustache"))
    let out = folder.appending(path: "out")
    let result = try runCommand(["samples", "--output-dir", out.path, "--templates", folder.path])
    #expect(result.status == 2)
    #expect(result.standardError.contains("report.html.mustache:2:"), "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }
}

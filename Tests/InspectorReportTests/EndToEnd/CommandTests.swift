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
    #expect(result.standardOutput.hasPrefix("FAILED: 20 of 36 runs have problems"), "\(result.standardOutput)")
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

  @Test func keptGoingScenarioRendersLikeItsGoldenFilesAndExitsOne() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = ["Tests/InspectorReportTests/Inputs/kept-going", "--now", "2026-05-20T00:00:00Z"]
    let strict = try runCommand(arguments + ["--output-dir", folder.appending(path: "strict").path])
    #expect(strict.status == 2)
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "strict").path))
    let result = try runCommand(arguments + ["--output-dir", folder.path, "--keep-going"])
    #expect(result.status == 1, "\(result.standardError)")
    // The same problems on standard error as without --keep-going, one a line, as errors.
    #expect(result.standardError == strict.standardError)
    #expect(result.standardError.split(separator: "\n").count == 3)
    #expect(result.standardOutput.contains(" 3 errors, "), "\(result.standardOutput)")
    #expect(files(in: folder) == Self.outputs)
    for name in Self.outputs {
      try expectMatchesGolden([UInt8](try Data(contentsOf: folder.appending(path: name))), named: "kept-going/\(name)")
    }
  }

  /// The runs of a polling job's JSON Lines, three good lines and a fourth cut short, as `--keep-going` reads it.
  @Test func aPollingFileCutShortKeepsItsGoodRunsWithKeepGoingAndIsAnErrorWithout() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let lines = try TestPaths.bytes("samples/runs/polling.jsonl").split(separator: UInt8(ascii: "\n"))
    let cut =
      lines[..<(lines.count - 1)].joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")]
      + lines[lines.count - 1].prefix(200)
    let input = folder.appending(path: "polling.jsonl")
    try Data(cut).write(to: input)
    let output = folder.appending(path: "out")

    let strict = try runCommand([input.path, "--output-dir", output.path])
    #expect(strict.status == 2)
    #expect(strict.standardError.hasPrefix("\(input.path):\(lines.count):"), "\(strict.standardError)")
    #expect(!FileManager.default.fileExists(atPath: output.path))

    let result = try runCommand([input.path, "--output-dir", output.path, "--keep-going"])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(result.standardError == strict.standardError)
    let problem = String(strict.standardError.dropLast()).replacingOccurrences(of: ": error: ", with: ": ")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appending(path: "report.json")))
    let report = try #require(json as? [String: Any])
    let runs = try #require(report["runs"] as? [[String: Any]])
    #expect(runs.count == 5)
    #expect(runs.allSatisfy { ($0["source"] as? String)?.hasPrefix(input.path) == true })
    let checks = try #require(report["checks"] as? [[String: Any]])
    #expect(checks.map { $0["name"] as? String } == ["runs", "inputs"])
    #expect(checks.last?["status"] as? String == "error")
    #expect(checks.last?["message"] as? String == problem)
    #expect(report["passed"] as? Bool == false)
    let junit = String(decoding: try Data(contentsOf: output.appending(path: "junit.xml")), as: UTF8.self)
    #expect(
      junit.contains(
        """
            <testcase name="inputs: \(input.path):\(lines.count):201" classname="aws-inspector.report" time="0.000">
              <error message="\(problem)" type="inspector.inputs">\(problem)
        report: 5 runs from 5 entries in 1 input</error>
            </testcase>
        """), "\(junit)")
    for name in ["report.xml", "report.html", "summary.md"] {
      let text = String(decoding: try Data(contentsOf: output.appending(path: name)), as: UTF8.self)
      #expect(text.contains("inputs: ") || text.contains(#"name="inputs""#), "\(name)")
      #expect(text.contains("\(lines.count):201"), "\(name)")
    }
  }

  @Test func aMissingFileAndABrokenDocumentAreErrorsInTheReportWithKeepGoing() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let broken = folder.appending(path: "broken.json")
    try Data("{\"assessmentRuns\": [}".utf8).write(to: broken)
    let missing = folder.appending(path: "missing.json")
    let output = folder.appending(path: "out")
    let result = try runCommand([
      "samples/aws-doc-example.json", missing.path, broken.path, "--output-dir", output.path, "--keep-going",
      "--max", "High=none",
    ])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(
      result.standardError == """
        \(broken.path):1:21: error: assessmentRuns[0]: expected a value, found '}'
        \(missing.path): error: no such file or folder

        """)
    #expect(result.standardOutput.hasPrefix("FAILED: 0 of 1 run have problems"), "\(result.standardOutput)")
    #expect(result.standardOutput.contains("; 11 checks: 9 passed, 0 failed, 2 errors, 0 skipped → "))
    let junit = String(decoding: try Data(contentsOf: output.appending(path: "junit.xml")), as: UTF8.self)
    #expect(junit.contains(#"<error message="\#(missing.path): no such file or folder" type="inspector.inputs">"#))
    #expect(
      junit.contains(
        #"<error message="\#(broken.path):1:21: assessmentRuns[0]: expected a value, found &apos;}&apos;""#))
  }

  @Test func anInputThatIsAnOutputIsStillAUsageErrorWithKeepGoing() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let snapshot = try TestPaths.bytes("samples/aws-doc-example.json")
    try Data(snapshot).write(to: folder.appending(path: "report.json"))
    let result = try runCommand(["report.json", "--output-dir", ".", "--keep-going"], in: folder)
    #expect(result.status == 2)
    #expect(result.standardError.hasPrefix("report.json: error: report.json is both an input and an output"))
    #expect(files(in: folder) == ["report.json"])
    #expect(try TestPaths.bytesOf(folder.appending(path: "report.json")) == snapshot)
  }

  @Test func passingInputExitsZeroAndExitZeroMasksFailures() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let failing = try runCommand(["samples/aws-doc-example.json", "--output-dir", folder.path])
    #expect(failing.status == 1)
    let passing = try runCommand(["samples/aws-doc-example.json", "--output-dir", folder.path, "--max", "High=14"])
    #expect(passing.status == 0, "\(passing.standardError)")
    #expect(passing.standardOutput.hasPrefix("PASSED: 1 run ("), "\(passing.standardOutput)")
    let masked = try runCommand(["samples/aws-doc-example.json", "--output-dir", folder.path, "--exit-zero"])
    #expect(masked.status == 0)
  }

  @Test(arguments: [
    ["samples"],
    ["--output-dir", "x"],
    ["samples", "--output-dir", "OUT", "--max", "=1"],
    ["samples", "--output-dir", "OUT", "--min-runs", "-1"],
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

  @Test func namesThatAreNotUTF8AreReadAndShownEscaped() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appending(path: "d"), withIntermediateDirectories: true)
    let snapshot = try TestPaths.bytes("samples/aws-doc-example.json")
    let named = Array("run".utf8) + [0xFE] + Array(".json".utf8)
    try TestPaths.writeFile(snapshot, toRawPath: TestPaths.rawPath(named, in: folder))
    try TestPaths.writeFile(
      snapshot, toRawPath: TestPaths.rawPath(Array("d/good".utf8) + [0xFF, 0x01] + Array(".json".utf8), in: folder))
    for (input, shown) in [(named, "run\\\\xFE.json"), (Array("d".utf8), "d/good\\\\xFF\\u0001.json")] {
      let result = try runCommand(rawArguments: [input, Array("--output-dir".utf8), Array("out".utf8)], in: folder)
      #expect(result.status == 1, "\(result.standardError)")
      let report = String(decoding: try TestPaths.bytesOf(folder.appending(path: "out/report.json")), as: UTF8.self)
      #expect(report.contains("\"name\":\"\(shown)\""), "\(report)")
      #expect(report.contains("\"source\":\"\(shown):3:9\""))
    }
  }

  @Test func anUnreadableNameThatIsNotUTF8IsShownEscapedInTheMessage() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appending(path: "d"), withIntermediateDirectories: true)
    let broken = Array("{\"assessmentRuns\": [}".utf8)
    try TestPaths.writeFile(
      broken, toRawPath: TestPaths.rawPath(Array("bad".utf8) + [0xFF] + Array(".json".utf8), in: folder))
    try TestPaths.writeFile(
      broken, toRawPath: TestPaths.rawPath(Array("d/".utf8) + [0xC3] + Array(".json".utf8), in: folder))
    let result = try runCommand(
      rawArguments: [
        Array("bad".utf8) + [0xFF] + Array(".json".utf8), Array("d".utf8), Array("gone".utf8) + [0x80],
        Array("--output-dir".utf8), Array("out".utf8),
      ], in: folder)
    #expect(result.status == 2)
    #expect(
      result.standardError == """
        gone\\x80: error: no such file or folder
        bad\\xFF.json:1:21: error: assessmentRuns[0]: expected a value, found '}'
        d/\\xC3.json:1:21: error: assessmentRuns[0]: expected a value, found '}'

        """)
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "out").path))
  }

  @Test func anOutputFolderNamedInBytesThatAreNotUTF8IsWrittenThere() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = Array("out".utf8) + [0xFF]
    let input = Array(TestPaths.root.appending(path: "samples/aws-doc-example.json").path.utf8)
    for arguments in [[input, Array("--output-dir".utf8), output], [input, Array("--output-dir=".utf8) + output]] {
      let result = try runCommand(rawArguments: arguments, in: folder)
      #expect(result.status == 1, "\(result.standardError)")
      #expect(result.standardOutput.hasSuffix("→ out\\xFF\n"), "\(result.standardOutput)")
      #expect(isFolder(atPath: RawPath(bytes: TestPaths.rawPath(output, in: folder))) == true)
      #expect(files(in: folder).count == 1)
    }
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

  /// The offsets of the control characters in `bytes` that a terminal would obey: C0 other than TAB, LF and
  /// CR, DEL, the C1 controls (C2 80–C2 9F) and, with `bidirectional`, U+202A–U+202E (E2 80 AA–E2 80 AE).
  private func rawControls(in bytes: [UInt8], bidirectional: Bool = false) -> [Int] {
    bytes.indices.filter { index in
      let byte = bytes[index]
      let next = index + 1 < bytes.count ? bytes[index + 1] : 0
      let after = index + 2 < bytes.count ? bytes[index + 2] : 0
      return (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
        || (byte == 0xC2 && (0x80...0x9F).contains(next))
        || (bidirectional && byte == 0xE2 && next == 0x80 && (0xAA...0xAE).contains(after))
    }
  }

  @Test func controlCharactersFromInputsNeverReachTheOutputsRaw() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommand([
      "Tests/InspectorReportTests/Inputs/hostile/controls.json", "--output-dir", folder.path,
      "--now", "2026-05-20T00:00:00Z",
    ])
    #expect(result.status == 1, "\(result.standardError)")
    for name in Self.outputs {
      let bytes = [UInt8](try Data(contentsOf: folder.appending(path: name)))
      #expect(rawControls(in: bytes).isEmpty, "\(name)")
    }
    for name in ["report.html", "summary.md"] {
      let text = try String(contentsOf: folder.appending(path: name), encoding: .utf8)
      #expect(text.contains("ESC\\u001B"), "\(name)")
      #expect(text.contains("NUL\\u0000"), "\(name)")
    }
  }

  @Test func controlCharactersFromInputsAndTemplatesNeverReachTheTerminalRaw() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let snapshot = folder.appending(path: "bad.json")
    try Data(#"{"assessmentRuns": [{"arn": "a", "findingCounts": {"\u001b[2J\u0000\u0085\u202e": "many"}}]}"#.utf8)
      .write(to: snapshot)
    let input = try runCommand([snapshot.path, "--output-dir", folder.appending(path: "out").path])
    #expect(input.status == 2)
    #expect(input.standardError.contains(#"\u001B[2J\u0000\u0085\u202E"#), "\(input.standardError)")
    #expect(rawControls(in: Array(input.standardError.utf8), bidirectional: true).isEmpty, "\(input.standardError)")

    let templates = folder.appending(path: "templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try Data("{{\u{1B}[2J\u{7}\u{202E} x}}".utf8).write(to: templates.appending(path: "summary.md.mustache"))
    let template = try runCommand([
      "samples", "--output-dir", folder.appending(path: "out").path, "--templates", templates.path,
    ])
    #expect(template.status == 2)
    #expect(template.standardError.contains(#"\u001B[2J\u0007\u202E"#), "\(template.standardError)")
    #expect(
      rawControls(in: Array(template.standardError.utf8), bidirectional: true).isEmpty, "\(template.standardError)")
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
    #expect(result.standardError == "", "a partial's names resolve where it is included")
    let summary = try String(contentsOf: out.appending(path: "summary.md"), encoding: .utf8)
    #expect(summary == "failed: Run 1 for ExampleAssessmentTemplate <COMPLETED>;\n")
    #expect(try String(contentsOf: out.appending(path: "junit.xml"), encoding: .utf8).hasPrefix("<?xml"))
  }

  @Test func aNameThatNeverResolvesWarnsAndTheReportsAreStillWritten() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("{{verdict}}\n{{#runs}}{{name}} {{totals.rnus}}{{/runs}}\n".utf8).write(
      to: folder.appending(path: "summary.md.mustache"))
    let out = folder.appending(path: "out")
    let result = try runCommand(
      ["samples/aws-doc-example.json", "--output-dir", out.path, "--templates", folder.path])
    #expect(result.status == 1, "the exit status is the checks', as without the warning")
    #expect(
      result.standardError
        == "\(folder.path)/summary.md.mustache:2:19: warning: 'totals.rnus' never resolves against the report model\n")
    #expect(files(in: out) == Self.outputs)
    let summary = try String(contentsOf: out.appending(path: "summary.md"), encoding: .utf8)
    #expect(summary == "failed\nRun 1 for ExampleAssessmentTemplate \n")
  }

  @Test func aTemplateThatDoesNotParseExitsTwoWithItsPosition() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("line one\n{{#runs}}\n".utf8).write(to: folder.appending(path: "report.html.mustache"))
    let out = folder.appending(path: "out")
    let result = try runCommand(["samples", "--output-dir", out.path, "--templates", folder.path])
    #expect(result.status == 2)
    #expect(
      result.standardError == "\(folder.path)/report.html.mustache:2:1: error: 'runs' is never closed\n",
      "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func inputsWithoutRunsFailUnlessMinRunsAllowsThem() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = Array("{\"assessmentRuns\": [], \"failedItems\": {}}".utf8)
    let out = folder.appending(path: "out")
    let failing = try runCommand(["-", "--output-dir", out.path], standardInput: empty)
    #expect(failing.status == 1, "\(failing.standardError)")
    #expect(failing.standardOutput.hasPrefix("FAILED: 0 of 0 runs have problems"), "\(failing.standardOutput)")
    let junit = try String(contentsOf: out.appending(path: "junit.xml"), encoding: .utf8)
    #expect(
      junit.contains(
        "<failure message=\"no assessment runs in the inputs; at least 1 required\" type=\"inspector.runs\">"))
    for name in ["report.html", "report.xml", "summary.md"] {
      let text = try String(contentsOf: out.appending(path: name), encoding: .utf8)
      #expect(text.contains("no assessment runs in the inputs; at least 1 required"), "\(name)")
    }
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appending(path: "report.json")))
    let root = try #require(json as? [String: Any])
    #expect(root["now"] is NSNull)
    #expect(root["nowSource"] as? String == "none")
    #expect(root["verdict"] as? String == "failed")
    let allowed = try runCommand(["-", "--output-dir", out.path, "--min-runs", "0"], standardInput: empty)
    #expect(allowed.status == 0, "\(allowed.standardError)")
    #expect(allowed.standardOutput.hasPrefix("PASSED: 0 runs"), "\(allowed.standardOutput)")
  }

  @Test func anUndocumentedSeverityCanBeGatedAndAnAbsentOneWarns() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try String(contentsOf: TestPaths.root.appending(path: "samples/aws-doc-example.json"), encoding: .utf8)
      .replacingOccurrences(of: "\"High\":", with: "\"Critical\": 7, \"High\":")
    let input = folder.appending(path: "run.json")
    try Data(run.utf8).write(to: input)
    let gated = try runCommand([
      input.path, "--output-dir", folder.appending(path: "a").path, "--max", "High=none", "--max", "Critical=0",
    ])
    #expect(gated.status == 1, "\(gated.standardError)")
    #expect(gated.standardError.isEmpty, "\(gated.standardError)")
    let junit = try String(contentsOf: folder.appending(path: "a/junit.xml"), encoding: .utf8)
    #expect(junit.contains("type=\"inspector.findings-Critical\""), "\(junit)")
    let absent = try runCommand([
      "samples/aws-doc-example.json", "--output-dir", folder.appending(path: "b").path, "--max", "High=none", "--max",
      "Critical=0",
    ])
    #expect(absent.status == 0, "\(absent.standardError)")
    #expect(absent.standardError == "warning: --max Critical: no input has Critical findings\n")
  }

  @Test func versionAndParserErrorsSpeakInTheToolsOwnForm() throws {
    let version = try runCommand(["--version"])
    #expect(version.status == 0)
    #expect(version.standardOutput == "inspector-report 0.1.0\n")
    let unknown = try runCommand(["samples", "--output-dir", "x", "--no-such-option"])
    #expect(unknown.status == 2)
    #expect(unknown.standardError.hasPrefix("error: "), "\(unknown.standardError)")
    let missing = try runCommand(["samples"])
    #expect(missing.status == 2)
    #expect(missing.standardError.hasPrefix("error: "), "\(missing.standardError)")
  }

  /// Each shell's completion script, as the README installs it: every option, and what each one's value is.
  @Test(arguments: [
    (
      "bash",
      [
        "'--output-dir')\n        __inspector-report_add_completions -d\n",
        "'--templates')\n        __inspector-report_add_completions -d\n",
        "'--junit-identity')\n        __inspector-report_add_completions -W 'run'$'\\n''template'\n",
        "__inspector-report_add_completions -o plusdirs -fX '!*.@(json|jsonl|JSON|JSONL)'",
      ]
    ),
    (
      "zsh",
      [
        "'--output-dir[Folder to write the reports into; needed unless every chosen output has a path of its own.]:DIR:_files -/'",
        "of the same name.]:DIR:_files -/'", "___junit_identity=('run' 'template')",
        #"'*:INPUT:_files -g '\''*.json *.jsonl *.JSON *.JSONL'\'''"#,
      ]
    ),
    (
      "fish",
      [
        "-l 'output-dir' -d 'Folder to write the reports into; needed unless every chosen output has a path of its own.' -rfa '(__inspector-report_complete_directories)'",
        "of the same name.' -rfa '(__inspector-report_complete_directories)'", "-rfka 'run template'",
        #"set -l exts \'json\' \'jsonl\' \'JSON\' \'JSONL\'"#,
      ]
    ),
  ])
  func completionScriptNamesEveryOptionAndWhatItsValueIs(shell: String, valueCompletions: [String]) throws {
    let result = try runCommand(["--generate-completion-script", shell])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardError.isEmpty)
    let options = [
      "output-dir", "now", "max", "min-runs", "templates", "junit-identity", "validate", "exit-zero", "keep-going",
    ]
    for option in options {
      let spelled = shell == "fish" ? "-l '\(option)'" : "--\(option)"
      #expect(result.standardOutput.contains(spelled), "\(shell): no \(spelled)")
    }
    for completion in valueCompletions {
      #expect(result.standardOutput.contains(completion), "\(shell): no \(completion)")
    }
  }

  @Test func aCompletionScriptForAnUnknownShellIsAUsageError() throws {
    let result = try runCommand(["--generate-completion-script", "tcsh"])
    #expect(result.status == 2)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError.hasPrefix("error: "), "\(result.standardError)")
  }

  @Test func aTemplateFileThatNothingUsesIsAnError() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("{{verdict}}\n".utf8).write(to: folder.appending(path: "sumary.md.mustache"))
    // A partial that only another partial includes is in use.
    try Data("{{> inner}}".utf8).write(to: folder.appending(path: "report.html.mustache"))
    try Data("{{> innermost}}".utf8).write(to: folder.appending(path: "inner.mustache"))
    try Data("{{verdict}}".utf8).write(to: folder.appending(path: "innermost.mustache"))
    let out = folder.appending(path: "out")
    let result = try runCommand(["samples", "--output-dir", out.path, "--templates", folder.path])
    #expect(result.status == 2)
    #expect(
      result.standardError
        == "\(folder.path)/sumary.md.mustache: error: replaces no template and no template includes it "
        + "(the templates are junit.xml, report.html, report.xml, summary.md)\n",
      "\(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func aTagMissingABraceIsReportedAsUnclosed() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("# Report\n{{verdict}\n{{#runs}}{{name}}{{/runs}}\n".utf8)
      .write(to: folder.appending(path: "summary.md.mustache"))
    let out = folder.appending(path: "out")
    let result = try runCommand(["samples", "--output-dir", out.path, "--templates", folder.path])
    #expect(result.status == 2)
    #expect(
      result.standardError
        == "\(folder.path)/summary.md.mustache:2:1: error: unclosed tag: no '}}' before the next '{{'\n",
      "\(result.standardError)")
  }
}

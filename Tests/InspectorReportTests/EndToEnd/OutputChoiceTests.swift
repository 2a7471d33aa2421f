import Foundation
import Testing

@testable import InspectorReport

/// `--format` and the per-output paths: only the chosen outputs are rendered and written, each where it is asked.
@Suite struct OutputChoiceTests {
  static let outputs = OutputFormat.allCases.map(\.fileName).sorted()
  static let input = "samples/aws-doc-example.json"

  private func files(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  /// Writes the full set into `folder`, and returns its bytes by name.
  private func writeFullSet(into folder: URL) throws -> [String: [UInt8]] {
    let result = try runCommand([Self.input, "--output-dir", folder.path, "--exit-zero"])
    #expect(result.status == 0, "\(result.standardError)")
    return Dictionary(
      uniqueKeysWithValues: try Self.outputs.map { ($0, try TestPaths.bytesOf(folder.appending(path: $0))) })
  }

  @Test func formatJUnitWritesOnlyJUnitIntoAFreshFolder() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let full = try writeFullSet(into: folder.appending(path: "full"))
    let out = folder.appending(path: "out")
    let result = try runCommand([Self.input, "--output-dir", out.path, "--format", "junit"])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(files(in: out) == ["junit.xml"])
    #expect(try TestPaths.bytesOf(out.appending(path: "junit.xml")) == full["junit.xml"])
  }

  /// Over an earlier full set the four reports not chosen go with the commit, whether the folder is swapped (it
  /// holds only reports) or its reports are renamed one by one (it holds other files, which stay as they are).
  @Test(arguments: [false, true]) func formatJUnitRemovesTheOtherReportsOfAnEarlierSet(sharedFolder: Bool) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appending(path: "out")
    _ = try writeFullSet(into: out)
    if sharedFolder {
      try Data("mine".utf8).write(to: out.appending(path: "notes.txt"))
      try Data("mine".utf8).write(to: out.appending(path: "report.json.bak"))
    }
    let result = try runCommand([
      Self.input, "--output-dir", out.path, "--format", "junit", "--now", "2030-01-01T00:00:00Z",
    ])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(files(in: out) == (sharedFolder ? ["junit.xml", "notes.txt", "report.json.bak"] : ["junit.xml"]))
    #expect(String(decoding: try TestPaths.bytesOf(out.appending(path: "junit.xml")), as: UTF8.self).contains("2030"))
    if sharedFolder {
      #expect(try TestPaths.bytesOf(out.appending(path: "notes.txt")) == Array("mine".utf8))
    }
  }

  @Test(arguments: [["--format", "junit,html"], ["--format", "html", "--format", "junit,html,junit"]])
  func aListOfFormatsWritesThoseOutputs(options: [String]) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommand([Self.input, "--output-dir", folder.path] + options)
    #expect(result.status == 1, "\(result.standardError)")
    #expect(files(in: folder) == ["junit.xml", "report.html"])
  }

  @Test func anUnknownFormatIsAUsageErrorAndNothingIsWritten() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let full = try writeFullSet(into: folder)
    for list in ["junit,pdf", "report.html", ""] {
      let result = try runCommand([Self.input, "--output-dir", folder.path, "--format", list])
      #expect(result.status == 2)
      #expect(
        result.standardError.hasPrefix(
          "error: --format: unknown output '\(list.split(separator: ",").last ?? "")'; "
            + "the outputs are html, json, junit, markdown, xml\nUsage: "),
        "\(result.standardError)")
      #expect(fullSetIsUnchanged(full, in: folder))
    }
  }

  private func fullSetIsUnchanged(_ full: [String: [UInt8]], in folder: URL) -> Bool {
    files(in: folder) == Self.outputs
      && Self.outputs.allSatisfy { full[$0] == (try? TestPaths.bytesOf(folder.appending(path: $0))) }
  }

  /// A path of its own moves an output (creating its folders) and needs no --output-dir when it is the only one.
  @Test func aJUnitPathOfItsOwnIsWrittenThere() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = TestPaths.root.appending(path: Self.input).path
    let full = try runCommand([input, "--output-dir", "full", "--format", "junit"], in: folder)
    #expect(full.status == 1, "\(full.standardError)")
    let result = try runCommand(
      [input, "--format", "junit", "--junit-output", "some/dir/inspector.xml"], in: folder)
    #expect(result.status == 1, "\(result.standardError)")
    #expect(result.standardOutput.hasSuffix(" → some/dir/inspector.xml\n"), "\(result.standardOutput)")
    #expect(files(in: folder.appending(path: "some/dir")) == ["inspector.xml"])
    #expect(
      try TestPaths.bytesOf(folder.appending(path: "some/dir/inspector.xml"))
        == TestPaths.bytesOf(folder.appending(path: "full/junit.xml")))

    // Beside the output folder: the others go there, junit.xml does not.
    let out = folder.appending(path: "out")
    let both = try runCommand(
      [input, "--output-dir", "out", "--junit-output", "ci/junit.xml"], in: folder)
    #expect(both.status == 1, "\(both.standardError)")
    #expect(files(in: out) == Self.outputs.filter { $0 != "junit.xml" })
    #expect(files(in: folder.appending(path: "ci")) == ["junit.xml"])
  }

  /// Two spellings of a folder yet to be created are one folder, locked once: locking it twice would wait forever.
  @Test func outputsIntoOneNewFolderSpelledTwoWaysAreOneSet() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = TestPaths.root.appending(path: Self.input).path
    let result = try runCommandWithin(
      seconds: 60,
      [input, "--format", "junit,xml", "--junit-output", "new/a/j.xml", "--xml-output", "./new/b/../a/x.xml"],
      in: folder)
    #expect(result?.status == 1, "\(result?.standardError ?? "still running after a minute")")
    #expect(files(in: folder.appending(path: "new/a")) == ["j.xml", "x.xml"])
  }

  @Test func outputsWithoutAPathNeedTheOutputFolder() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = TestPaths.root.appending(path: Self.input).path
    let result = try runCommand([input, "--format", "junit,markdown", "--junit-output", "j.xml"], in: folder)
    #expect(result.status == 2)
    #expect(
      result.standardError.hasPrefix("error: --output-dir is needed for summary.md (or --markdown-output)\n"),
      "\(result.standardError)")
    #expect(files(in: folder) == [])
  }

  @Test(arguments: [
    ["--format", "junit,xml", "--junit-output", "x.xml", "--xml-output", "./x.xml"],
    ["--format", "junit,xml,json", "--output-dir", "out", "--junit-output", "out/report.json"],
  ])
  func twoOutputsToOneFileAreAnErrorAndNothingIsWritten(options: [String]) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = TestPaths.root.appending(path: Self.input).path
    let result = try runCommand([input] + options, in: folder)
    #expect(result.status == 2)
    #expect(result.standardError.contains(": error: both "), "\(result.standardError)")
    #expect(result.standardError.hasSuffix(" would be written to this file\n"), "\(result.standardError)")
    #expect(files(in: folder) == [])
  }

  /// An input at an output's own path, or at a report the output folder loses, would be replaced or removed.
  @Test(arguments: [
    ["--format", "junit", "--junit-output", "in.json"],
    ["--format", "junit,html", "--junit-output", "elsewhere/junit.xml", "--output-dir", "."],
  ])
  func anInputThatIsAnOutputIsAnError(options: [String]) throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let snapshot = try TestPaths.bytes(Self.input)
    let input = options.contains(".") ? "report.json" : "in.json"
    try Data(snapshot).write(to: folder.appending(path: input))
    let result = try runCommand([input] + options, in: folder)
    #expect(result.status == 2)
    #expect(result.standardError.contains("\(input) is both an input and an output"), "\(result.standardError)")
    #expect(files(in: folder) == [input])
    #expect(try TestPaths.bytesOf(folder.appending(path: input)) == snapshot)
  }

  /// An override of report.html that fails as it renders (a partial that includes itself) stops a full run, and
  /// is not rendered at all when html is not chosen.
  @Test func outputsNotChosenAreNotRendered() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let templates = folder.appending(path: "templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try Data("{{> loop}}".utf8).write(to: templates.appending(path: "report.html.mustache"))
    try Data("{{> loop}}".utf8).write(to: templates.appending(path: "loop.mustache"))
    let out = folder.appending(path: "out")
    let arguments = [Self.input, "--output-dir", out.path, "--templates", templates.path]
    let all = try runCommand(arguments)
    #expect(all.status == 2)
    #expect(all.standardError.contains("nests more than"), "\(all.standardError)")
    let junit = try runCommand(arguments + ["--format", "junit"])
    #expect(junit.status == 1, "\(junit.standardError)")
    #expect(files(in: out) == ["junit.xml"])
  }

  /// Killed at any moment, a `--format junit` run over an earlier full set leaves that whole set, or its own
  /// junit.xml alone: never the new junit.xml beside old reports.
  @Test(arguments: [false, true])
  func aSubsetRunKilledAtAnyMomentLeavesTheOldSetOrTheNewSubset(sharedFolder: Bool) throws {
    let fixture = try ReportSetTests.Fixture(runs: 300)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let output = fixture.folder.appending(path: "out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    if sharedFolder { try Data("kept".utf8).write(to: output.appending(path: "notes.txt")) }
    let newJUnit = fixture.new[Self.outputs.firstIndex(of: "junit.xml") ?? 0]
    func start() throws -> Process {
      let process = Process()
      process.executableURL = TestPaths.command
      process.arguments = [
        fixture.input, "--output-dir", output.path, "--now", ReportSetTests.newNow, "--format", "junit",
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    let started = Date()
    try fixture.placeOldSet(in: output)
    let whole = try start()
    whole.waitUntilExit()
    let duration = Date().timeIntervalSince(started)
    var seen: [String] = []
    for attempt in 0..<12 {
      try fixture.placeOldSet(in: output)
      let before = ReportSetTests.inodes(in: output)
      let process = try start()
      if attempt.isMultiple(of: 2) {
        while process.isRunning && ReportSetTests.inodes(in: output) == before {}
      } else {
        usleep(UInt32(duration * 1e6 * Double(attempt) / 12))
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if sharedFolder {
        // As the next run into the folder would, before anything else.
        _ = try ReportStaging(
          folder: RawPath(output.path), names: ["junit.xml"],
          removing: Self.outputs.filter { $0 != "junit.xml" }.map { RawPath($0) })
      }
      let reports = files(in: output).filter { !$0.hasPrefix(".") && $0 != "notes.txt" }
      let junit = try TestPaths.bytesOf(output.appending(path: "junit.xml"))
      if reports == ["junit.xml"] && junit == newJUnit {
        seen.append("new")
      } else if reports == Self.outputs {
        seen.append(try fixture.kindOfSet(in: output))
      } else {
        seen.append("\(reports)")
      }
      #expect(seen.last == "old" || seen.last == "new", "attempt \(attempt) left \(seen.last ?? "")")
      if sharedFolder { #expect(files(in: output).contains("notes.txt")) }
    }
    #expect(seen.contains("old") && seen.contains("new"), "\(seen)")
  }

  /// A run killed among the renames of a subset leaves its record and its marks; the next run into the folder
  /// removes the marked reports as part of finishing that commit, and only them.
  @Test func aRemovalOfAnInterruptedCommitIsFinishedByTheNextRun() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    func write(_ text: String, _ name: String) throws {
      try Data(text.utf8).write(to: folder.appending(path: name))
    }
    for name in Self.outputs { try write("old \(name)", name) }
    try write("new junit.xml", ".junit.xml.4242.tmp")
    try write("", ".report.json.4242.rm")
    try write("", ".report.xml.4242.rm")
    try write("4242\n", ".inspector-report.commit")
    try write("mine", "notes.txt")
    let names = Self.outputs.map { RawPath($0) }
    _ = try ReportStaging(folder: RawPath(folder.path), names: names)
    #expect(files(in: folder) == ["junit.xml", "notes.txt", "report.html", "summary.md"])
    #expect(try TestPaths.bytesOf(folder.appending(path: "junit.xml")) == Array("new junit.xml".utf8))

    // Marks without a record were made by a run killed before its commit: they remove nothing.
    try write("", ".report.html.4243.rm")
    _ = try ReportStaging(folder: RawPath(folder.path), names: names)
    #expect(files(in: folder) == ["junit.xml", "notes.txt", "report.html", "summary.md"])
  }
}

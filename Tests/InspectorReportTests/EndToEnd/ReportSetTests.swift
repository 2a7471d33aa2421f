import Foundation
import Testing

@testable import InspectorReport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The five reports as one set: whatever happens to a run, and however many run at once, the output folder holds
/// the whole old set or the whole new one.
@Suite struct ReportSetTests {
  static let outputs = OutputFormat.allCases.map(\.fileName).sorted()
  static let oldNow = "2026-05-20T00:00:00Z"
  static let newNow = "2026-05-21T00:00:00Z"

  /// A folder with `count` runs in one JSON Lines file, and the two sets of reports it gives for two *now*s, which
  /// differ in every file.
  struct Fixture {
    let folder: URL
    let input: String
    let old: [[UInt8]]
    let new: [[UInt8]]

    init(runs count: Int) throws {
      folder = try TestPaths.temporaryFolder()
      let snapshot = String(decoding: try TestPaths.bytes("samples/aws-doc-example.json"), as: UTF8.self)
        .replacingOccurrences(of: "\n", with: " ")
      let lines = (0..<count).map { snapshot.replacingOccurrences(of: "0-MKkpXXPE", with: "0-\($0)") + "\n" }
      input = folder.appending(path: "runs.jsonl").path
      try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: input))
      old = try Self.reports(of: input, now: ReportSetTests.oldNow, into: folder.appending(path: "old"))
      new = try Self.reports(of: input, now: ReportSetTests.newNow, into: folder.appending(path: "new"))
      #expect(zip(old, new).allSatisfy { $0 != $1 })
    }

    static func reports(of input: String, now: String, into folder: URL) throws -> [[UInt8]] {
      _ = try runCommand([input, "--output-dir", folder.path, "--now", now])
      return try ReportSetTests.set(in: folder)
    }

    /// Puts the old set into `folder`, as new files, as a run would have left it.
    func placeOldSet(in folder: URL) throws {
      for (name, bytes) in zip(ReportSetTests.outputs, old) {
        let staged = folder.appending(path: ".placing")
        try Data(bytes).write(to: staged)
        #expect(rename(staged.path, folder.appending(path: name).path) == 0)
      }
    }

    /// Which set `folder` holds: "old", "new", or a letter per file when they are mixed.
    func kindOfSet(in folder: URL) throws -> String {
      let set = try ReportSetTests.set(in: folder)
      if set == old { return "old" }
      if set == new { return "new" }
      return zip(set, zip(old, new)).map { $0 == $1.0 ? "o" : $0 == $1.1 ? "n" : "?" }.joined()
    }
  }

  static func set(in folder: URL) throws -> [[UInt8]] {
    try outputs.map { try TestPaths.bytesOf(folder.appending(path: $0)) }
  }

  static func entries(of folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  /// Starts the command writing the new set into `output`.
  static func start(_ fixture: Fixture, into output: URL, standardError: FileHandle? = nil) throws -> Process {
    let process = Process()
    process.executableURL = TestPaths.command
    process.arguments = [fixture.input, "--output-dir", output.path, "--now", newNow]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = standardError ?? FileHandle.nullDevice
    try process.run()
    return process
  }

  /// The inode of each report in `folder`, `0` where there is none.
  static func inodes(in folder: URL) -> [UInt64] {
    outputs.map { name in
      var status = stat()
      return stat(folder.appending(path: name).path, &status) == 0 ? UInt64(status.st_ino) : 0
    }
  }

  @Test(arguments: [false, true])
  func aRunKilledAtAnyMomentLeavesTheWholeOldOrTheWholeNewSet(sharedFolder: Bool) throws {
    let fixture = try Fixture(runs: 300)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let output = fixture.folder.appending(path: "out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    if sharedFolder { try Data("kept".utf8).write(to: output.appending(path: "notes.txt")) }
    let started = Date()
    try fixture.placeOldSet(in: output)
    let whole = try Self.start(fixture, into: output)
    whole.waitUntilExit()
    let duration = Date().timeIntervalSince(started)
    var seen: [String] = []
    for attempt in 0..<12 {
      try fixture.placeOldSet(in: output)
      let before = Self.inodes(in: output)
      let process = try Self.start(fixture, into: output)
      if attempt.isMultiple(of: 2) {
        // The moment the first report is replaced: the commit, where the renames happen.
        while process.isRunning && Self.inodes(in: output) == before {}
      } else {
        usleep(UInt32(duration * 1e6 * Double(attempt) / 12))
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if sharedFolder {
        // In a shared folder the renames go one by one, and a kill among them (microseconds wide) leaves the
        // commit to the next run, which finishes it once it holds the folder, before anything else: as here.
        _ = try ReportStaging(folder: RawPath(output.path), names: OutputFormat.allCases.map { RawPath($0.fileName) })
      }
      let kind = try fixture.kindOfSet(in: output)
      seen.append(kind)
      #expect(kind == "old" || kind == "new", "attempt \(attempt) left a mixed set: \(kind)")
    }
    #expect(seen.contains("old") && seen.contains("new"), "\(seen)")
    // Killed while rendering, a run leaves its staged files.
    try fixture.placeOldSet(in: output)
    let process = try Self.start(fixture, into: output)
    let staged = ".\(process.processIdentifier).tmp"
    while process.isRunning && !Self.entries(of: output).contains(where: { $0.hasSuffix(staged) }) {}
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(try fixture.kindOfSet(in: output) == "old")
    #expect(Self.entries(of: output).contains { $0.hasSuffix(staged) }, "\(Self.entries(of: output))")
    let next = try runCommand([fixture.input, "--output-dir", output.path, "--now", Self.oldNow])
    #expect(next.status == 1)
    #expect(try fixture.kindOfSet(in: output) == "old")
    #expect(Self.entries(of: output) == (Self.outputs + (sharedFolder ? ["notes.txt"] : [])).sorted())
    #expect(!Self.entries(of: fixture.folder).contains { $0.hasPrefix(".out.") })
  }

  @Test func concurrentRunsIntoOneFolderNeverLeaveAMixedSet() throws {
    let fixture = try Fixture(runs: 3)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let output = fixture.folder.appending(path: "out")
    for pair in 0..<100 {
      let processes = try [Self.oldNow, Self.newNow].map { now in
        let process = Process()
        process.executableURL = TestPaths.command
        process.arguments = [fixture.input, "--output-dir", output.path, "--now", now]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
      }
      for process in processes { process.waitUntilExit() }
      #expect(processes.map(\.terminationStatus) == [1, 1])
      let kind = try fixture.kindOfSet(in: output)
      #expect(kind == "old" || kind == "new", "pair \(pair) left a mixed set: \(kind)")
    }
    #expect(Self.entries(of: output) == Self.outputs)
  }

  @Test func aSecondRunWaitsForTheFolderAndSaysSo() throws {
    let fixture = try Fixture(runs: 3)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let output = fixture.folder.appending(path: "out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    let held = open(output.path, O_RDONLY | O_DIRECTORY)
    #expect(flock(held, LOCK_EX) == 0)
    let messages = fixture.folder.appending(path: "stderr")
    try Data().write(to: messages)
    let process = try Self.start(fixture, into: output, standardError: try FileHandle(forWritingTo: messages))
    let expected = "note: waiting for another inspector-report to finish writing to \(output.path)\n"
    let deadline = Date().addingTimeInterval(60)
    while try String(contentsOf: messages, encoding: .utf8) != expected && Date() < deadline { usleep(10_000) }
    #expect(try String(contentsOf: messages, encoding: .utf8) == expected)
    usleep(200_000)
    #expect(process.isRunning)
    #expect(Self.entries(of: output).isEmpty)
    close(held)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(try fixture.kindOfSet(in: output) == "new")
  }

  /// Puts the old set into `output`, runs the command to replace it, and gives the folder's status before and after.
  static func replaceOldSet(of fixture: Fixture, in output: URL) throws -> (before: stat, after: stat) {
    try fixture.placeOldSet(in: output)
    var before = stat()
    stat(output.path, &before)
    #expect(try runCommand([fixture.input, "--output-dir", output.path, "--now", newNow]).status == 1)
    var after = stat()
    stat(output.path, &after)
    return (before, after)
  }

  @Test func aFolderOfItsOwnIsSwappedWholeAndKeepsItsPermissions() throws {
    let fixture = try Fixture(runs: 3)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let output = fixture.folder.appending(path: "out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    #expect(chmod(output.path, 0o750) == 0)
    let (before, after) = try Self.replaceOldSet(of: fixture, in: output)
    #expect(after.st_ino != before.st_ino)
    #expect(after.st_mode & 0o7777 == 0o750)
    #expect(try fixture.kindOfSet(in: output) == "new")
    #expect(Self.entries(of: fixture.folder).filter { $0.hasPrefix(".") }.isEmpty)
  }

  @Test func aSharedFolderKeepsItsOtherFilesAndItself() throws {
    let fixture = try Fixture(runs: 3)
    defer { try? FileManager.default.removeItem(at: fixture.folder) }
    let output = fixture.folder.appending(path: "out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    try Data("kept".utf8).write(to: output.appending(path: "notes.txt"))
    let (before, after) = try Self.replaceOldSet(of: fixture, in: output)
    #expect(after.st_ino == before.st_ino)
    #expect(try fixture.kindOfSet(in: output) == "new")
    #expect(Self.entries(of: output) == (Self.outputs + ["notes.txt"]).sorted())
  }

  /// A run killed among the renames of a shared folder leaves its record; the next run finishes those renames
  /// first, and removes what killed runs staged, retired or swapped, and nothing else.
  @Test func anInterruptedCommitIsFinishedAndLeftoversRemovedByTheNextRun() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appending(path: "out")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    let names = Self.outputs
    func write(_ text: String, _ name: String, in place: URL = output) throws {
      try Data(text.utf8).write(to: place.appending(path: name))
    }
    // Process 4242 had renamed its first two reports when it was killed.
    for (index, name) in names.enumerated() {
      if index < 2 {
        try write("new \(name)", name)
        try write("old \(name)", ".\(name).4242.old")
      } else {
        try write("old \(name)", name)
        try write("new \(name)", ".\(name).4242.tmp")
      }
    }
    try write("4242\n", ".inspector-report.commit")
    // Process 77 was killed while rendering; process 78 after its folder was swapped in.
    try write("half", ".report.json.77.tmp")
    let swapped = folder.appending(path: ".out.78.inspector-report")
    try FileManager.default.createDirectory(at: swapped, withIntermediateDirectories: true)
    try write("older", "report.json", in: swapped)
    // Not ours: kept.
    for name in [".report.json.bak", "report.json.77.tmp", ".report.json.x.tmp", "notes.tmp"] {
      try write("user", name)
    }

    let staging = try ReportStaging(folder: RawPath(output.path), names: names.map { RawPath($0) })
    #expect(
      try names.map { String(decoding: try TestPaths.bytesOf(output.appending(path: $0)), as: UTF8.self) }
        == names.map { "new \($0)" })
    let ours = Set(names.map { Leftovers.stagedName(RawPath($0), process: getpid()).description })
    #expect(
      Self.entries(of: output).filter { !ours.contains($0) }
        == (names + [".report.json.bak", "report.json.77.tmp", ".report.json.x.tmp", "notes.tmp"]).sorted())
    #expect(!FileManager.default.fileExists(atPath: swapped.path))
    _ = staging
  }

  @Test func aCommitRecordCutShortNamesNoProcess() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in Self.outputs {
      try Data("old".utf8).write(to: folder.appending(path: name))
      try Data("new".utf8).write(to: folder.appending(path: ".\(name).42.tmp"))
    }
    try Data("42".utf8).write(to: folder.appending(path: ".inspector-report.commit"))
    _ = try ReportStaging(folder: RawPath(folder.path), names: Self.outputs.map { RawPath($0) })
    #expect(try Self.set(in: folder).allSatisfy { $0 == Array("old".utf8) })
    #expect(Self.entries(of: folder) == Self.outputs)
  }
}

import Foundation
import Testing

@testable import InspectorReport

/// Every report says where it came from, so that an auditor can make it again and compare bytes.
@Suite struct ProvenanceTests {
  /// `tool ARGUMENTS` as the system runs it, its standard output.
  private func output(of tool: String, _ arguments: [String], in folder: URL = TestPaths.root) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    process.currentDirectoryURL = folder
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  private func reportJSON(in folder: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: folder.appending(path: "report.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  private func provenance(in folder: URL) throws -> [String: Any] {
    try #require(try reportJSON(in: folder)["provenance"] as? [String: Any])
  }

  @Test func eachInputsHashIsWhatSha256sumSays() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommand(["samples", "--output-dir", folder.path, "--exit-zero"])
    #expect(result.status == 0, "\(result.standardError)")
    let inputs = try #require(try reportJSON(in: folder)["inputs"] as? [[String: Any]])
    let names = inputs.compactMap { $0["name"] as? String }
    #expect(names.count == 15)
    let listing = try output(of: "sha256sum", names)
    let expected = listing.split(separator: "\n").map { line in
      let parts = line.split(separator: " ", maxSplits: 1)
      return (name: String(parts[1].dropFirst()), sha256: String(parts[0]))
    }
    #expect(inputs.map { "\($0["sha256"] ?? "") \($0["name"] ?? "")" } == expected.map { "\($1) \($0)" })
    let junit = try String(contentsOf: folder.appending(path: "junit.xml"), encoding: .utf8)
    #expect(junit.contains("<property name=\"input\" value=\"\(expected[0].sha256)  \(expected[0].name)\"/>"))
    let xml = try String(contentsOf: folder.appending(path: "report.xml"), encoding: .utf8)
    #expect(xml.contains("sha256=\"\(expected[0].sha256)\""))
    let page = try String(contentsOf: folder.appending(path: "report.html"), encoding: .utf8)
    #expect(page.contains("<code>\(expected[0].sha256)</code>"))
  }

  @Test func standardInputIsHashedToo() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let bytes = try TestPaths.bytes("samples/aws-doc-example.json")
    let result = try runCommand(["-", "--output-dir", folder.path, "--exit-zero"], standardInput: bytes)
    #expect(result.status == 0, "\(result.standardError)")
    let inputs = try #require(try reportJSON(in: folder)["inputs"] as? [[String: Any]])
    let listing = try output(of: "sha256sum", ["samples/aws-doc-example.json"])
    #expect(inputs.first?["sha256"] as? String == String(listing.prefix(64)))
  }

  @Test func theTemplateSetsHashIsOfItsSha256sumListingAndChangesWithAnOverride() throws {
    let builtIn = try TestPaths.temporaryFolder()
    let overridden = try TestPaths.temporaryFolder()
    let templates = try TestPaths.temporaryFolder()
    defer {
      for folder in [builtIn, overridden, templates] { try? FileManager.default.removeItem(at: folder) }
    }
    #expect(try runCommand(["samples", "--output-dir", builtIn.path, "--exit-zero"]).status == 0)
    let listed = try output(
      of: "sh", ["-c", "sha256sum $(LC_ALL=C ls) | sha256sum"], in: TestPaths.root.appending(path: "templates"))
    #expect(try provenance(in: builtIn)["templatesSha256"] as? String == String(listed.prefix(64)))

    let summary = "{{! mine }}\n{{verdict}}\n"
    try Data(summary.utf8).write(to: templates.appending(path: "summary.md.mustache"))
    let result = try runCommand([
      "samples", "--output-dir", overridden.path, "--exit-zero", "--templates", templates.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let before = try provenance(in: builtIn)
    let after = try provenance(in: overridden)
    #expect(before["templatesSha256"] as? String != after["templatesSha256"] as? String)
    let files = try #require(after["templateFiles"] as? [[String: Any]])
    let summaryFile = try #require(files.first { $0["name"] as? String == "summary.md.mustache" })
    #expect(summaryFile["folder"] as? String == templates.path)
    #expect(
      summaryFile["sha256"] as? String
        == String(try output(of: "sha256sum", [templates.appending(path: "summary.md.mustache").path]).prefix(64)))
    #expect(after["arguments"] as? [String] == ["samples", "--templates", templates.path])
  }

  @Test func theSameCommandTwiceGivesTheSameBytesWhereverTheReportsGo() throws {
    let first = try TestPaths.temporaryFolder()
    let second = try TestPaths.temporaryFolder()
    defer {
      for folder in [first, second] { try? FileManager.default.removeItem(at: folder) }
    }
    let options = ["--now", "2026-06-01T00:00:00Z", "--max", "medium=3", "--exit-zero"]
    #expect(
      try runCommand(["samples/runs", "samples/aws-doc-example.json", "--output-dir", first.path] + options).status == 0
    )
    // The inputs in the other order, into another folder.
    #expect(
      try runCommand(["samples/aws-doc-example.json", "samples/runs", "--output-dir", second.path] + options).status
        == 0)
    for name in OutputFormat.allCases.map(\.fileName) {
      #expect(
        try Data(contentsOf: first.appending(path: name)) == Data(contentsOf: second.appending(path: name)), "\(name)")
    }
    #expect(
      try provenance(in: first)["command"] as? String
        == "inspector-report samples/aws-doc-example.json samples/runs --now 2026-06-01T00:00:00Z --max Medium=3")
  }

  @Test func theRecordedCommandMakesTheSameReportAgain() throws {
    let first = try TestPaths.temporaryFolder()
    let again = try TestPaths.temporaryFolder()
    defer {
      for folder in [first, again] { try? FileManager.default.removeItem(at: folder) }
    }
    let result = try runCommand(
      [
        "samples", "--output-dir", first.path, "--max", "High=none", "--min-runs", "40", "--junit-identity", "template",
        "--exit-zero",
      ],
      environment: ["SOURCE_DATE_EPOCH": "1779235200"])
    #expect(result.status == 0, "\(result.standardError)")
    let recorded = try provenance(in: first)
    #expect(recorded["environment"] as? [String] == ["SOURCE_DATE_EPOCH=1779235200"])
    let arguments = try #require(recorded["arguments"] as? [String])
    #expect(arguments == ["samples", "--max", "High=none", "--min-runs", "40", "--junit-identity", "template"])
    let rerun = try runCommand(
      arguments + ["--output-dir", again.path], environment: ["SOURCE_DATE_EPOCH": "1779235200"])
    #expect(rerun.status == 1)
    for name in OutputFormat.allCases.map(\.fileName) {
      #expect(
        try Data(contentsOf: first.appending(path: name)) == Data(contentsOf: again.appending(path: name)), "\(name)")
    }
  }
}

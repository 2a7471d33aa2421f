import Foundation
import Testing

/// What the command adds under GitHub Actions: annotations on standard output and the step summary.
@Suite struct GitHubActionsTests {
  /// A snapshot of `count` completed runs, each with a High finding (so `findings-High` fails), run `k` on line
  /// `k + 2` at column 1; the first named by the JSON string `firstName`.
  private static func snapshot(runs count: Int, firstName: String = #""run 0""#) -> String {
    let template = "arn:aws:inspector:us-west-2:123456789012:target/0-t/template/0-a"
    let runs = (0..<count).map { number in
      let name = number == 0 ? firstName : "\"run \(number)\""
      let time = 1_458_680_170 + number
      return
        #"{"arn": "\#(template)/run/0-\#(number)", "name": \#(name), "assessmentTemplateArn": "\#(template)", "#
        + #""state": "COMPLETED", "createdAt": \#(time), "dataCollected": true, "#
        + #""stateChanges": [{"stateChangedAt": \#(time), "state": "COMPLETED"}], "findingCounts": {"High": 1}}"#
    }
    return "{\"assessmentRuns\": [\n" + runs.joined(separator: ",\n") + "\n]}\n"
  }

  @Test func underGitHubActionsAtMostFiftyAnnotationsPointAtTheRunsThenOneLineSaysHowManyMore() throws {
    let folder = try TestPaths.temporaryFolder()
    try Self.snapshot(runs: 60).write(
      to: folder.appending(path: "runs.json"), atomically: true, encoding: .utf8)
    let result = try runCommand(
      ["runs.json", "--output-dir", "out"], in: folder, environment: ["GITHUB_ACTIONS": "true"])
    #expect(result.status == 1)
    let lines = result.standardOutput.split(separator: "\n").map(String.init)
    let annotations = lines.filter { $0.hasPrefix("::") }
    #expect(annotations.count == 50)
    for (number, annotation) in annotations.enumerated() {
      #expect(
        annotation
          == "::error file=runs.json,line=\(number + 2),col=1,title=findings-High%3A run \(number)::"
          + "1 High finding, more than the maximum of 0")
    }
    #expect(lines.contains("10 more failed checks not annotated; see report.html"))
    #expect(!result.standardError.contains("::"))
  }

  @Test func outsideGitHubActionsNoWorkflowCommandIsPrintedAndNoStepSummaryWritten() throws {
    let folder = try TestPaths.temporaryFolder()
    try Self.snapshot(runs: 60).write(to: folder.appending(path: "runs.json"), atomically: true, encoding: .utf8)
    let summary = folder.appending(path: "step-summary.md")
    for environment in [[:], ["GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": summary.path]] {
      let result = try runCommand(["runs.json", "--output-dir", "out"], in: folder, environment: environment)
      #expect(result.status == 1)
      #expect(!result.standardOutput.contains("::") && !result.standardError.contains("::"))
    }
    #expect(!FileManager.default.fileExists(atPath: summary.path))
  }

  @Test func theSummaryIsAppendedToTheStepSummaryKeepingWhatWasThere() throws {
    let folder = try TestPaths.temporaryFolder()
    try Self.snapshot(runs: 3).write(to: folder.appending(path: "runs.json"), atomically: true, encoding: .utf8)
    let stepSummary = folder.appending(path: "step-summary.md")
    try Data("earlier step\n".utf8).write(to: stepSummary)
    let result = try runCommand(
      ["runs.json", "--output-dir", "out"], in: folder,
      environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": stepSummary.path])
    #expect(result.status == 1)
    let written = try Data(contentsOf: folder.appending(path: "out/summary.md"))
    #expect(try Data(contentsOf: stepSummary) == Data("earlier step\n".utf8) + written)
  }

  @Test func anUnwritableStepSummaryIsAWarningAndTheReportsStand() throws {
    let folder = try TestPaths.temporaryFolder()
    try Self.snapshot(runs: 1).write(to: folder.appending(path: "runs.json"), atomically: true, encoding: .utf8)
    let result = try runCommand(
      ["runs.json", "--output-dir", "out"], in: folder,
      environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": folder.appending(path: "no/such/file").path])
    #expect(result.status == 1)
    #expect(result.standardError.contains("warning: GITHUB_STEP_SUMMARY: cannot append to "))
    #expect(FileManager.default.fileExists(atPath: folder.appending(path: "out/summary.md").path))
  }

  @Test func aHostileRunNameCannotStartAnotherWorkflowCommand() throws {
    let folder = try TestPaths.temporaryFolder()
    let name = #""x\n::set-output name=a::b\r\n::stop-commands::t%0A::warning::y,z:w\u001B[2J""#
    try Self.snapshot(runs: 2, firstName: name).write(
      to: folder.appending(path: "runs.json"), atomically: true, encoding: .utf8)
    let result = try runCommand(
      ["runs.json", "--output-dir", "out"], in: folder, environment: ["GITHUB_ACTIONS": "true"])
    let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.filter { $0.hasPrefix("::") }.allSatisfy { $0.hasPrefix("::error ") })
    #expect(lines.filter { $0.hasPrefix("::") }.count == 2)
    #expect(!result.standardOutput.contains("\r") && !result.standardOutput.contains("\u{1B}"))
    let expected =
      "::error file=runs.json,line=2,col=1,title=findings-High%3A x\\u000A%3A%3Aset-output name=a%3A%3Ab"
      + "\\u000D\\u000A%3A%3Astop-commands%3A%3At%250A%3A%3Awarning%3A%3Ay%2Cz%3Aw\\u001B[2J::"
      + "1 High finding, more than the maximum of 0"
    #expect(lines.first.map(String.init) == expected)
  }

  @Test func summaryLimitKeepsSummaryWithinItAndASmallerOneIsAUsageError() throws {
    let folder = try TestPaths.temporaryFolder()
    try Self.snapshot(runs: 800).write(to: folder.appending(path: "runs.json"), atomically: true, encoding: .utf8)
    let result = try runCommand(["runs.json", "--output-dir", "out", "--summary-limit", "4096"], in: folder)
    #expect(result.status == 1)
    let summary = try Data(contentsOf: folder.appending(path: "out/summary.md"))
    #expect(summary.count <= 4096)
    let text = String(decoding: summary, as: UTF8.self)
    #expect(text.hasPrefix("## Inspector assessment report: ❌ failed\n"))
    let listed = text.split(separator: "\n").filter { $0.hasPrefix("- **") }.count
    #expect(text.hasSuffix("\n\n…and \(800 - listed) more runs with problems or in progress, see report.html\n"))
    let tooSmall = try runCommand(["runs.json", "--output-dir", "small", "--summary-limit", "4095"], in: folder)
    #expect(tooSmall.status == 2)
    #expect(tooSmall.standardError.hasPrefix("error: --summary-limit must be at least 4096 bytes\n"))
    #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "small").path))
  }

  @Test func anInputProblemKeptGoingPastPointsAtItsPlace() throws {
    let folder = try TestPaths.temporaryFolder()
    try Self.snapshot(runs: 1).write(to: folder.appending(path: "runs.json"), atomically: true, encoding: .utf8)
    try "{\"assessmentRuns\": [\n  {\"arn\": 1}\n]}\n".write(
      to: folder.appending(path: "bad.json"), atomically: true, encoding: .utf8)
    let result = try runCommand(
      ["runs.json", "bad.json", "--output-dir", "out", "--keep-going"], in: folder,
      environment: ["GITHUB_ACTIONS": "true"])
    #expect(result.status == 1)
    let annotations = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("::") }
    #expect(annotations.first?.hasPrefix("::error file=bad.json,line=2,col=") == true)
    #expect(annotations.first?.contains(",title=inputs::assessmentRuns[0]") == true)
    #expect(annotations.count == 2)
  }
}

import Foundation
import Testing

@testable import InspectorReport

/// `--policy FILE` through the built command: waivers until and past their expiry, flags over the file, errors.
@Suite struct PolicyCommandTests {
  static let input = "Tests/InspectorReportTests/Inputs/aws-doc-example-epoch.json"
  static let policies = "Tests/InspectorReportTests/Inputs/policy"
  static let waived =
    "waived until 2016-03-31 (CVE-2016-0001 accepted until the AMI is rebuilt (TICKET-42)): 14 High findings, more than the maximum of 0"
  static let expired =
    "14 High findings, more than the maximum of 0; waiver expired 2016-03-31 (CVE-2016-0001 accepted until the AMI is rebuilt (TICKET-42))"

  private struct Outputs {
    var result: CommandResult
    var junit: String
    var json: String
    var summary: String
    var html: String
    var xml: String
  }

  private func run(_ extra: [String], policy: String = "waiver.yml") throws -> Outputs {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runCommand(
      [Self.input, "--output-dir", folder.path, "--policy", "\(Self.policies)/\(policy)", "--validate"] + extra)
    func text(_ name: String) -> String {
      (try? String(contentsOf: folder.appending(path: name), encoding: .utf8)) ?? ""
    }
    return Outputs(
      result: result, junit: text("junit.xml"), json: text("report.json"), summary: text("summary.md"),
      html: text("report.html"), xml: text("report.xml"))
  }

  @Test func aWaiverSkipsTheFailureUntilItsExpiryAndPastItTheFailureReturnsSayingSo() throws {
    // The last microsecond of the expiry date: the High findings are waived, and nothing else fails.
    let inForce = try run(["--now", "2016-03-31T23:59:59.999999Z"])
    #expect(inForce.result.status == 0, "\(inForce.result.standardError)")
    #expect(inForce.result.standardOutput.hasPrefix("PASSED: 1 run"))
    #expect(inForce.result.standardOutput.contains("1 skipped"))
    #expect(inForce.junit.contains(#"<skipped message="\#(Self.waived)">"#))
    #expect(!inForce.junit.contains("<failure"))
    #expect(inForce.junit.contains(#"<property name="policy" value="\#(Self.policies)/waiver.yml"/>"#))
    #expect(inForce.json.contains(#""message":"\#(Self.waived)","name":"findings-High","passed":false,"skipped":true"#))
    #expect(inForce.json.contains(#""state":"applied""#) && inForce.json.contains(#""waivedChecks":1"#))
    #expect(inForce.json.contains(#""source": "\#(Self.policies)/waiver.yml""#))
    #expect(inForce.summary.contains("- run 0-MKkpXXPE: findings-High skipped: \(Self.waived)"))
    #expect(inForce.summary.contains("applied to 1 check"))
    #expect(inForce.html.contains("– findings-High skipped: \(Self.waived)"))
    #expect(inForce.html.contains("<strong>✓ Passed.</strong> The run passed every check; 1 failed check waived."))
    #expect(inForce.xml.contains(#"<check name="findings-High" status="skipped" message="\#(Self.waived)"/>"#))
    #expect(inForce.xml.contains(#"state="applied" waivedChecks="1""#))
    // The waiver of notifications that did not fail is unused, and said so.
    let unused =
      "\(Self.policies)/waiver.yml:13:5: warning: waivers[1]: notifications did not fail in run arn:aws:inspector:us-west-2:123456789012:target/0-0kFIPusq/template/0-4r1V2mAw/run/0-MKkpXXPE: the waiver waives nothing\n"
    #expect(inForce.result.standardError == unused)

    // The next day the failure is back, saying the waiver expired, and the command fails.
    let past = try run(["--now", "2016-04-01T00:00:00Z"])
    #expect(past.result.status == 1, "\(past.result.standardError)")
    #expect(past.junit.contains(#"<failure message="\#(Self.expired)" type="inspector.findings-High">"#))
    #expect(past.json.contains(#""message":"\#(Self.expired)","name":"findings-High","passed":false,"skipped":false"#))
    #expect(past.json.contains(#""state":"expired""#) && !past.json.contains(#""state":"applied""#))
    #expect(
      past.summary.contains(
        "- **Run 1 for ExampleAssessmentTemplate** (COMPLETED, 0-MKkpXXPE): findings-High: \(Self.expired);"))
    #expect(past.summary.contains("until 2016-03-31: expired 2016-03-31"))
    #expect(past.xml.contains(#"state="expired""#))
    #expect(past.result.standardError == unused, "an expired waiver is in the reports, not a warning")
  }

  @Test func aJSONPolicyFileWorksAsTheYAMLOne() throws {
    let outputs = try run(["--now", "2016-03-30T00:00:00Z"], policy: "waiver.json")
    #expect(outputs.result.status == 0, "\(outputs.result.standardError)")
    // The reason's control characters, markup and line break stay inert in every report.
    #expect(
      outputs.junit.contains(
        "waived until 2016-03-31 (\u{FFFD}[31mred\u{FFFD}[0m &lt;b&gt;&amp;amp;&lt;/b&gt; second line)"))
    #expect(outputs.json.contains(#"\u001b[31mred\u001b[0m <b>&amp;</b> second line"#))
    #expect(outputs.html.contains(#"\u001B[31mred\u001B[0m &lt;b&gt;&amp;amp;&lt;/b&gt;"#))
    #expect(outputs.summary.contains(#"\u001B\[31mred\u001B\[0m \<b\>\&amp;\</b\> second line"#))
    #expect(!outputs.html.contains("\u{1B}") && !outputs.summary.contains("\u{1B}"))
  }

  @Test func theCommandLineOverridesTheFile() throws {
    // The file's override allows the run 2 Medium findings and the file requires 1 run; the flags say otherwise.
    let outputs = try run(["--now", "2016-03-30T00:00:00Z", "--max", "medium=1", "--min-runs", "2"])
    #expect(outputs.result.status == 1)
    #expect(
      outputs.json.contains(#""message":"2 Medium findings, more than the maximum of 1","name":"findings-Medium""#))
    #expect(outputs.json.contains(#""minimumRuns": 2"#))
    #expect(outputs.json.contains("1 assessment run in the inputs; at least 2 required"))
    // Without them, the override's maximum holds.
    let file = try run(["--now", "2016-03-30T00:00:00Z"])
    #expect(file.json.contains(#""message":"2 Medium findings, maximum 2","name":"findings-Medium""#))
  }

  @Test func aPolicyFileWithProblemsIsAnErrorAndNothingIsWritten() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appending(path: "out")
    let result = try runCommand([
      Self.input, "--output-dir", output.path, "--policy", "\(Self.policies)/duplicate.yml",
    ])
    #expect(result.status == 2)
    #expect(
      result.standardError
        == "\(Self.policies)/duplicate.yml:6:5: error: waivers[0]: duplicate key 'reason'\n"
    )
    #expect(!FileManager.default.fileExists(atPath: output.path))
    // Every problem at once, by place in the file.
    let many = try runCommand([
      Self.input, "--output-dir", output.path, "--policy", "\(Self.policies)/errors.yml",
    ])
    let lines = many.standardError.split(separator: "\n").map(String.init)
    #expect(many.status == 2 && lines.count == 14)
    #expect(lines.first == "\(Self.policies)/errors.yml:1:19: error: maxima.high: High is given twice")
    #expect(
      lines.contains(
        "\(Self.policies)/errors.yml:8:1: error: unknown key 'waviers'; expected maxima, minimumRuns, templates, waivers"
      ))
    #expect(
      lines.last
        == "\(Self.policies)/errors.yml:22:5: error: waivers[2]: unknown key 'until'; expected check, templateArn, runArn, reason, expires"
    )
    #expect(!FileManager.default.fileExists(atPath: output.path))
    let missing = try runCommand([Self.input, "--output-dir", output.path, "--policy", "no-such.yml"])
    #expect(missing.status == 2)
    #expect(missing.standardError == "no-such.yml: error: cannot read the file: No such file or directory\n")
  }
}

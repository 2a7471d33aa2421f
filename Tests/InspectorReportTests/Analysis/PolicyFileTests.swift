import Testing

@testable import InspectorReport

/// The policy file (`--policy`): what it sets, each problem in it at its place, overrides and waivers.
@Suite struct PolicyFileTests {
  private static let template = "arn:aws:inspector:us-west-2:1:target/0-t/template/0-a"

  private static func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  private static func parse(_ text: String) throws(PolicyFileError) -> Policy {
    try Policy.parse(Array(text.utf8), name: "policy.yml")
  }

  /// Every problem the file `text` has, as the command prints them.
  private static func problems(_ text: String) -> [String] {
    do {
      _ = try parse(text)
      return []
    } catch {
      return error.problems.map(\.description)
    }
  }

  private static func run(
    _ arn: String, name: String = "run", template: String = template, high: Int = 0, medium: Int = 0
  ) -> AssessmentRun {
    AssessmentRun(
      arn: arn, name: name, templateArn: template, state: .completed, dataCollected: true,
      stateChanges: [StateChange(at: at(0), state: .created), StateChange(at: at(10), state: .completed)],
      findingCounts: [SeverityCount(severity: .high, count: high), SeverityCount(severity: .medium, count: medium)])
  }

  private static func report(_ runs: [AssessmentRun], policy: Policy, now: Timestamp?) -> Report {
    let input = LoadedInput(
      name: "a.json", snapshot: Snapshot(runs: runs, failedItems: []), byteCount: 2,
      sha256: String(repeating: "0", count: 64))
    return Report(inputs: [input], policy: policy, now: now.map { ($0, .option) })
  }

  private static func check(_ name: String, of run: AnalyzedRun) -> CheckResult? {
    run.checks.first { $0.name == name }
  }

  static let yaml = """
    # Comments are fine.
    maxima: {High: 0, medium: 10, Critical: none}
    minimumRuns: 2
    templates:
      - templateArn: \(template)
        maxima: {High: 2}
      - runName: "Nightly *"
        maxima:
          Medium: none
    waivers:
      - check: findings-High
        runArn: \(template)/run/0-r
        reason: CVE-2026-1234 accepted until the AMI is rebuilt (TICKET-42)
        expires: 2026-12-31
      - check: notifications
        templateArn: \(template)
        reason: "the topic is new"
        expires: 2026-12-31T12:00:00Z
    """

  static let json = """
    {"maxima": {"High": 0, "medium": 10, "Critical": null}, "minimumRuns": 2,
     "templates": [{"templateArn": "\(template)", "maxima": {"High": 2}},
                   {"runName": "Nightly *", "maxima": {"Medium": "none"}}],
     "waivers": [
       {"check": "findings-High", "runArn": "\(template)/run/0-r",
        "reason": "CVE-2026-1234 accepted until the AMI is rebuilt (TICKET-42)", "expires": "2026-12-31"},
       {"check": "notifications", "templateArn": "\(template)", "reason": "the topic is new",
        "expires": 1798718400}]}
    """

  @Test(arguments: [yaml, json])
  func aFileSetsMaximaRunsOverridesAndWaivers(text: String) throws {
    let policy = try Self.parse(text)
    #expect(policy.source == "policy.yml")
    #expect(policy.maxima == [.high: 0, .medium: 10])
    #expect(policy.minimumRuns == 2)
    #expect(
      policy.overrides == [
        PolicyOverride(match: .templateArn(Self.template), maxima: [.high: 2]),
        PolicyOverride(match: .runName(RunNamePattern("Nightly *")), maxima: [.medium: Int?.none]),
      ])
    #expect(policy.waivers.map(\.check) == [.findings(.high), .notifications])
    #expect(policy.waivers.map(\.subject) == [.runArn(Self.template + "/run/0-r"), .templateArn(Self.template)])
    #expect(policy.waivers.first?.reason == "CVE-2026-1234 accepted until the AMI is rebuilt (TICKET-42)")
    // A date lasts to its end, in UTC; a timestamp is the instant itself.
    #expect(policy.waivers.map(\.expiry) == [NowOption.parse("2027-01-01T00:00:00Z"), Self.at(1_798_718_400)])
    #expect(policy.waivers.map(\.expiresText) == ["2026-12-31", "2026-12-31T12:00:00Z"])
    #expect(policy.waivers.first?.location?.description == "policy.yml:\(text == Self.yaml ? "11:5" : "5:4")")
  }

  @Test(arguments: [
    (
      "maxima: &m {High: 1}\ntemplates:\n  - runName: a\n    maxima: *m\n",
      ["policy.yml:1:9: error: anchors and aliases (&name, *name) are not allowed in a policy file"]
    ),
    ("maxima: {High: 1}\nminimumRuns: \u{1B}1\n", ["policy.yml:2:14: error: control characters are not allowed"]),
    ("waviers: []", ["policy.yml:1:1: error: unknown key 'waviers'; expected maxima, minimumRuns, templates, waivers"]),
    (
      "maxima: {High: lots}", ["policy.yml:1:16: error: maxima.High: expected a whole number ≥ 0 or none, found 'lots'"]
    ),
    ("maxima: {High: 1, high: 2}", ["policy.yml:1:19: error: maxima.high: High is given twice"]),
    ("minimumRuns: [1]", ["policy.yml:1:14: error: minimumRuns: expected a single value, not a list"]),
    ("templates: {}", ["policy.yml:1:12: error: templates: expected a list"]),
    (
      "",
      ["policy.yml:1:1: error: the file holds nothing; expected a mapping of maxima, minimumRuns, templates, waivers"]
    ),
    ("maxima: [", ["policy.yml:2:1: error: did not find expected node content (while parsing a flow node)"]),
    (
      "waivers:\n  - check: run-state\n    runArn: a\n    reason: r\n    expires: 2026-02-30\n",
      [
        "policy.yml:5:14: error: waivers[0].expires: '2026-02-30' is not a date (2026-12-31, the waiver applies to its end, UTC) or a timestamp (2026-12-31T12:00:00Z)"
      ]
    ),
    (
      "waivers:\n  - check: run-state\n    runArn: a\n    templateArn: t\n    reason: r\n    expires: 2026-12-31\n",
      ["policy.yml:4:5: error: waivers[0]: give 'templateArn' or 'runArn', not both"]
    ),
    (
      "waivers:\n  - check: run-state\n    reason: r\n    expires: 2026-12-31\n",
      ["policy.yml:2:5: error: waivers[0]: 'templateArn' or 'runArn' is missing"]
    ),
    (
      "waivers:\n  - check: runs\n    runArn: a\n    chek: x\n",
      [
        "policy.yml:2:5: error: waivers[0]: 'reason' is missing",
        "policy.yml:2:5: error: waivers[0]: 'expires' is missing",
        "policy.yml:2:12: error: waivers[0].check: 'runs' is a check of the report, not of a run; a waiver is for run-state, data-collected, findings-SEVERITY (findings-High), notifications",
        "policy.yml:4:5: error: waivers[0]: unknown key 'chek'; expected check, templateArn, runArn, reason, expires",
      ]
    ),
    (
      "templates:\n  - runName: a*\n    maxima: {Low: 1}\n  - runName: b\n",
      ["policy.yml:4:5: error: templates[1]: 'maxima' is missing"]
    ),
    (
      "waivers:\n  - check: run-state\n    runArn: a\n    reason: r\n    reason: s\n    expires: 2026-12-31\n",
      ["policy.yml:5:5: error: waivers[0]: duplicate key 'reason'"]
    ),
    (
      #"{"minimumRuns": 1, "maxima": {}, "minimumRuns": 2}"#,
      ["policy.yml:1:34: error: duplicate key 'minimumRuns'"]
    ),
  ])
  func eachProblemIsAnErrorAtItsPlace(text: String, expected: [String]) {
    #expect(Self.problems(text) == expected)
  }

  @Test func problemsInTheFileShowItsControlCharactersVisibly() {
    #expect(
      Self.problems("\"\\e[31m\": 1") == [
        #"policy.yml:1:1: error: unknown key '\u001B[31m'; expected maxima, minimumRuns, templates, waivers"#
      ])
  }

  @Test(arguments: [
    ("Nightly *", "Nightly build", true), ("Nightly *", "Nightly ", true), ("Nightly *", "nightly build", false),
    ("Run ?", "Run 1", true), ("Run ?", "Run 12", false), ("*a*b", "xxaxxb", true), ("*a*b", "xxaxxbx", false),
    ("a?c", "aéc", true), ("", "", true), ("*", "", true), ("a[1]", "a[1]", true),
  ])
  func runNamePatternsKnowStarAndQuestionMarkOnly(pattern: String, name: String, matches: Bool) {
    #expect(RunNamePattern(pattern).matches(name) == matches)
  }

  @Test func aRunTakesTheMaximaOfTheFirstOverrideThatMatchesIt() throws {
    var policy = Policy.standard
    policy.maxima[.medium] = 0
    policy.overrides = [
      PolicyOverride(match: .runName(RunNamePattern("Nightly *")), maxima: [.high: 5]),
      PolicyOverride(match: .templateArn(Self.template), maxima: [.high: 2, .medium: Int?.none]),
      PolicyOverride(match: .runName(RunNamePattern("*")), maxima: [.high: 100]),
    ]
    let runs = [
      Self.run("arn:1", name: "Nightly build", high: 3, medium: 1),  // the first: High ≤ 5, Medium ≤ 0
      Self.run("arn:2", name: "Weekly", high: 3, medium: 1),  // the template's: High ≤ 2, Medium unlimited
      Self.run("arn:3", name: "Other", template: "arn:t2", high: 3),  // the last: High ≤ 100
    ]
    let report = Self.report(runs, policy: policy, now: Self.at(20))
    let byArn = Dictionary(uniqueKeysWithValues: report.runs.map { ($0.run.arn, $0) })
    let statuses: [[CheckResult.Status?]] = ["arn:1", "arn:2", "arn:3"].map { arn in
      ["findings-High", "findings-Medium"].map { name in byArn[arn].flatMap { Self.check(name, of: $0)?.status } }
    }
    #expect(statuses == [[.passed, .failed], [.failed, .passed], [.passed, .passed]])
    #expect(
      byArn["arn:2"].flatMap { Self.check("findings-High", of: $0)?.message }
        == "3 High findings, more than the maximum of 2")
    let view = ReportView(report)
    #expect(
      view.policyOverrides.map(\.text) == [
        "High ≤ 5; Medium ≤ 0; no maximum for Low, Informational, Undefined",
        "High ≤ 2; no maximum for Medium, Low, Informational, Undefined",
        "High ≤ 100; Medium ≤ 0; no maximum for Low, Informational, Undefined",
      ])
  }

  @Test func theCommandLinesMaximaOverrideTheFileOverridesToo() throws {
    var policy = try Self.parse(Self.yaml)
    try policy.apply("high=7")
    #expect(policy.maxima[.high] == 7)
    #expect(policy.overrides.map(\.maxima) == [[:], [.medium: Int?.none]])
  }

  private static func waived(until expires: String) throws -> Policy {
    try parse(
      """
      waivers:
        - check: findings-High
          templateArn: \(template)
          reason: "CVE-2026-1234 \\e[31m<b>&amp;</b>\\nTICKET-42"
          expires: \(expires)
      """)
  }

  @Test func aWaiverSkipsTheFailureUntilItExpiresAndThenTheFailureSaysSo() throws {
    let policy = try Self.waived(until: "1970-01-01")
    let runs = [Self.run("arn:1", high: 3), Self.run("arn:2", template: "arn:other", high: 3)]
    let reason = "CVE-2026-1234 \u{1B}[31m<b>&amp;</b> TICKET-42"

    // To the end of the day, the failure is skipped, and the run and report are not a problem for it.
    let inForce = Self.report([runs[0]], policy: policy, now: Timestamp(microseconds: 86_400_000_000 - 1))
    let skipped = try #require(inForce.runs.first.flatMap { Self.check("findings-High", of: $0) })
    #expect(skipped.status == .skipped)
    #expect(skipped.message == "waived until 1970-01-01 (\(reason)): 3 High findings, more than the maximum of 0")
    #expect(!inForce.hasProblem && inForce.totals.checks.skipped == 1)
    #expect(inForce.waivers.map(\.state) == [.applied] && inForce.waivers.first?.waivedChecks == 1)
    #expect(inForce.warnings.isEmpty)

    // From the next day on, the failure is back, saying the waiver expired.
    let expired = Self.report([runs[0]], policy: policy, now: Self.at(86_400))
    let failed = try #require(expired.runs.first.flatMap { Self.check("findings-High", of: $0) })
    #expect(failed.status == .failed)
    #expect(failed.message == "3 High findings, more than the maximum of 0; waiver expired 1970-01-01 (\(reason))")
    #expect(expired.hasProblem && expired.waivers.map(\.state) == [.expired])

    // Without any *now*, nothing says the waiver is still in force: the failure stays.
    let unknown = Self.report([runs[0]], policy: policy, now: nil)
    #expect(unknown.nowSource == .none)
    #expect(unknown.runs.first.flatMap { Self.check("findings-High", of: $0)?.status } == .failed)
    #expect(
      unknown.runs.first.flatMap { Self.check("findings-High", of: $0)?.message }
        == "3 High findings, more than the maximum of 0; waiver not applied, no time is known to judge its expiry 1970-01-01 by (\(reason))"
    )

    // A run of another template is not waived; a waiver that waived nothing is a warning.
    let other = Self.report([runs[1]], policy: policy, now: Self.at(0))
    #expect(other.runs.first.flatMap { Self.check("findings-High", of: $0)?.status } == .failed)
    #expect(other.waivers.map(\.state) == [.unused])
    #expect(
      other.warnings.map(\.description) == [
        "policy.yml:2:5: warning: waivers[0]: findings-High did not fail in the runs of template \(Self.template): the waiver waives nothing"
      ])
  }

  @Test func aWaiverUntilATimestampEndsAtThatInstant() throws {
    let policy = try Self.waived(until: "1970-01-01T00:01:00Z")
    let run = Self.run("arn:1", high: 1)
    #expect(Self.report([run], policy: policy, now: Self.at(59)).runs.first?.hasProblem == false)
    #expect(Self.report([run], policy: policy, now: Self.at(60)).runs.first?.hasProblem == true)
  }
}

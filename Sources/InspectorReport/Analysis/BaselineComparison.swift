/// Each assessment template's newest run now against its newest run in a baseline (`--baseline`), and the
/// `baseline` check of each template, which fails when a severity's findings grew by more than
/// `--max-increase` allows.
public struct BaselineComparison: Sendable {
  /// The baseline's file name.
  public var source: RawPath
  /// The SHA-256 of the baseline file.
  public var sourceSHA256: String
  /// The baseline's *now*, as it wrote it.
  public var baselineNow: String?
  /// The most each severity's findings may grow by; a severity without one may grow by any number.
  public var maximumIncreases: [Severity: Int]
  /// Every template either side holds, by ARN.
  public var templates: [TemplateChange]

  /// Compares the newest run of each template in `templates` (now) with `baseline`'s.
  init(templates: [String: TemplateTotals], baseline: Baseline, maximumIncreases: [Severity: Int]) {
    source = baseline.source
    sourceSHA256 = baseline.sha256
    baselineNow = baseline.now
    self.maximumIncreases = maximumIncreases
    let arns = Set(templates.keys).union(baseline.newestRuns.keys).sorted()
    self.templates = arns.map { arn in
      TemplateChange(
        arn: arn, now: templates[arn]?.latest, then: baseline.newestRuns[arn], maximumIncreases: maximumIncreases)
    }
  }

  /// The `baseline` check of every template, by template ARN.
  public var checks: [CheckResult] { templates.map(\.check) }
}

/// One template's newest run now against its newest run in the baseline.
public struct TemplateChange: Sendable {
  /// Which sides hold the template.
  public enum Presence: String, Sendable, Hashable {
    /// Both: the newest runs are compared.
    case compared
    /// Only the inputs: nothing to compare with.
    case appeared
    /// Only the baseline: nothing to compare.
    case disappeared
  }

  /// The template's ARN.
  public var arn: String
  /// Which sides hold it.
  public var presence: Presence
  /// The ARN of its newest run now, `nil` when it disappeared.
  public var runNow: String?
  /// The ARN of its newest run in the baseline, `nil` when it appeared.
  public var runThen: String?
  /// Every severity either run holds, documented ones first, with both counts; empty unless compared.
  public var findings: [FindingChange]
  /// The checks that failed or erred now and passed or were skipped then, in the order the run lists them.
  public var newlyFailing: [String]
  /// The checks that failed or erred then and pass or are skipped now.
  public var newlyPassing: [String]
  /// The template's `baseline` check: passed or failed when compared, skipped when only one side holds it.
  public var check: CheckResult

  init(arn: String, now: AnalyzedRun?, then: BaselineRun?, maximumIncreases: [Severity: Int]) {
    self.arn = arn
    runNow = now?.run.arn
    runThen = then?.arn
    guard let now, let then else {
      presence = now == nil ? .disappeared : .appeared
      findings = []
      newlyFailing = []
      newlyPassing = []
      check = Self.unmatchedCheck(arn: arn, presence: presence, run: runNow ?? runThen ?? "")
      return
    }
    presence = .compared
    var severities = now.findings.entries.map(\.severity)
    for entry in then.findings.entries where !severities.contains(entry.severity) { severities.append(entry.severity) }
    let documented = severities.filter { $0.documentedIndex != nil }
    let undocumented = severities.filter { $0.documentedIndex == nil }.sorted { $0.name < $1.name }
    findings = (documented + undocumented).map {
      FindingChange(severity: $0, then: then.findings[$0], now: now.findings[$0])
    }
    var failing: [String] = []
    var passing: [String] = []
    for result in now.checks {
      guard let before = then.checks[result.name] else { continue }
      let wasProblem = before == .failed || before == .error
      if result.isProblem && !wasProblem { failing.append(result.name) }
      if !result.isProblem && wasProblem { passing.append(result.name) }
    }
    newlyFailing = failing
    newlyPassing = passing
    check = Self.comparedCheck(
      arn: arn, findings: findings, newlyFailing: failing, newlyPassing: passing, runs: (now.run.arn, then.arn),
      maximumIncreases: maximumIncreases)
  }

  /// Whether anything differs: a finding count, a check's outcome, or which side holds the template.
  public var changed: Bool {
    presence != .compared || findings.contains { $0.change != 0 } || !newlyFailing.isEmpty || !newlyPassing.isEmpty
  }

  /// Failed when some severity grew by more than its maximum increase; the message says by how much, in words.
  private static func comparedCheck(
    arn: String, findings: [FindingChange], newlyFailing: [String], newlyPassing: [String],
    runs: (now: String, then: String), maximumIncreases: [Severity: Int]
  ) -> CheckResult {
    let exceeded = findings.compactMap { change in
      maximumIncreases[change.severity].flatMap { limit in
        change.change > limit ? "\(change.text), more than the allowed increase of \(grouped(limit))" : nil
      }
    }
    let changes = findings.filter { $0.change != 0 }.map(\.text)
    var details = ["template: \(arn)", "run now: \(runs.now)", "run in the baseline: \(runs.then)"]
    if !newlyFailing.isEmpty { details.append("newly failing: \(newlyFailing.joined(separator: ", "))") }
    if !newlyPassing.isEmpty { details.append("newly passing: \(newlyPassing.joined(separator: ", "))") }
    guard exceeded.isEmpty else {
      return CheckResult(.baseline, .failed, exceeded.joined(separator: "; "), details: details, subject: arn)
    }
    let message = changes.isEmpty ? "findings unchanged" : changes.joined(separator: "; ")
    return CheckResult(.baseline, .passed, message, details: details, subject: arn)
  }

  private static func unmatchedCheck(arn: String, presence: Presence, run: String) -> CheckResult {
    let message =
      presence == .appeared
      ? "not in the baseline: nothing to compare with" : "not in the inputs: nothing to compare"
    let side = presence == .appeared ? "run now" : "run in the baseline"
    return CheckResult(.baseline, .skipped, message, details: ["template: \(arn)", "\(side): \(run)"], subject: arn)
  }
}

/// One severity's findings in the baseline's newest run of a template and in its newest run now.
public struct FindingChange: Sendable, Hashable {
  /// The severity.
  public var severity: Severity
  /// The count in the baseline.
  public var then: Int
  /// The count now.
  public var now: Int

  /// How much the count grew, negative when it fell.
  public var change: Int { now - then }

  /// `High +6 (2 → 8)`.
  public var text: String {
    "\(severity.name) \(signed(change)) (\(grouped(then)) → \(grouped(now)))"
  }
}

/// `+6`, `-2`, `0`, `+1,200`: a change, with its sign unless it is none.
func signed(_ change: Int) -> String {
  change > 0 ? "+" + grouped(change) : grouped(change)
}

extension BaselineComparison {
  /// Applies a `--max-increase` setting to `increases`: `SEVERITY=N`, severities as `--max` reads them, `none` to
  /// lift a limit.
  /// - Throws: `PolicyError` naming what is wrong with `setting`.
  public static func apply(_ setting: String, to increases: inout [Severity: Int]) throws(PolicyError) {
    let (severity, limit) = try Policy.limit(in: setting, option: "--max-increase")
    increases[severity] = limit
  }
}

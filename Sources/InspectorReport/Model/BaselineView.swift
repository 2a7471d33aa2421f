/// The comparison with a baseline (`--baseline`) as every output shows it.
public struct BaselineView: Sendable {
  /// The baseline's file name.
  public var source: String
  /// The SHA-256 of the baseline file.
  public var sourceSHA256: String
  /// The baseline's *now*, as it wrote it.
  public var now: String?
  /// The most each severity's findings may grow by, documented severities first.
  public var maximumIncreases: [(severity: Severity, max: Int)]
  /// Those maxima in words: `High +0 at most, Medium +10 at most`, or `no maximum increase`.
  public var maximumIncreasesText: String
  /// Every template either side holds, by ARN.
  public var templates: [BaselineTemplateView]
  /// The ARNs of the templates only the inputs hold.
  public var appeared: [String]
  /// The ARNs of the templates only the baseline holds.
  public var disappeared: [String]
  /// How the `baseline` checks came out.
  public var checkCounts: CheckCounts
  /// Whether any template is listed where only changes are (`BaselineTemplateView.listed`).
  public var hasListed: Bool
  /// The `id` of JUnit's `baseline` suite, after the failed-items suite.
  public var junitSuite: Int
  /// The testcases of that suite: one per template, or one passing placeholder when neither side has a template,
  /// since Jenkins drops a suite without testcases.
  public var junitTests: Int

  init(_ comparison: BaselineComparison, junitSuite: Int) {
    source = comparison.source.description
    sourceSHA256 = comparison.sourceSHA256
    now = comparison.baselineNow
    maximumIncreases = comparison.maximumIncreases.map { (severity: $0.key, max: $0.value) }.sorted {
      $0.severity.precedes($1.severity)
    }
    maximumIncreasesText =
      maximumIncreases.isEmpty
      ? "no maximum increase"
      : maximumIncreases.map { "\($0.severity.name) by at most \(grouped($0.max))" }.joined(separator: ", ")
    var taken = Set<String>()
    templates = comparison.templates.map { change in
      // Template IDs are only the last part of an ARN, so two templates in two accounts can share one; the later
      // by ARN is numbered, as JUnit suites of runs are (`RunViews`).
      let name = JUnitNames.templateSuite(id: ARN(change.arn).resourceID)
      var unique = name
      var number = 2
      while !taken.insert(unique).inserted {
        unique = "\(name) #\(number)"
        number += 1
      }
      return BaselineTemplateView(change, junitName: unique)
    }
    appeared = comparison.templates.filter { $0.presence == .appeared }.map(\.arn)
    disappeared = comparison.templates.filter { $0.presence == .disappeared }.map(\.arn)
    var counts = CheckCounts()
    counts.add(comparison.checks)
    checkCounts = counts
    hasListed = templates.contains(where: \.listed)
    self.junitSuite = junitSuite
    junitTests = max(1, templates.count)
  }
}

/// One template's newest run now against its newest run in the baseline.
public struct BaselineTemplateView: Sendable {
  /// The comparison.
  public var change: TemplateChange
  /// The last part of the template's ARN.
  public var id: String
  /// The template's `baseline` check.
  public var check: CheckView
  /// What JUnit names the check after: `template 0-4r1V2mAw`, unique among the templates.
  public var junitName: String
  /// Whether the summary lists the template: something changed, or its check failed.
  public var listed: Bool
  /// The template in one line: `template 0-4r1V2mAw: High +6 (2 → 8); newly failing: findings-High`.
  public var summaryText: String

  init(_ change: TemplateChange, junitName: String) {
    self.change = change
    id = ARN(change.arn).resourceID
    check = CheckView(change.check, time: .zero)
    self.junitName = junitName
    listed = change.changed || change.check.isProblem
    var parts: [String]
    switch change.presence {
    case .compared:
      let changes = change.findings.filter { $0.change != 0 }.map(\.text)
      parts = [changes.isEmpty ? "findings unchanged" : changes.joined(separator: ", ")]
      if !change.newlyFailing.isEmpty { parts.append("newly failing: \(change.newlyFailing.joined(separator: ", "))") }
      if !change.newlyPassing.isEmpty { parts.append("newly passing: \(change.newlyPassing.joined(separator: ", "))") }
    case .appeared: parts = ["not in the baseline"]
    case .disappeared: parts = ["not in the inputs"]
    }
    summaryText = "\(junitName): \(parts.joined(separator: "; "))".oneLine.truncated(
      toUTF8Bytes: CheckView.messageLimit)
  }
}

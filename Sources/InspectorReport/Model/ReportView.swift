/// The report model: what every template renders and `report.json` holds, field for field.
///
/// Everything an output says is decided here or in the analysis, once: the verdict, the totals (failed items
/// among the checks), each check's time, the caps JUnit consumers set. The encoding into the templates' value
/// tree (`ReportEncoding`) only names these fields and adds what Mustache cannot compute itself: a boolean
/// beside each enumerated value, ordered lists beside maps, and durations both as seconds and as text.
public struct ReportView: Sendable {
  /// The tool that made the report.
  public var tool = ToolView()
  /// The instant in-progress runs are measured to.
  public var now: Timestamp?
  /// Where `now` came from.
  public var nowSource: NowSource
  /// Whether every check passed.
  public var passed: Bool
  /// Why the report passed or failed, in words: which checks failed in how many runs, the failed items, the
  /// report's own checks that failed.
  public var verdictText: String
  /// Whether the HTML page shows full details only for runs with a problem, and the other runs as compact rows:
  /// past `ReportView.detailedRunLimit` runs, so that large reports stay small enough to attach.
  public var detailsOnlyForRunsWithProblems: Bool
  /// Which runs the HTML page shows in full, in words, when not all: `the 500 newest runs with a problem`.
  public var detailedRunsText: String
  /// The maximum of each documented severity, `nil` where unlimited, then of each undocumented one given one.
  public var maxima: [(severity: Severity, max: Int?)]
  /// The fewest runs the report must hold (`--min-runs`).
  public var minimumRuns: Int
  /// The policy in words: `High ≤ 0; no maximum for Medium, Low, Informational, Undefined; at least 1 run`.
  public var policyText: String
  /// The policy file's name as given (`--policy`); `nil` without one.
  public var policySource: String?
  /// The SHA-256 of the policy file, when there is one.
  public var policySourceSHA256: String?
  /// The policy file's overrides, in its order, each with the maxima of the runs it matches.
  public var policyOverrides: [PolicyOverrideView]
  /// The policy file's waivers, in its order, and what became of each.
  public var waivers: [WaiverOutcome]
  /// What JUnit names its testcases after.
  public var junitIdentity: JUnitIdentity
  /// The checks of the report as a whole (`runs`, and an `inputs` per input problem), which JUnit shows in a
  /// `report` suite.
  public var checks: [ReportCheckView]
  /// How the report's own checks came out.
  public var checkCounts: CheckCounts
  /// The inputs, sorted by name.
  public var inputs: [InputSummary]
  /// The runs, ordered by creation time and ARN, each made when asked for.
  public var runs: RunViews
  /// The assessment templates, by ARN.
  public var templates: [TemplateView]
  /// The failed items, by ARN.
  public var failedItems: [FailedItemView]
  /// What the report adds up to.
  public var totals: TotalsView
  /// What the JUnit report needs beyond the runs.
  public var junit: ReportJUnitView
  /// How the report was made, beyond its inputs and *now*; `nil` for a model made without rendering it.
  public var provenance: Provenance?
  /// The comparison with a baseline, `nil` without `--baseline`.
  public var baseline: BaselineView?

  /// The model of `report`, whose JUnit suites and testcases are named after `junitIdentity`, made as
  /// `provenance` says.
  public init(_ report: Report, junitIdentity: JUnitIdentity = .run, provenance: Provenance? = nil) {
    self.provenance = provenance
    now = report.now
    nowSource = report.nowSource
    passed = !report.hasProblem
    verdictText = Self.verdictText(report)
    detailsOnlyForRunsWithProblems = report.runs.count > Self.detailedRunLimit
    detailedRunsText =
      report.totals.runsWithProblems > Self.detailedRunLimit
      ? "the \(grouped(Self.detailedRunLimit)) newest runs with a problem" : "the runs with a problem"
    maxima = (Severity.documented + report.policy.undocumentedMaxima).map {
      (severity: $0, max: report.policy.maxima[$0])
    }
    minimumRuns = report.policy.minimumRuns
    policyText = Self.policyText(maxima: maxima, minimumRuns: minimumRuns)
    policySource = report.policy.source
    policySourceSHA256 = report.policy.sourceSHA256
    policyOverrides = report.policy.overrides.map { PolicyOverrideView($0, policy: report.policy) }
    waivers = report.waivers
    self.junitIdentity = junitIdentity
    checks = report.checks.map { ReportCheckView(check: CheckView($0, time: .zero), subject: $0.subject) }
    var counts = CheckCounts()
    counts.add(report.checks)
    checkCounts = counts
    inputs = report.inputs
    runs = RunViews(
      report, junitIdentity: junitIdentity,
      detailsOnlyForProblems: detailsOnlyForRunsWithProblems ? Self.detailedRunLimit : nil)
    var findingsByTemplate: [String: [FindingCounts]] = [:]
    for run in report.runs { findingsByTemplate[run.run.templateArn, default: []].append(run.findings) }
    templates = report.totals.templates.sorted { $0.key < $1.key }.map {
      let findings = findingsByTemplate[$0.key] ?? []
      return TemplateView(arn: $0.key, totals: $0.value, trend: findings.count > 1 ? TrendView(findings) : nil)
    }
    failedItems = report.failedItems.map(FailedItemView.init)
    totals = TotalsView(report)
    junit = ReportJUnitView(
      reportSuite: report.runs.count, failedItemsSuite: report.runs.count + 1,
      failedItemsTests: max(1, report.failedItems.count), timestamp: report.now ?? ReportJUnitView.noTime)
    baseline = report.baseline.map { BaselineView($0, junitSuite: junit.failedItemsSuite + 1) }
  }

  /// The most runs the HTML page shows in full. Past it, only runs with a problem have details, the newest this
  /// many of them: more than a reader opens one by one, and few enough that building and rendering their details
  /// costs large reports little. Measured on generated corpora, where half the runs have a problem: a run's row
  /// takes about 0.4 KB and its details 1 KB, so 1,000 runs in full would pass the 2 MB a ticket takes.
  public static let detailedRunLimit = 500

  /// The maxima in words, `High ≤ 0; no maximum for …`, and the runs required, unless `minimumRuns` is `nil`.
  static func policyText(maxima: [(severity: Severity, max: Int?)], minimumRuns: Int?) -> String {
    var parts = maxima.compactMap { entry in entry.max.map { "\(entry.severity.name) ≤ \(grouped($0))" } }
    let unlimited = maxima.filter { $0.max == nil }.map(\.severity.name)
    if !unlimited.isEmpty { parts.append("no maximum for \(unlimited.joined(separator: ", "))") }
    if let minimumRuns {
      parts.append(minimumRuns == 0 ? "no run required" : "at least \(counted(minimumRuns, "run"))")
    }
    return parts.joined(separator: "; ")
  }

  /// `20 of 36 runs have problems: run-state failed in 8 runs, findings-High in 12 runs; 13 failed items`, or
  /// `All 36 runs passed every check`.
  private static func verdictText(_ report: Report) -> String {
    let totals = report.totals
    var reasons: [String] = []
    if totals.runsWithProblems > 0 {
      var failing: [String] = []
      for place in 0..<RunCheckSet.places where totals.runsFailing[place] > 0 {
        let name = place < RunCheck.all.count ? RunCheck.all[place].name : "findings of other severities"
        let runs = counted(totals.runsFailing[place], "run")
        failing.append(failing.isEmpty ? "\(name) failed in \(runs)" : "\(name) in \(runs)")
      }
      let runs = grouped(report.runs.count)
      let verb = totals.runsWithProblems == 1 ? "has" : "have"
      reasons.append(
        "\(grouped(totals.runsWithProblems)) of \(runs) runs \(verb) problems: \(failing.joined(separator: ", "))")
    }
    if !report.failedItems.isEmpty {
      reasons.append("\(counted(report.failedItems.count, "failed item")) the service could not describe")
    }
    let failedChecks = report.checks.filter(\.isProblem)
    for check in failedChecks.prefix(3) { reasons.append("\(check.name): \(check.message)") }
    if failedChecks.count > 3 { reasons.append("\(failedChecks.count - 3) more input problems") }
    let grown = report.baseline?.templates.filter(\.check.isProblem) ?? []
    for template in grown.prefix(3) {
      reasons.append("baseline of template \(ARN(template.arn).resourceID): \(template.check.message)")
    }
    if grown.count > 3 { reasons.append("baseline of \(grown.count - 3) more templates") }
    var text = reasons.joined(separator: "; ")
    if text.isEmpty {
      text =
        report.runs.count == 1
        ? "The run passed every check" : "All \(grouped(report.runs.count)) runs passed every check"
    }
    if totals.inProgress > 0 {
      text += "; \(counted(totals.inProgress, "run")) in progress, not judged yet"
    }
    let waived = report.waivers.reduce(0) { $0 + $1.waivedChecks }
    if waived > 0 {
      text += "; \(counted(waived, "failed check")) waived"
    }
    return text
  }
}

/// An override of the policy file and the maxima of the runs it matches.
public struct PolicyOverrideView: Sendable {
  /// `templateArn` or `runName`: what it matches runs by.
  public var matches: String
  /// The template ARN or the run name pattern.
  public var pattern: String
  /// The maxima of the runs it matches, as `ReportView.maxima` lists them.
  public var maxima: [(severity: Severity, max: Int?)]
  /// Those maxima in words.
  public var text: String

  init(_ override: PolicyOverride, policy: Policy) {
    switch override.match {
    case .templateArn(let arn): (matches, pattern) = ("templateArn", arn)
    case .runName(let name): (matches, pattern) = ("runName", name.description)
    }
    let effective = override.maxima(over: policy.maxima)
    let undocumented = effective.keys.filter { $0.documentedIndex == nil }.sorted { $0.name < $1.name }
    maxima = (Severity.documented + undocumented).map { (severity: $0, max: effective[$0]) }
    text = ReportView.policyText(maxima: maxima, minimumRuns: nil)
  }
}

extension WaiverOutcome {
  /// What became of the waiver in words: `applied to 3 checks`, `expired 2026-11-30`, `unused: nothing failed`.
  public var stateText: String {
    switch state {
    case .applied: "applied to \(counted(waivedChecks, "check"))"
    case .expired: "expired \(waiver.expiresText)"
    case .unused: "unused: no check it names failed"
    }
  }
}

/// A check of the report as a whole, with what it was made of where the report makes it more than once.
public struct ReportCheckView: Sendable {
  /// The check.
  public var check: CheckView
  /// The place of an input problem (`inputs`), unique among the report's checks; `nil` for `runs`.
  public var subject: String?
}

/// The tool's name and version.
public struct ToolView: Sendable {
  /// `inspector-report`.
  public var name = ToolView.name
  /// The version.
  public var version = ToolView.version

  /// The tool's name.
  public static let name = "inspector-report"
  /// The tool's version.
  public static let version = "0.1.0"
}

/// One assessment template and what its runs add up to.
public struct TemplateView: Sendable {
  /// The template's ARN.
  public var arn: String
  /// The last part of the ARN.
  public var id: String
  /// What its runs add up to.
  public var totals: TemplateTotals
  /// The findings of its runs, oldest to newest, when it has more than one.
  public var trend: TrendView?

  init(arn: String, totals: TemplateTotals, trend: TrendView?) {
    self.arn = arn
    id = ARN(arn).resourceID
    self.totals = totals
    self.trend = trend
  }
}

/// An ARN the request named that the service could not describe.
public struct FailedItemView: Sendable {
  /// The item.
  public var item: FailedItem
  /// `ACCESS_DENIED (retryable)`, what a JUnit error says of it, on one line of at most 1 KiB.
  public var message: String

  init(_ item: FailedItem) {
    self.item = item
    message = "\(item.failureCode.oneLine) (\(item.retryable ? "retryable" : "not retryable"))"
      .truncated(toUTF8Bytes: CheckView.messageLimit)
  }
}

/// What the JUnit report needs beyond the runs.
public struct ReportJUnitView: Sendable {
  /// The `id` of the `report` suite, after the runs' suites.
  public var reportSuite: Int
  /// The `id` of the `failed-items` suite, after the `report` suite.
  public var failedItemsSuite: Int
  /// The testcases of the failed-items suite: one per item, or one passing placeholder when there are none,
  /// since Jenkins drops a suite without testcases.
  public var failedItemsTests: Int
  /// The report and failed-items suites' timestamp: *now*, or `noTime` without one.
  public var timestamp: Timestamp

  /// The timestamp of a suite when no time is known at all, neither the run's nor *now*: the Ant schema requires a
  /// timestamp on every suite, so the Unix epoch, 1970-01-01T00:00:00, stands for "unknown"; `report.json` and
  /// `report.xml` say so with a `now` of `null` or empty and `nowSource` `none`.
  public static let noTime = Timestamp(microseconds: 0)
}

/// What the report adds up to: its runs, inputs and checks.
public struct TotalsView: Sendable {
  /// Runs, one per ARN.
  public var runs: Int
  /// Inputs read.
  public var inputs: Int
  /// Run entries read, duplicates included.
  public var runEntries: Int
  /// Entries dropped for a newer record of the same run.
  public var duplicatesDropped: Int
  /// `1 duplicate entry dropped`.
  public var duplicatesDroppedText: String
  /// What the report covers, in words: `36 runs from 37 entries in 5 inputs`, `1 run from 1 entry in 1 input`.
  public var scopeText: String
  /// The sums over the runs, with the failed items among the checks.
  public var sums: ReportTotals
  /// Runs by final state, ordered by state name.
  public var byState: [(state: RunState, runs: Int)]
  /// Findings by severity as bars, each as long as its share of the largest.
  public var findingBars: [BarView]
  /// Runs by final state as bars, in `byState`'s order.
  public var stateBars: [BarView]
  /// The counts a reader looks at first, each with what it counts: runs, runs with problems, in progress,
  /// findings, failed and errored checks, failed items.
  public var figures: [(label: String, count: Int)]
  /// Every run's failed deliveries, in run order.
  public var failedDeliveries: [NotificationSummary.FailedDelivery]
  /// Failed items.
  public var failedItems: Int

  init(_ report: Report) {
    runs = report.runs.count
    inputs = report.inputs.count
    runEntries = report.runEntries
    duplicatesDropped = report.duplicatesDropped
    duplicatesDroppedText = "\(counted(duplicatesDropped, "duplicate entry", "duplicate entries")) dropped"
    scopeText =
      "\(counted(runs, "run")) from \(counted(runEntries, "entry", "entries")) in \(counted(inputs, "input"))"
    sums = report.totals
    byState = report.totals.byState.map { (state: $0.key, runs: $0.value) }.sorted { $0.state.name < $1.state.name }
    findingBars = BarView.bars(report.totals.findings.entries.map { (label: $0.severity.name, count: $0.count) })
    stateBars = BarView.bars(byState.map { (label: $0.state.name, count: $0.runs) })
    figures = [
      ("runs", runs), ("runs with problems", sums.runsWithProblems), ("in progress", sums.inProgress),
      ("findings", sums.findings.total), ("checks failed", sums.checks.failures),
      ("checks in error", sums.checks.errors),
      ("failed items", report.failedItems.count),
    ]
    failedDeliveries = report.runs.flatMap(\.notifications.failedDeliveries)
    failedItems = report.failedItems.count
  }
}

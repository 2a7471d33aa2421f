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
  /// The maximum of each documented severity, `nil` where unlimited, then of each undocumented one given one.
  public var maxima: [(severity: Severity, max: Int?)]
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

  /// The model of `report`, whose JUnit suites and testcases are named after `junitIdentity`.
  public init(_ report: Report, junitIdentity: JUnitIdentity = .run) {
    now = report.now
    nowSource = report.nowSource
    passed = !report.hasProblem
    maxima = (Severity.documented + report.policy.undocumentedMaxima).map {
      (severity: $0, max: report.policy.maxima[$0])
    }
    checks = report.checks.map { ReportCheckView(check: CheckView($0, time: .zero), subject: $0.subject) }
    var counts = CheckCounts()
    counts.add(report.checks)
    checkCounts = counts
    inputs = report.inputs
    runs = RunViews(report, junitIdentity: junitIdentity)
    templates = report.totals.templates.sorted { $0.key < $1.key }.map { TemplateView(arn: $0.key, totals: $0.value) }
    failedItems = report.failedItems.map(FailedItemView.init)
    totals = TotalsView(report)
    junit = ReportJUnitView(
      reportSuite: report.runs.count, failedItemsSuite: report.runs.count + 1,
      failedItemsTests: max(1, report.failedItems.count), timestamp: report.now ?? ReportJUnitView.noTime)
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

  init(arn: String, totals: TemplateTotals) {
    self.arn = arn
    id = ARN(arn).resourceID
    self.totals = totals
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
  /// What the report covers, in words: `36 runs from 37 entries in 5 inputs`, `1 run from 1 entry in 1 input`.
  public var scopeText: String
  /// The sums over the runs, with the failed items among the checks.
  public var sums: ReportTotals
  /// Runs by final state, ordered by state name.
  public var byState: [(state: RunState, runs: Int)]
  /// Every run's failed deliveries, in run order.
  public var failedDeliveries: [NotificationSummary.FailedDelivery]
  /// Failed items.
  public var failedItems: Int

  init(_ report: Report) {
    runs = report.runs.count
    inputs = report.inputs.count
    runEntries = report.runEntries
    duplicatesDropped = report.duplicatesDropped
    scopeText =
      "\(counted(runs, "run")) from \(counted(runEntries, "entry", "entries")) in \(counted(inputs, "input"))"
    sums = report.totals
    byState = report.totals.byState.map { (state: $0.key, runs: $0.value) }.sorted { $0.state.name < $1.state.name }
    failedDeliveries = report.runs.flatMap(\.notifications.failedDeliveries)
    failedItems = report.failedItems.count
  }
}

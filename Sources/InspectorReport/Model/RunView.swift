/// The report's runs in report order, each view made when asked for: the report never holds the views of all
/// its runs at once.
public struct RunViews: RandomAccessCollection, Sendable {
  private let runs: [AnalyzedRun]
  private let now: Timestamp?
  private let junitIdentity: JUnitIdentity
  /// With `JUnitIdentity.template`, the ARNs of the runs JUnit shows: each template's newest.
  private let newestOfTheirTemplates: Set<String>
  /// The first run, in report order, whose details the HTML page shows, when only runs with a problem have them:
  /// the newest of those runs, up to a limit, have them (`ReportView.detailsOnlyForRunsWithProblems`).
  private let firstDetailed: Int?
  /// The JUnit suite names that two shown runs would share, by run, made unique (`RunViews.uniqueSuites`).
  private var renamedSuites: [Int: String] = [:]

  init(_ report: Report, junitIdentity: JUnitIdentity, detailsOnlyForProblems limit: Int? = nil) {
    firstDetailed = limit.map { limit in
      var first = report.runs.count
      var detailed = 0
      while first > 0, detailed < limit {
        first -= 1
        if report.runs[first].hasProblem { detailed += 1 }
      }
      return first
    }
    runs = report.runs
    now = report.now
    self.junitIdentity = junitIdentity
    newestOfTheirTemplates =
      junitIdentity == .template ? Set(report.totals.templates.values.compactMap { $0.latest?.run.arn }) : []
    renamedSuites = uniqueSuites()
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { runs.count }

  /// The view of run `index` in report order.
  public subscript(index: Int) -> RunView {
    let run = runs[index]
    let showsDetails = firstDetailed.map { index >= $0 && run.hasProblem } ?? true
    return RunView(
      run, index: index, now: now, junitIdentity: junitIdentity(of: index), suite: renamedSuites[index],
      showsDetails: showsDetails)
  }

  /// What JUnit names run `index` after, or `nil` when JUnit leaves it out.
  private func junitIdentity(of index: Int) -> JUnitIdentity? {
    junitIdentity == .run || newestOfTheirTemplates.contains(runs[index].run.arn) ? junitIdentity : nil
  }

  /// New suite names for the shown runs whose suite name an earlier one in report order already has: the names of
  /// their testcases hold it, and a consumer keeps only one of two testcases of the same name.
  ///
  /// Run IDs are only the last part of an ARN, so two runs in two accounts can share a name and an ID, and names
  /// are cut to 150 characters; the later run is numbered, `polled (0-line2bbb) #2`, so the names stay the same
  /// from one report to the next as long as the runs do.
  private func uniqueSuites() -> [Int: String] {
    var taken = Set<String>()
    var renamed: [Int: String] = [:]
    for index in runs.indices {
      guard let identity = junitIdentity(of: index) else { continue }
      let suite = RunView(runs[index], index: index, now: now, junitIdentity: identity, suite: nil).namedSuite
      if taken.insert(suite).inserted { continue }
      var number = 2
      while taken.contains("\(suite) #\(number)") { number += 1 }
      renamed[index] = "\(suite) #\(number)"
      taken.insert("\(suite) #\(number)")
    }
    return renamed
  }
}

/// What JUnit names a testcase after, so that CI servers can follow one check from one report to the next and say
/// "new failure" or "still failing".
public enum JUnitIdentity: String, Sendable, CaseIterable {
  /// Every run is a suite, and its testcases are named after the run: `findings-High: Run 1 for Nightly
  /// (0-MKkpXXPE)`. A run is followed only while it is in the inputs.
  case run
  /// Each assessment template's newest run is a suite, and its testcases are named after the template:
  /// `findings-High: template 0-4r1V2mAw`, the same in every report, whichever run is newest.
  case template
}

/// One run as the report shows it.
public struct RunView: Sendable {
  /// The analysis the view reads.
  public let analyzed: AnalyzedRun
  /// The run's place in report order, from 0.
  public let index: Int
  /// The parts of the run's ARN.
  private let parsedARN: ARN
  private let now: Timestamp?
  /// What JUnit names the run's testcases after, or `nil` when JUnit does not show the run.
  private let junitIdentity: JUnitIdentity?
  /// The run's JUnit suite name when the one made of its names is another run's too.
  private let renamedSuite: String?
  /// Whether the HTML page shows the run's details (`ReportView.detailsOnlyForRunsWithProblems`).
  public let showsDetails: Bool

  init(
    _ analyzed: AnalyzedRun, index: Int, now: Timestamp?, junitIdentity: JUnitIdentity?, suite: String?,
    showsDetails: Bool = true
  ) {
    self.showsDetails = showsDetails
    self.analyzed = analyzed
    self.index = index
    self.now = now
    self.junitIdentity = junitIdentity
    renamedSuite = suite
    parsedARN = ARN(analyzed.run.arn)
  }

  private var run: AssessmentRun { analyzed.run }
  private var timeline: RunTimeline { analyzed.timeline }

  /// The run's ARN.
  public var arn: String { run.arn }
  /// The run's ID, the last part of its ARN.
  public var id: String { parsedARN.resourceID }
  /// The run's name.
  public var name: String { run.name }
  /// The ARN of the run's assessment template.
  public var template: String { run.templateArn }
  /// The template's ID.
  public var templateId: String { ARN(run.templateArn).resourceID }
  /// The region, from the ARN.
  public var region: String { parsedARN.region }
  /// The account, from the ARN.
  public var account: String { parsedARN.account }
  /// The `state` the snapshot recorded.
  public var state: RunState { run.state }
  /// The last state by time.
  public var lastState: RunState { timeline.lastState }
  /// Whether the run was still going at *now*.
  public var inProgress: Bool { timeline.inProgress }
  /// Whether the run is in progress far longer than it could run, and so will never finish (`StaleRun`).
  public var stale: Bool { analyzed.isStale }
  /// `dataCollected`.
  public var dataCollected: Bool? { run.dataCollected }
  /// When the run began.
  public var createdAt: Timestamp? { analyzed.createdAt }
  /// `startedAt`.
  public var startedAt: Timestamp? { run.startedAt }
  /// `completedAt`.
  public var completedAt: Timestamp? { run.completedAt }
  /// `stateChangedAt`.
  public var stateChangedAt: Timestamp? { run.stateChangedAt }
  /// The sum of all state durations.
  public var elapsed: TimeSpan { timeline.elapsed }
  /// Time per phase.
  public var phases: PhaseDurations { timeline.phaseDurations }
  /// Time per state, in the order states were first entered.
  public var states: [(state: RunState, duration: TimeSpan)] { timeline.stateDurations }
  /// The rules packages the run evaluated.
  public var rulesPackageArns: [String] { run.rulesPackageArns }
  /// The attributes its template gives every finding.
  public var userAttributesForFindings: [UserAttribute] { run.userAttributesForFindings }
  /// The configured collection time.
  public var configuredCollection: TimeSpan? { analyzed.configuredCollection }
  /// Whether a finished run collected data for clearly less than the configured time.
  public var collectionShort: Bool { analyzed.collectionIsShort }
  /// Finding counts.
  public var findings: FindingCounts { analyzed.findings }
  /// What the notifications say.
  public var notifications: NotificationSummary { analyzed.notifications }
  /// The checks, in report order.
  public var checks: [CheckView] {
    analyzed.checks.map { CheckView($0, time: $0.check.judgesTheWholeRun ? timeline.elapsed : .zero) }
  }
  /// How many checks came out each way.
  public var checkCounts: CheckCounts { analyzed.checkCounts }
  /// Whether a check failed or errored.
  public var problem: Bool { analyzed.hasProblem }
  /// Where the run is in its snapshot.
  public var source: SourceLocation { run.source }
  /// The run in one line, for a reader who sees one check of it alone (a JUnit failure's body): its state, elapsed
  /// time, findings and notification problems, e.g. `COMPLETED, elapsed 2 min 11 s, 3 findings (2 High, 1 Low),
  /// 1 notification flagged as error, 0 SNS deliveries failed`.
  public var summaryText: String {
    // Written as bytes: every run has one, and appending its parts to a String took twice as long.
    var text: [UInt8] = []
    text.reserveCapacity(160)
    if inProgress {
      text += "in progress (".utf8
      text += lastState.name.utf8
      text += ")".utf8
    } else {
      text += state.name.utf8
    }
    text += ", elapsed ".utf8
    text += elapsed.humanDescription.utf8
    let findings = findings
    let total = findings.total
    if total == 0 {
      text += ", no findings".utf8
    } else {
      text += ", \(total) finding\(total == 1 ? "" : "s")".utf8
      var separator = " ("
      // The documented severities by subscript: listing `entries` would make an array for every run.
      let severities = findings.hasUndocumented ? findings.entries.map(\.severity) : Severity.documented
      for severity in severities {
        let count = findings[severity]
        guard count > 0 else { continue }
        text += separator.utf8
        text += String(count).utf8
        text += " ".utf8
        text += severity.name.utf8
        separator = ", "
      }
      text += ")".utf8
    }
    let counts = notifications.counts
    text += ", ".utf8
    text += (counts.hasProblem ? counts.problemText : "no notification problems").utf8
    return String(decoding: text, as: UTF8.self)
  }

  /// The JUnit suite name made of the run's names, or its template's, which another run may share.
  fileprivate var namedSuite: String {
    junitIdentity == .template
      ? JUnitNames.templateSuite(id: templateId) : JUnitNames.suite(name: run.name, id: id)
  }

  /// The run as a JUnit test suite.
  public var junit: RunJUnitView {
    let classname =
      junitIdentity == .template
      ? JUnitNames.templateClassname(id: templateId) : JUnitNames.classname(name: run.name)
    return RunJUnitView(
      shown: junitIdentity != nil, id: index, suite: renamedSuite ?? namedSuite, classname: classname,
      hostname: region.isEmpty ? "localhost" : region,
      timestamp: createdAt ?? now ?? ReportJUnitView.noTime, time: timeline.elapsed)
  }
}

/// A run as a JUnit test suite, with names JUnit consumers show well (JUNIT.md).
public struct RunJUnitView: Sendable {
  /// Whether JUnit shows the run: always by `JUnitIdentity.run`, only its template's newest run by `.template`.
  public var shown: Bool
  /// The suite's number, its run's place in report order.
  public var id: Int
  /// What the suite, and each of its testcases, is named after: `Run 1 for Nightly (0-MKkpXXPE)` by run,
  /// `template 0-4r1V2mAw` by template.
  public var suite: String
  /// `aws-inspector.Run 1 for Nightly`, or `aws-inspector.template 0-4r1V2mAw`: Jenkins shows one package,
  /// `aws-inspector`, with a class per run name or template.
  public var classname: String
  /// The run's region, or `localhost` without one.
  public var hostname: String
  /// When the run began: its creation, else *now*, else `ReportJUnitView.noTime`.
  public var timestamp: Timestamp
  /// The run's elapsed time.
  public var time: TimeSpan
}

/// One check of a run as every output shows it.
public struct CheckView: Sendable, Hashable {
  /// The check's name, e.g. `run-state`.
  public var name: String
  /// The outcome.
  public var status: CheckResult.Status
  /// One line saying why (`CheckResult.message`), at most 1 KiB.
  public var message: String
  /// Further lines, at most 50 of at most 1 KiB each.
  public var details: [String]
  /// The time the check stands for: the run's elapsed time for the check that judges the whole run, else 0.
  public var time: TimeSpan

  /// JUnit consumers cap what they show (JUNIT.md): a message of 1 KiB, a body of 64 KiB. The details are one line
  /// per failed delivery, at most 50 (the API's limit), so capping each line caps the body. Every output shows
  /// the same capped lines; what they are made from (states, deliveries) is in the run's own fields in full.
  static let messageLimit = 1024
  static let detailLimit = 50

  init(_ result: CheckResult, time: TimeSpan) {
    name = result.name
    status = result.status
    message = result.message.truncated(toUTF8Bytes: Self.messageLimit)
    details = result.details.prefix(Self.detailLimit).map { $0.truncated(toUTF8Bytes: Self.messageLimit) }
    self.time = time
  }
}

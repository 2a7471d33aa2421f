/// One run with everything the report says about it.
///
/// A class, since it is immutable and passed around by the ten thousand: copying one reference is
/// cheaper than copying a record that holds a dozen.
public final class AnalyzedRun: Sendable {
  /// The run as the newest snapshot recorded it.
  public let run: AssessmentRun
  /// Durations per state and phase.
  public let timeline: RunTimeline
  /// Finding counts.
  public let findings: FindingCounts
  /// How many checks came out each way.
  public let checkCounts: CheckCounts
  /// Whether any check failed or errored.
  public let hasProblem: Bool
  /// The checks that failed or errored.
  public let problemChecks: RunCheckSet
  /// The table the count checks come from.
  private let countChecks: CountChecks

  /// Analyzes `run` as of `now` under `policy`.
  public convenience init(_ run: consuming AssessmentRun, now: Timestamp?, policy: Policy) {
    self.init(run, now: now, countChecks: CountChecks(policy: policy))
  }

  /// Analyzes `run` as of `now`, with the checks of `countChecks`' policy.
  init(_ run: consuming AssessmentRun, now: Timestamp?, countChecks: CountChecks) {
    timeline = RunTimeline(changes: run.stateChanges, state: run.state, now: now)
    findings = FindingCounts(run.findingCounts)
    self.countChecks = countChecks
    let checks = Self.checks(
      state: run.state, timeline: timeline, dataCollected: run.dataCollected, findings: findings,
      notifications: run.notifications, configured: Self.configuredCollection(run.durationInSeconds),
      since: run.createdAt ?? timeline.start, countChecks: countChecks, runArn: run.arn,
      templateArn: run.templateArn)
    var counts = CheckCounts()
    counts.add(checks)
    checkCounts = counts
    var problems = RunCheckSet()
    for check in checks where check.isProblem { problems.insert(check.check) }
    problemChecks = problems
    hasProblem = !problems.isEmpty
    // Last, so that the run moves in rather than being copied (retaining each of its strings and lists).
    self.run = run
  }

  /// The check outcomes, in report order.
  ///
  /// Made again when asked for rather than kept: they are read once, when the run is rendered, and keeping
  /// them took about 450 bytes a run, a third of what the analysis holds.
  public var checks: [CheckResult] {
    checks(waiving: true)
  }

  /// The check outcomes as they would be without the policy's waivers, which tell what each waiver waived.
  var checksBeforeWaivers: [CheckResult] {
    checks(waiving: false)
  }

  private func checks(waiving: Bool) -> [CheckResult] {
    Self.checks(
      state: run.state, timeline: timeline, dataCollected: run.dataCollected, findings: findings,
      notifications: run.notifications, configured: configuredCollection, since: createdAt, countChecks: countChecks,
      runArn: run.arn, templateArn: run.templateArn, waiving: waiving)
  }

  /// What the run's notifications say.
  public var notifications: NotificationSummary { run.notifications }

  /// The configured collection time, from `durationInSeconds`.
  public var configuredCollection: TimeSpan? {
    Self.configuredCollection(run.durationInSeconds)
  }

  private static func configuredCollection(_ durationInSeconds: Int?) -> TimeSpan? {
    durationInSeconds.map { TimeSpan(microseconds: Int64($0) * 1_000_000) }
  }

  /// Whether the run is in progress far longer than it could run (`StaleRun`): it will never finish.
  public var isStale: Bool {
    timeline.inProgress && StaleRun.isStale(elapsed: timeline.elapsed, configured: configuredCollection)
  }

  /// Whether a finished run collected data for clearly less time than configured.
  ///
  /// Inspector stops collection up to about a second before the configured time on normal runs, so
  /// only a shortfall of more than one second counts; a run still collecting is not short yet.
  public var collectionIsShort: Bool {
    guard let configured = configuredCollection, !timeline.inProgress else { return false }
    return timeline.duration(of: .collection).microseconds + Self.collectionTolerance < configured.microseconds
  }

  private static let collectionTolerance: Int64 = 1_000_000

  /// When the run began: `createdAt`, else its first state change.
  public var createdAt: Timestamp? {
    run.createdAt ?? timeline.start
  }
}

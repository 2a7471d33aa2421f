/// A check the report makes of every run, or, for `runs` and `inputs`, of the whole report.
public enum RunCheck: Sendable, Hashable {
  /// Whether the inputs hold as many runs as the policy requires: made once, of the report, not of a run.
  case runs
  /// An input, a text in one or a run that could not be read, when loading kept going past it: made of the report,
  /// once per problem, always an error.
  case inputs
  /// Whether the run completed.
  case runState
  /// Whether a finished run collected data.
  case dataCollected
  /// Whether the run has no more findings of a severity than the policy allows.
  case findings(Severity)
  /// Whether every notification was sent and delivered.
  case notifications
  /// Whether a template's findings grew no more than `--max-increase` allows since a baseline (`--baseline`): made
  /// once per template, of the report, not of a run.
  case baseline

  /// The checks of a run, in the order reports list them.
  public static let all: [RunCheck] =
    [.runState, .dataCollected] + Severity.documented.map(RunCheck.findings) + [.notifications]

  /// The check's name, e.g. `run-state`, `findings-High`.
  public var name: String {
    switch self {
    case .runs: "runs"
    case .inputs: "inputs"
    case .runState: "run-state"
    case .dataCollected: "data-collected"
    case .findings(let severity): severity.documentedIndex.map { findingCheckNames[$0] } ?? "findings-\(severity)"
    case .notifications: "notifications"
    case .baseline: "baseline"
    }
  }

  /// Whether the check judges the run as a whole, and so takes the run's elapsed time as its own.
  public var judgesTheWholeRun: Bool { self == .runState }
}

/// A set of a run's checks, one bit each: every run keeps the set of its failed checks, which the report counts.
public struct RunCheckSet: Sendable, Hashable {
  private var bits: UInt16 = 0

  /// The checks of `RunCheck.all` by position, then one place for any other, such as a finding check of an
  /// undocumented severity.
  public static let places = RunCheck.all.count + 1

  /// No check.
  public init() {}

  /// Whether the set holds no check.
  public var isEmpty: Bool { bits == 0 }

  mutating func insert(_ check: RunCheck) {
    bits |= 1 << Self.place(of: check)
  }

  /// Whether the set holds a check at `place` (see `places`).
  public func contains(place: Int) -> Bool {
    bits & 1 << place != 0
  }

  /// The place of `check`: its position in `RunCheck.all`, or the last place.
  static func place(of check: RunCheck) -> Int {
    RunCheck.all.firstIndex(of: check) ?? RunCheck.all.count
  }
}

/// `findings-High` and the like, by documented severity: made once, since every run has a check of each.
private let findingCheckNames = Severity.documented.map { "findings-\($0.name)" }

/// The outcome of one policy check, which becomes one JUnit testcase.
public struct CheckResult: Sendable, Hashable {
  /// What came of a check.
  public enum Status: String, Sendable, Hashable, CaseIterable {
    case passed, failed, error, skipped
  }

  /// The check.
  public var check: RunCheck
  /// The outcome.
  public var status: Status
  /// One line saying why: line breaks from the inputs become spaces.
  public var message: String
  /// Further lines for a failure's body, e.g. each failed delivery, each one line.
  public var details: [String]
  /// What the check was made of, where the report makes one check more than once: the place of an input problem
  /// (`inputs`), unique among the report's checks, or the template a `baseline` check compares; `nil` for the
  /// others.
  public var subject: String?

  /// Creates a result.
  public init(
    _ check: RunCheck, _ status: Status, _ message: String, details: [String] = [], subject: String? = nil
  ) {
    self.check = check
    self.status = status
    // Made here, where the words from the inputs go in: most results are made once and shared by many runs.
    self.message = message.oneLine
    self.details = details.map(\.oneLine)
    self.subject = subject
  }

  /// The check's name, e.g. `run-state`, `findings-High`.
  public var name: String { check.name }

  /// Whether the result makes the report fail.
  public var isProblem: Bool {
    status == .failed || status == .error
  }
}

/// The outcomes of the checks that depend on a count alone, made once per policy for the small counts nearly
/// every run has: writing their messages took a third of the analysis.
///
/// A class, since every run refers to it.
final class CountChecks: Sendable {
  let policy: Policy
  /// By severity, then count.
  private let findings: [[CheckResult]]
  /// By the number of notifications, when none failed.
  private let notifications: [CheckResult]
  /// The undocumented severities the policy sets a maximum for, which every run is checked for too.
  let undocumentedSeverities: [Severity]
  /// The policy's waivers, which every run's checks go through; `nil` when it has none.
  let waivers: WaiverTable?
  private static let counts = 64

  init(policy: Policy, waivers: WaiverTable? = nil) {
    self.policy = policy
    self.waivers = waivers
    undocumentedSeverities = policy.undocumentedMaxima
    findings = Severity.documented.map { severity in
      (0..<Self.counts).map { Self.finding(severity, count: $0, policy: policy) }
    }
    notifications = (0..<Self.counts).map(Self.notificationsPassed(total:))
  }

  func finding(_ severity: Severity, position: Int, count: Int) -> CheckResult {
    count >= 0 && count < Self.counts
      ? findings[position][count] : Self.finding(severity, count: count, policy: policy)
  }

  /// The check of a severity without a place in the table: one the documentation does not name.
  func finding(_ severity: Severity, count: Int) -> CheckResult {
    Self.finding(severity, count: count, policy: policy)
  }

  func notificationsPassed(total: Int) -> CheckResult {
    total >= 0 && total < Self.counts ? notifications[total] : Self.notificationsPassed(total: total)
  }

  private static func finding(_ severity: Severity, count: Int, policy: Policy) -> CheckResult {
    let findings = counted(count, "\(severity.name) finding")
    guard let limit = policy.maxima[severity] else {
      return CheckResult(.findings(severity), .passed, "\(findings), no maximum")
    }
    return count > limit
      ? CheckResult(.findings(severity), .failed, "\(findings), more than the maximum of \(grouped(limit))")
      : CheckResult(.findings(severity), .passed, "\(findings), maximum \(grouped(limit))")
  }

  private static func notificationsPassed(total: Int) -> CheckResult {
    CheckResult(.notifications, .passed, "\(counted(total, "notification")), none failed")
  }
}

extension AnalyzedRun {
  /// The checks of one run, in a fixed order: run-state, data-collected, one per documented severity, one per
  /// undocumented severity the policy limits, notifications.
  ///
  /// A run in progress is skipped, unless it is stale (`StaleRun`): then its run-state is an error. Last, the
  /// policy's waivers for the run (`runArn`) and its template (`templateArn`) apply, unless `waiving` is false.
  static func checks(
    state: RunState, timeline: RunTimeline, dataCollected: Bool?, findings: FindingCounts,
    notifications: NotificationSummary, configured: TimeSpan?, since: Timestamp?, countChecks: CountChecks,
    runArn: String, templateArn: String, waiving: Bool = true
  ) -> [CheckResult] {
    var results: [CheckResult] = []
    results.reserveCapacity(RunCheck.all.count + countChecks.undocumentedSeverities.count)
    if timeline.inProgress {
      if StaleRun.isStale(elapsed: timeline.elapsed, configured: configured) {
        let message = StaleRun.message(elapsed: timeline.elapsed, since: since, configured: configured)
        results.append(CheckResult(.runState, .error, message))
      } else {
        results.append(CheckResult(.runState, .skipped, "run in progress (\(timeline.lastState))"))
      }
    } else if state == .completed {
      results.append(CheckResult(.runState, .passed, "run completed"))
    } else {
      results.append(CheckResult(.runState, .failed, "run ended in state \(state)"))
    }

    switch (timeline.inProgress, dataCollected) {
    case (true, _): results.append(CheckResult(.dataCollected, .skipped, "data collection not finished yet"))
    case (false, true): results.append(CheckResult(.dataCollected, .passed, "data was collected"))
    case (false, false): results.append(CheckResult(.dataCollected, .failed, "no data was collected"))
    case (false, nil): results.append(CheckResult(.dataCollected, .error, "the snapshot has no 'dataCollected'"))
    }

    for (position, severity) in Severity.documented.enumerated() {
      results.append(countChecks.finding(severity, position: position, count: findings[severity]))
    }
    for severity in countChecks.undocumentedSeverities {
      results.append(countChecks.finding(severity, count: findings[severity]))
    }

    if notifications.counts.hasProblem {
      let message = notifications.counts.problemText
      let details = notifications.failedDeliveries.map { delivery in
        "\(delivery.date?.description ?? "(no date)") \(delivery.event) \(delivery.topic) \(delivery.status)"
      }
      results.append(CheckResult(.notifications, .failed, message, details: details))
    } else {
      results.append(countChecks.notificationsPassed(total: notifications.counts.total))
    }
    if waiving, let waivers = countChecks.waivers {
      waivers.apply(to: &results, runArn: runArn, templateArn: templateArn)
    }
    return results
  }
}

extension Report {
  /// The checks of the report as a whole: whether it holds as many runs as `policy` requires, then an error for
  /// each input problem, which says where it is and what, as the command prints it, and has the problem's place
  /// as its subject (numbered from the second, should two problems share a place).
  static func checks(runs: Int, policy: Policy, inputProblems: [SnapshotError]) -> [CheckResult] {
    let required = policy.minimumRuns == 0 ? "none required" : "at least \(grouped(policy.minimumRuns)) required"
    let found = runs == 0 ? "no assessment runs" : counted(runs, "assessment run")
    let message = "\(found) in the inputs; \(required)"
    var places: [String: Int] = [:]
    return [CheckResult(.runs, runs >= policy.minimumRuns ? .passed : .failed, message)]
      + inputProblems.map { problem in
        let place = problem.location.description
        let seen = places[place, default: 0]
        places[place] = seen + 1
        let subject = seen == 0 ? place : "\(place) (\(seen + 1))"
        return CheckResult(.inputs, .error, problem.placedMessage, subject: subject)
      }
  }
}

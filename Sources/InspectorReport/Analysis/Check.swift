/// The outcome of one policy check, which becomes one JUnit testcase.
public struct CheckResult: Sendable, Hashable {
  /// What came of a check.
  public enum Status: String, Sendable, Hashable, CaseIterable {
    case passed, failed, error, skipped
  }

  /// The check's name, e.g. `run-state`, `findings-High`.
  public var name: String
  /// The outcome.
  public var status: Status
  /// One line saying why.
  public var message: String
  /// Further lines for a failure's body, e.g. each failed delivery.
  public var details: [String]

  /// Creates a result.
  public init(_ name: String, _ status: Status, _ message: String, details: [String] = []) {
    self.name = name
    self.status = status
    self.message = message
    self.details = details
  }

  /// Whether the result makes the report fail.
  public var isProblem: Bool {
    status == .failed || status == .error
  }
}

/// `findings-High` and the like, by documented severity.
private let findingCheckNames = Severity.documented.map { "findings-\($0.name)" }

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
  private static let counts = 64

  init(policy: Policy) {
    self.policy = policy
    findings = Severity.documented.map { severity in
      (0..<Self.counts).map { Self.finding(severity, count: $0, policy: policy) }
    }
    notifications = (0..<Self.counts).map(Self.notificationsPassed(total:))
  }

  func finding(_ severity: Severity, position: Int, count: Int) -> CheckResult {
    count >= 0 && count < Self.counts
      ? findings[position][count] : Self.finding(severity, count: count, policy: policy)
  }

  func notificationsPassed(total: Int) -> CheckResult {
    total >= 0 && total < Self.counts ? notifications[total] : Self.notificationsPassed(total: total)
  }

  private static func finding(_ severity: Severity, count: Int, policy: Policy) -> CheckResult {
    let name = severity.documentedIndex.map { findingCheckNames[$0] } ?? "findings-\(severity.name)"
    let plural = count == 1 ? "" : "s"
    guard let limit = policy.maxima[severity] else {
      return CheckResult(name, .passed, "\(count) \(severity.name) finding\(plural), no maximum")
    }
    return count > limit
      ? CheckResult(name, .failed, "\(count) \(severity.name) finding\(plural), more than the maximum of \(limit)")
      : CheckResult(name, .passed, "\(count) \(severity.name) finding\(plural), maximum \(limit)")
  }

  private static func notificationsPassed(total: Int) -> CheckResult {
    CheckResult("notifications", .passed, "\(total) notifications, none failed")
  }
}

extension AnalyzedRun {
  /// The checks of one run, in a fixed order: run-state, data-collected, one per severity, notifications.
  static func checks(
    state: RunState, timeline: RunTimeline, dataCollected: Bool?, findings: FindingCounts,
    notifications: NotificationSummary, countChecks: CountChecks
  ) -> [CheckResult] {
    var results: [CheckResult] = []
    results.reserveCapacity(2 + Severity.documented.count + 1)
    if timeline.inProgress {
      results.append(CheckResult("run-state", .skipped, "run in progress (\(timeline.lastState))"))
    } else if state == .completed {
      results.append(CheckResult("run-state", .passed, "run completed"))
    } else {
      results.append(CheckResult("run-state", .failed, "run ended in state \(state)"))
    }

    switch (timeline.inProgress, dataCollected) {
    case (true, _): results.append(CheckResult("data-collected", .skipped, "data collection not finished yet"))
    case (false, true): results.append(CheckResult("data-collected", .passed, "data was collected"))
    case (false, false): results.append(CheckResult("data-collected", .failed, "no data was collected"))
    case (false, nil): results.append(CheckResult("data-collected", .error, "the snapshot has no 'dataCollected'"))
    }

    for (position, severity) in Severity.documented.enumerated() {
      results.append(countChecks.finding(severity, position: position, count: findings[severity]))
    }

    let (errors, failedDeliveries) = (notifications.counts.errors, notifications.counts.failedDeliveries)
    if errors > 0 || failedDeliveries > 0 {
      let message =
        "\(errors) notification\(errors == 1 ? "" : "s") flagged as error, "
        + "\(failedDeliveries) SNS deliver\(failedDeliveries == 1 ? "y" : "ies") failed"
      let details = notifications.failedDeliveries.map { delivery in
        "\(delivery.date?.description ?? "(no date)") \(delivery.event) \(delivery.topic) \(delivery.status)"
      }
      results.append(CheckResult("notifications", .failed, message, details: details))
    } else {
      results.append(countChecks.notificationsPassed(total: notifications.counts.total))
    }
    return results
  }
}

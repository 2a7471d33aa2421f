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

/// `findings-High` and the like, by severity.
private let findingCheckNames = Severity.allCases.map { "findings-\($0.rawValue)" }

extension AnalyzedRun {
  /// The checks of one run, in a fixed order: run-state, data-collected, one per severity, notifications.
  static func checks(
    state: String, timeline: RunTimeline, dataCollected: Bool?, findings: FindingCounts,
    notifications: NotificationSummary, policy: Policy
  ) -> [CheckResult] {
    var results: [CheckResult] = []
    results.reserveCapacity(2 + Severity.allCases.count + 1)
    if timeline.inProgress {
      results.append(CheckResult("run-state", .skipped, "run in progress (\(timeline.lastState))"))
    } else if state == "COMPLETED" {
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

    // Each message is written in one interpolation: these are five of every run's eight checks.
    for (severity, name) in zip(Severity.allCases, findingCheckNames) {
      let count = findings[severity]
      let plural = count == 1 ? "" : "s"
      if let limit = policy.maxima[severity] {
        results.append(
          count > limit
            ? CheckResult(
              name, .failed, "\(count) \(severity.rawValue) finding\(plural), more than the maximum of \(limit)")
            : CheckResult(name, .passed, "\(count) \(severity.rawValue) finding\(plural), maximum \(limit)"))
      } else {
        results.append(CheckResult(name, .passed, "\(count) \(severity.rawValue) finding\(plural), no maximum"))
      }
    }

    let failedDeliveries = notifications.failedDeliveries.count
    if notifications.errors > 0 || failedDeliveries > 0 {
      let message =
        "\(notifications.errors) notification\(notifications.errors == 1 ? "" : "s") flagged as error, "
        + "\(failedDeliveries) SNS deliver\(failedDeliveries == 1 ? "y" : "ies") failed"
      let details = notifications.failedDeliveries.map { delivery in
        "\(delivery.date?.description ?? "(no date)") \(delivery.event) \(delivery.topic) \(delivery.code)"
      }
      results.append(CheckResult("notifications", .failed, message, details: details))
    } else {
      results.append(CheckResult("notifications", .passed, "\(notifications.total) notifications, none failed"))
    }
    return results
  }
}

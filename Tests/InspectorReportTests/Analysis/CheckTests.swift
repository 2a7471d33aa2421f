import Testing

@testable import InspectorReport

@Suite struct CheckTests {
  private func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  private func run(
    final state: RunState, dataCollected: Bool? = true, findings: [SeverityCount] = [],
    notifications: [RunNotification] = []
  ) -> AssessmentRun {
    AssessmentRun(
      arn: "arn", state: state, dataCollected: dataCollected,
      stateChanges: [StateChange(at: at(0), state: "CREATED"), StateChange(at: at(10), state: state)],
      notifications: NotificationSummary(notifications), findingCounts: findings)
  }

  private func statuses(_ run: AssessmentRun, policy: Policy = .standard) -> [String: CheckResult.Status] {
    Dictionary(
      uniqueKeysWithValues: AnalyzedRun(run, now: at(100), policy: policy).checks.map { ($0.name, $0.status) })
  }

  @Test func aCleanCompletedRunPassesEverything() {
    let checks = AnalyzedRun(run(final: "COMPLETED"), now: at(100), policy: .standard).checks
    #expect(
      checks.map(\.name) == [
        "run-state", "data-collected", "findings-High", "findings-Medium", "findings-Low", "findings-Informational",
        "findings-Undefined", "notifications",
      ])
    #expect(checks.allSatisfy { $0.status == .passed })
  }

  /// Small counts take their outcome from a table made per policy, larger ones are written each time; both say
  /// the same.
  @Test(arguments: [0, 1, 2, 5, 63, 64, 65, 1000])
  func countChecksSayTheCountAndTheMaximum(count: Int) {
    let policy = Policy(maxima: [.high: 0, .low: 64])
    let findings = [("High", Severity.high), ("Low", .low), ("Medium", .medium)].map {
      SeverityCount(severity: $0.0, count: count)
    }
    let notifications = Array(
      repeating: RunNotification(date: nil, event: "OTHER", error: false, snsPublishStatusCode: "SUCCESS"), count: count
    )
    let checks = AnalyzedRun(
      run(final: "COMPLETED", findings: findings, notifications: notifications), now: at(100), policy: policy
    ).checks
    let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) })
    let findingsText = count == 1 ? "finding" : "findings"
    // Counts in words have thousands separators.
    let written = count == 1000 ? "1,000" : "\(count)"
    #expect(byName["findings-High"]?.status == (count > 0 ? .failed : .passed))
    #expect(
      byName["findings-High"]?.message
        == (count > 0
          ? "\(written) High \(findingsText), more than the maximum of 0" : "0 High findings, maximum 0"))
    #expect(byName["findings-Low"]?.status == (count > 64 ? .failed : .passed))
    #expect(
      byName["findings-Low"]?.message
        == "\(written) Low \(findingsText), \(count > 64 ? "more than the maximum of" : "maximum") 64")
    #expect(byName["findings-Medium"]?.message == "\(written) Medium \(findingsText), no maximum")
    #expect(byName["notifications"]?.message == "\(written) notification\(count == 1 ? "" : "s"), none failed")
  }

  @Test(arguments: ["COMPLETED_WITH_ERRORS", "FAILED", "ERROR", "CANCELED"])
  func otherTerminalStatesFailRunState(state: RunState) {
    #expect(statuses(run(final: state))["run-state"] == .failed)
  }

  @Test func inProgressRunsSkipStateAndDataChecks() {
    let result = statuses(run(final: "COLLECTING_DATA", dataCollected: false))
    #expect(result["run-state"] == .skipped)
    #expect(result["data-collected"] == .skipped)
  }

  @Test func dataCollectedFalseFailsAndMissingIsAnError() {
    #expect(statuses(run(final: "COMPLETED", dataCollected: false))["data-collected"] == .failed)
    #expect(statuses(run(final: "COMPLETED", dataCollected: nil))["data-collected"] == .error)
  }

  @Test func findingsFailOnlyAboveTheirMaximum() throws {
    let findings = [SeverityCount(severity: "High", count: 2), SeverityCount(severity: "Low", count: 7)]
    #expect(statuses(run(final: "COMPLETED", findings: findings))["findings-High"] == .failed)
    var policy = Policy.standard
    try policy.apply("high=2")
    try policy.apply("Low=6")
    let result = statuses(run(final: "COMPLETED", findings: findings), policy: policy)
    #expect(result["findings-High"] == .passed)
    #expect(result["findings-Low"] == .failed)
    try policy.apply("LOW=none")
    #expect(statuses(run(final: "COMPLETED", findings: findings), policy: policy)["findings-Low"] == .passed)
  }

  @Test(arguments: ["High", "High=", "High=-1", "High=x", "Critical=-1", "=3", " =3"])
  func badMaximaAreRefused(setting: String) {
    var policy = Policy.standard
    #expect(throws: PolicyError.self) { try policy.apply(setting) }
  }

  @Test func notificationErrorsAndFailedDeliveriesFail() {
    let ok = RunNotification(date: at(1), event: "OTHER", error: false, snsPublishStatusCode: "SUCCESS")
    let flagged = RunNotification(date: at(2), event: "OTHER", error: true)
    let undelivered = RunNotification(
      date: at(3), event: "FINDING_REPORTED", error: false, snsTopicArn: "arn:sns",
      snsPublishStatusCode: "ACCESS_DENIED")
    #expect(statuses(run(final: "COMPLETED", notifications: [ok]))["notifications"] == .passed)
    #expect(statuses(run(final: "COMPLETED", notifications: [ok, flagged]))["notifications"] == .failed)
    let analyzed = AnalyzedRun(run(final: "COMPLETED", notifications: [undelivered]), now: nil, policy: .standard)
    let check = analyzed.checks.last
    #expect(check?.status == .failed)
    #expect(check?.details == ["1970-01-01T00:00:03Z FINDING_REPORTED arn:sns ACCESS_DENIED"])
  }

  @Test func shortCollectionIsFlaggedOnlyWhenClearlyShortAndFinished() {
    func collection(_ seconds: Int64, final: RunState = "COMPLETED") -> AnalyzedRun {
      AnalyzedRun(
        AssessmentRun(
          arn: "a", state: final, durationInSeconds: 3600,
          stateChanges: [StateChange(at: at(0), state: "COLLECTING_DATA"), StateChange(at: at(seconds), state: final)]),
        now: at(10), policy: .standard)
    }
    #expect(!collection(3600).collectionIsShort)
    #expect(!collection(3599).collectionIsShort)
    #expect(collection(1800).collectionIsShort)
    #expect(!collection(5, final: "COLLECTING_DATA").collectionIsShort)
  }
}

/// A run in progress far longer than it could run will never finish: Inspector Classic is gone.
@Suite struct StaleRunTests {
  private func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  private func runState(duration: Int?, now seconds: Int64) -> (CheckResult?, AnalyzedRun) {
    let run = AssessmentRun(
      arn: "arn", state: .collectingData, durationInSeconds: duration, createdAt: at(0),
      stateChanges: [StateChange(at: at(0), state: .created), StateChange(at: at(5), state: .collectingData)])
    let analyzed = AnalyzedRun(run, now: at(seconds), policy: .standard)
    return (analyzed.checks.first, analyzed)
  }

  /// The limit is the configured duration plus 1 h, or 86,400 s plus 1 h without one; at the limit, not stale yet.
  @Test(
    arguments: [(3600, 7200, false), (3600, 7201, true), (nil, 90_000, false), (nil, 90_001, true)]
      as [(Int?, Int64, Bool)])
  func aRunInProgressPastItsLimitIsStale(duration: Int?, now: Int64, stale: Bool) {
    let (check, analyzed) = runState(duration: duration, now: now)
    #expect(analyzed.isStale == stale)
    #expect(analyzed.hasProblem == stale)
    #expect(check?.status == (stale ? .error : .skipped))
    #expect(analyzed.checks[1].status == .skipped)
  }

  @Test func theMessageSaysForHowLongSinceWhenAndTheLimit() {
    #expect(
      runState(duration: 3600, now: 200_000).0?.message
        == "run stale: in progress for 2 d 7 h since 1970-01-01T00:00:00Z, longer than its configured 1 h 00 min plus 1 h"
    )
    #expect(
      runState(duration: nil, now: 200_000).0?.message
        == "run stale: in progress for 2 d 7 h since 1970-01-01T00:00:00Z, longer than Inspector's longest duration, "
        + "1 d 0 h, plus 1 h")
    #expect(runState(duration: 3600, now: 60).0?.message == "run in progress (COLLECTING_DATA)")
  }
}

import Testing

@testable import InspectorReport

@Suite struct NotificationSummaryTests {
  private func notification(_ event: String, _ code: String?, error: Bool = false) -> RunNotification {
    RunNotification(
      date: nil, event: NotificationEvent(name: event), error: error, snsTopicArn: "topic",
      snsPublishStatusCode: code.map(SNSStatus.init(name:)))
  }

  /// Documented names are counted in fixed places, others by name; what comes out does not show the difference.
  @Test func countsListDocumentedNamesFirstThenEveryOtherNameCountedSorted() {
    let summary = NotificationSummary(
      [
        notification("OTHER", "TOPIC_DOES_NOT_EXIST"), notification("NEW_EVENT", "THROTTLED"),
        notification("ASSESSMENT_RUN_STARTED", "SUCCESS"), notification("OTHER", nil, error: true),
        notification("A_NEW_EVENT", "SUCCESS"),
      ])
    let counts = summary.counts
    #expect(counts.total == 5 && counts.errors == 1 && counts.failedDeliveries == 2)
    #expect(counts.byEvent["OTHER"] == 2 && counts.byEvent["NEW_EVENT"] == 1 && counts.byEvent["FINDING_REPORTED"] == 0)
    let events = counts.byEvent.entries
    #expect(
      events.map(\.name.name) == [
        "ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_COMPLETED", "ASSESSMENT_RUN_STATE_CHANGED", "FINDING_REPORTED",
        "OTHER", "A_NEW_EVENT", "NEW_EVENT",
      ])
    #expect(events.map(\.count) == [1, 0, 0, 0, 2, 1, 1])
    let statuses = counts.bySNSStatus.entries
    #expect(
      statuses.map(\.name.name) == ["SUCCESS", "TOPIC_DOES_NOT_EXIST", "ACCESS_DENIED", "INTERNAL_ERROR", "THROTTLED"])
    #expect(statuses.map(\.count) == [2, 1, 0, 0, 1])
    #expect(summary.failedDeliveries.map(\.status.name) == ["TOPIC_DOES_NOT_EXIST", "THROTTLED"])
  }

  @Test func summariesAreEqualWhateverOrderTheNamesCameIn() {
    let notifications = [
      notification("OTHER", "SUCCESS"), notification("NEW_EVENT", "THROTTLED"), notification("OTHER", "SUCCESS"),
    ]
    var added = NotificationSummary(Array(notifications.prefix(1))).counts
    added.add(NotificationSummary(Array(notifications.dropFirst())).counts)
    #expect(NotificationSummary(notifications).counts == NotificationSummary(notifications.reversed()).counts)
    #expect(added == NotificationSummary(notifications).counts)
    #expect(added.total == 3)
  }

  @Test func totalsAddEveryRunsCounts() {
    var totals = NotificationCounts()
    for _ in 0..<3 {
      totals.add(
        NotificationSummary([notification("OTHER", "ACCESS_DENIED"), notification("NEW_EVENT", "SUCCESS")]).counts)
    }
    #expect(totals.total == 6 && totals.failedDeliveries == 3)
    #expect(totals.byEvent.entries.filter { $0.count > 0 }.map(\.count) == [3, 3])
    #expect(totals.bySNSStatus[.success] == 3 && totals.bySNSStatus[.accessDenied] == 3)
  }
}

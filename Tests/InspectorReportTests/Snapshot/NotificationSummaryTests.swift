import Testing

@testable import InspectorReport

@Suite struct NotificationSummaryTests {
  private func notification(_ event: String, _ code: String?, error: Bool = false) -> RunNotification {
    RunNotification(date: nil, event: event, error: error, snsTopicArn: "topic", snsPublishStatusCode: code)
  }

  /// Documented names are counted in fixed places, others by name; what comes out does not show the difference.
  @Test func countsListKnownNamesFirstThenEveryOtherNameCountedSorted() {
    let summary = NotificationSummary(
      [
        notification("OTHER", "TOPIC_DOES_NOT_EXIST"), notification("NEW_EVENT", "THROTTLED"),
        notification("ASSESSMENT_RUN_STARTED", "SUCCESS"), notification("OTHER", nil, error: true),
        notification("A_NEW_EVENT", "SUCCESS"),
      ])
    #expect(summary.total == 5 && summary.errors == 1)
    #expect(summary.byEvent == ["OTHER": 2, "NEW_EVENT": 1, "ASSESSMENT_RUN_STARTED": 1, "A_NEW_EVENT": 1])
    #expect(summary.bySNSStatus == ["TOPIC_DOES_NOT_EXIST": 1, "THROTTLED": 1, "SUCCESS": 2])
    let events = summary.eventCounts(known: ["FINDING_REPORTED", "OTHER"])
    #expect(events.map(\.name) == ["FINDING_REPORTED", "OTHER", "ASSESSMENT_RUN_STARTED", "A_NEW_EVENT", "NEW_EVENT"])
    #expect(events.map(\.count) == [0, 2, 1, 1, 1])
    // A documented name left out of `known` is one of the others.
    let statuses = summary.statusCounts(known: ["SUCCESS"])
    #expect(statuses.map(\.name) == ["SUCCESS", "THROTTLED", "TOPIC_DOES_NOT_EXIST"])
    #expect(statuses.map(\.count) == [2, 1, 1])
    #expect(summary.failedDeliveries.map(\.code) == ["TOPIC_DOES_NOT_EXIST", "THROTTLED"])
  }

  @Test func summariesAreEqualWhateverOrderTheNamesCameIn() {
    let notifications = [
      notification("OTHER", "SUCCESS"), notification("NEW_EVENT", "THROTTLED"), notification("OTHER", "SUCCESS"),
    ]
    var added = NotificationSummary(Array(notifications.prefix(1)))
    added.add(NotificationSummary(Array(notifications.dropFirst())))
    #expect(NotificationSummary(notifications) == NotificationSummary(notifications.reversed()))
    #expect(added.byEvent == NotificationSummary(notifications).byEvent)
    #expect(added.total == 3)
  }

  @Test func totalsAddEveryRunsCounts() {
    var totals = NotificationTotals()
    for _ in 0..<3 {
      totals.add(NotificationSummary([notification("OTHER", "ACCESS_DENIED"), notification("NEW_EVENT", "SUCCESS")]))
    }
    #expect(totals.total == 6 && totals.failedDeliveries == 3)
    #expect(totals.eventCounts(known: ["OTHER"]).map(\.count) == [3, 3])
    #expect(totals.statusCounts(known: ["SUCCESS", "ACCESS_DENIED"]).map(\.count) == [3, 3])
  }
}

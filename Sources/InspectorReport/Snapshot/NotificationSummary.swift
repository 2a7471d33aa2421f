/// What a run's notifications say: counts by event and SNS status, and each failed delivery.
///
/// Notifications are most of a snapshot (up to 50 per run, each with its SNS message); the report needs
/// only these counts, so runs keep the summary, built as they are decoded, instead of the list.
public struct NotificationSummary: Sendable, Hashable {
  /// A notification whose SNS delivery did not succeed.
  public struct FailedDelivery: Sendable, Hashable {
    /// When the notification was sent.
    public var date: Timestamp?
    /// The event it reported.
    public var event: String
    /// The SNS topic it was for.
    public var topic: String
    /// The `snsPublishStatusCode`.
    public var code: String
  }

  /// The number of notifications.
  public private(set) var total = 0
  /// The number with `error: true`.
  public private(set) var errors = 0
  /// Counts by `event`.
  public private(set) var byEvent: [String: Int] = [:]
  /// Counts by `snsPublishStatusCode`; notifications without one are not counted here.
  public private(set) var bySNSStatus: [String: Int] = [:]
  /// Deliveries with a status other than `SUCCESS`, in input order.
  public private(set) var failedDeliveries: [FailedDelivery] = []

  /// An empty summary.
  public init() {}

  /// Summarizes a run's notifications.
  public init(_ notifications: [RunNotification]) {
    for notification in notifications { add(notification) }
  }

  /// Counts one more notification.
  public mutating func add(_ notification: RunNotification) {
    total += 1
    if notification.error { errors += 1 }
    byEvent[notification.event, default: 0] += 1
    guard let code = notification.snsPublishStatusCode else { return }
    bySNSStatus[code, default: 0] += 1
    if code != "SUCCESS" {
      failedDeliveries.append(
        FailedDelivery(
          date: notification.date, event: notification.event, topic: notification.snsTopicArn ?? "", code: code))
    }
  }

  /// Adds another summary into this one.
  public mutating func add(_ other: NotificationSummary) {
    total += other.total
    errors += other.errors
    for (event, count) in other.byEvent { byEvent[event, default: 0] += count }
    for (code, count) in other.bySNSStatus { bySNSStatus[code, default: 0] += count }
    failedDeliveries += other.failedDeliveries
  }
}

/// Finding counts by severity: the five known ones (missing means 0) and any unknown keys as written.
public struct FindingCounts: Sendable, Hashable {
  /// Counts of the known severities.
  public private(set) var known: [Severity: Int] = [:]
  /// Counts of severity keys Inspector does not document, by key.
  public private(set) var unknown: [String: Int] = [:]

  /// No findings.
  public init() {}

  /// Sums a run's `findingCounts`.
  public init(_ counts: [SeverityCount]) {
    for entry in counts { add(entry.count, severity: entry.severity) }
  }

  /// The count of `severity`.
  public subscript(severity: Severity) -> Int {
    known[severity] ?? 0
  }

  /// All findings, unknown severities included.
  public var total: Int {
    known.values.reduce(0, +) + unknown.values.reduce(0, +)
  }

  /// Adds another summary into this one.
  public mutating func add(_ other: FindingCounts) {
    for (severity, count) in other.known { known[severity, default: 0] += count }
    for (key, count) in other.unknown { unknown[key, default: 0] += count }
  }

  private mutating func add(_ count: Int, severity key: String) {
    if let severity = Severity(rawValue: key) {
      known[severity, default: 0] += count
    } else {
      unknown[key, default: 0] += count
    }
  }
}

/// What a run's notifications say: counts by event and SNS status, and each failed delivery.
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
    for notification in notifications {
      total += 1
      if notification.error { errors += 1 }
      byEvent[notification.event, default: 0] += 1
      guard let code = notification.snsPublishStatusCode else { continue }
      bySNSStatus[code, default: 0] += 1
      if code != "SUCCESS" {
        failedDeliveries.append(
          FailedDelivery(
            date: notification.date, event: notification.event, topic: notification.snsTopicArn ?? "", code: code))
      }
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

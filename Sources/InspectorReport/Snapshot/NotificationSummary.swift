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
  public var byEvent: [String: Int] { events.dictionary }
  /// Counts by `event`: the `known` events first, in that order and 0 when absent, then the others by name.
  public func eventCounts(known: [String]) -> [(name: String, count: Int)] { events.counts(known: known) }
  /// Counts by `snsPublishStatusCode`, ordered like `eventCounts`.
  public func statusCounts(known: [String]) -> [(name: String, count: Int)] { statuses.counts(known: known) }
  /// Counts by `snsPublishStatusCode`; notifications without one are not counted here.
  public var bySNSStatus: [String: Int] { statuses.dictionary }
  fileprivate var events = SmallCounter()
  fileprivate var statuses = SmallCounter()
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
    events.count(notification.event)
    guard let code = notification.snsPublishStatusCode else { return }
    statuses.count(code)
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
    events.add(other.events)
    statuses.add(other.statuses)
    failedDeliveries += other.failedDeliveries
  }
}

/// What all of a report's notifications say: the counts of every run's summary, and how many deliveries failed.
///
/// The failed deliveries themselves stay with the runs, which list them in report order.
struct NotificationTotals: Sendable {
  private(set) var total = 0
  private(set) var errors = 0
  private(set) var failedDeliveries = 0
  private var events = SmallCounter()
  private var statuses = SmallCounter()

  /// Counts by `event`, ordered like `NotificationSummary.eventCounts`.
  func eventCounts(known: [String]) -> [(name: String, count: Int)] { events.counts(known: known) }
  /// Counts by `snsPublishStatusCode`, ordered like `NotificationSummary.statusCounts`.
  func statusCounts(known: [String]) -> [(name: String, count: Int)] { statuses.counts(known: known) }

  mutating func add(_ summary: NotificationSummary) {
    total += summary.total
    errors += summary.errors
    failedDeliveries += summary.failedDeliveries.count
    events.add(summary.events)
    statuses.add(summary.statuses)
  }

  mutating func add(_ other: NotificationTotals) {
    total += other.total
    errors += other.errors
    failedDeliveries += other.failedDeliveries
    events.add(other.events)
    statuses.add(other.statuses)
  }
}

/// Counts of a few distinct keys, kept in a short list.
///
/// A run's notifications name a handful of events and status codes, hundreds of thousands of times in a
/// corpus, and as the decoder's shared constants; a list searched with `==`, which compares such strings
/// by identity first, beats hashing each one into a dictionary.
private struct SmallCounter: Sendable, Hashable {
  private var keys: [String] = []
  private var counts: [Int] = []

  mutating func count(_ key: String, times: Int = 1) {
    if let index = index(of: key) {
      counts[index] += times
    } else {
      keys.append(key)
      counts.append(times)
    }
  }

  mutating func add(_ other: SmallCounter) {
    for (key, times) in zip(other.keys, other.counts) { count(key, times: times) }
  }

  var dictionary: [String: Int] {
    Dictionary(uniqueKeysWithValues: zip(keys, counts))
  }

  /// Where `key` is among the keys. The documented events and codes all differ in length, and comparing
  /// strings that differ is slow, so lengths are compared first.
  private func index(of key: String) -> Int? {
    let length = key.utf8.count
    return keys.firstIndex { $0.utf8.count == length && $0 == key }
  }

  /// The `known` keys first, in that order and 0 when absent, then the others sorted.
  func counts(known: [String]) -> [(name: String, count: Int)] {
    // Built with their labels: an array of unlabeled tuples would be converted element by element, through
    // dynamic casts.
    var result = known.map { key in (name: key, count: index(of: key).map { counts[$0] } ?? 0) }
    let others = zip(keys, counts).filter { key, _ in
      !known.contains { $0.utf8.count == key.utf8.count && $0 == key }
    }
    result += others.sorted { $0.0 < $1.0 }.map { (name: $0.0, count: $0.1) }
    return result
  }

  /// Equal when the counts are, whatever order the keys were first seen in.
  static func == (lhs: SmallCounter, rhs: SmallCounter) -> Bool {
    lhs.dictionary == rhs.dictionary
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(dictionary)
  }
}

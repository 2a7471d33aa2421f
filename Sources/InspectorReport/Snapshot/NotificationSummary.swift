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
  fileprivate var events = NameCounts<DocumentedEvents>()
  fileprivate var statuses = NameCounts<DocumentedStatusCodes>()
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
  private var events = NameCounts<DocumentedEvents>()
  private var statuses = NameCounts<DocumentedStatusCodes>()

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

/// The names the API documents for one kind of count, whose counts have fixed places.
private protocol DocumentedNames {
  /// At most eight, in their places.
  static var names: [String] { get }
}

/// The `event` values the API documents.
private enum DocumentedEvents: DocumentedNames {
  static let names = [
    "ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_COMPLETED", "ASSESSMENT_RUN_STATE_CHANGED", "FINDING_REPORTED", "OTHER",
  ]
}

/// The `snsPublishStatusCode` values the API documents.
private enum DocumentedStatusCodes: DocumentedNames {
  static let names = ["SUCCESS", "TOPIC_DOES_NOT_EXIST", "ACCESS_DENIED", "INTERNAL_ERROR"]
}

/// Counts by name: the documented names' in fixed places, held inline, and any other name's by name.
///
/// Every run has two of these. As lists of names and of counts they were four allocations a run and a fifth of
/// what a decoded run holds; nearly every name is a documented one.
private struct NameCounts<Documented: DocumentedNames>: Sendable, Hashable {
  /// Below 2^32 each: a report holds far fewer notifications than that.
  private var documented = SIMD8<UInt32>()
  private var others: [String: Int] = [:]

  mutating func count(_ name: String, times: Int = 1) {
    if let place = Self.place(of: name) {
      documented[place] += UInt32(times)
    } else {
      others[name, default: 0] += times
    }
  }

  mutating func add(_ other: NameCounts) {
    documented &+= other.documented
    others.merge(other.others, uniquingKeysWith: +)
  }

  /// Every name counted, with its count.
  var dictionary: [String: Int] {
    var all = others
    for (place, name) in Documented.names.enumerated() where documented[place] > 0 {
      all[name] = Int(documented[place])
    }
    return all
  }

  /// The `known` names first, in that order and 0 when absent, then the others counted, sorted.
  func counts(known: [String]) -> [(name: String, count: Int)] {
    // Built with their labels: an array of unlabeled tuples would be converted element by element, through
    // dynamic casts.
    var result = known.map { name in (name: name, count: count(of: name)) }
    // Nearly always every name counted is a known one, and there is nothing more to find.
    let countedKnown = result.count { $0.count > 0 }
    guard others.count + documented.nonzeroCount > countedKnown else { return result }
    let rest = dictionary.filter { name, _ in !known.contains { Self.same($0, name) } }
    result += rest.sorted { $0.key < $1.key }.map { (name: $0.key, count: $0.value) }
    return result
  }

  private func count(of name: String) -> Int {
    Self.place(of: name).map { Int(documented[$0]) } ?? others[name] ?? 0
  }

  /// Where `name` is among the documented names. They all differ in length, and comparing strings that differ
  /// is slow, so lengths are compared first.
  private static func place(of name: String) -> Int? {
    Documented.names.firstIndex { same($0, name) }
  }

  private static func same(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a == b
  }
}

extension SIMD8<UInt32> {
  /// How many of the counts are above zero.
  fileprivate var nonzeroCount: Int {
    indices.count { self[$0] > 0 }
  }
}

/// How many notifications there were, by event and SNS status: of one run, or summed over the report's runs.
public struct NotificationCounts: Sendable, Hashable {
  /// The number of notifications.
  public private(set) var total = 0
  /// The number with `error: true`.
  public private(set) var errors = 0
  /// The number whose SNS delivery did not succeed.
  public private(set) var failedDeliveries = 0
  /// Counts by `event`.
  public private(set) var byEvent = NameCounts<NotificationEvent>()
  /// Counts by `snsPublishStatusCode`; notifications without one are not counted here.
  public private(set) var bySNSStatus = NameCounts<SNSStatus>()

  /// No notifications.
  public init() {}

  /// Counts one more notification.
  public mutating func add(_ notification: RunNotification) {
    total += 1
    if notification.error { errors += 1 }
    byEvent.count(notification.event)
    guard let status = notification.snsPublishStatusCode else { return }
    bySNSStatus.count(status)
    if !status.isDelivered { failedDeliveries += 1 }
  }

  /// Whether a notification was flagged as an error or its delivery failed.
  public var hasProblem: Bool { errors > 0 || failedDeliveries > 0 }

  /// `1 notification flagged as error, 2 SNS deliveries failed`: what the `notifications` check and a run's
  /// summary say of notifications with a problem.
  public var problemText: String {
    "\(counted(errors, "notification")) flagged as error, \(counted(failedDeliveries, "SNS delivery", "SNS deliveries")) failed"
  }

  /// Adds other counts into these.
  public mutating func add(_ other: NotificationCounts) {
    total += other.total
    errors += other.errors
    failedDeliveries += other.failedDeliveries
    byEvent.add(other.byEvent)
    bySNSStatus.add(other.bySNSStatus)
  }
}

/// What a run's notifications say: their counts, and each failed delivery.
///
/// Notifications are most of a snapshot (up to 50 per run, each with its SNS message); the report needs
/// only these, so runs keep the summary, built as they are decoded, instead of the list.
public struct NotificationSummary: Sendable, Hashable {
  /// A notification whose SNS delivery did not succeed.
  public struct FailedDelivery: Sendable, Hashable {
    /// When the notification was sent.
    public var date: Timestamp?
    /// The event it reported.
    public var event: NotificationEvent
    /// The SNS topic it was for.
    public var topic: String
    /// The `snsPublishStatusCode`.
    public var status: SNSStatus
  }

  /// The counts.
  public private(set) var counts = NotificationCounts()
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
    counts.add(notification)
    if let status = notification.snsPublishStatusCode, !status.isDelivered {
      failedDeliveries.append(
        FailedDelivery(
          date: notification.date, event: notification.event, topic: notification.snsTopicArn ?? "", status: status))
    }
  }
}

/// Counts by name of one vocabulary: the documented names' in fixed places, held inline, and any other name's
/// by name.
///
/// Every run has two of these. As lists of names and of counts they were four allocations a run and a fifth of
/// what a decoded run holds; nearly every name is a documented one.
public struct NameCounts<Name: InspectorVocabulary>: Sendable, Hashable {
  /// By place in `Name.documented`, at most eight; below 2^32 each, since a report holds far fewer
  /// notifications than that.
  private var documented = SIMD8<UInt32>()
  private var undocumented: [String: Int] = [:]

  /// No counts.
  public init() {}

  /// Counts `name` once more.
  public mutating func count(_ name: Name) {
    if let place = name.documentedIndex {
      documented[place] += 1
    } else {
      undocumented[name.name, default: 0] += 1
    }
  }

  /// Adds other counts into these.
  public mutating func add(_ other: NameCounts) {
    documented &+= other.documented
    undocumented.merge(other.undocumented, uniquingKeysWith: +)
  }

  /// The count of `name`.
  public subscript(name: Name) -> Int {
    name.documentedIndex.map { Int(documented[$0]) } ?? undocumented[name.name] ?? 0
  }

  /// Every documented name in its order, 0 when absent, then each undocumented name counted, by name.
  public var entries: [(name: Name, count: Int)] {
    // Built with their labels: an array of unlabeled tuples would be converted element by element, through
    // dynamic casts.
    var result = Name.documented.enumerated().map { place, name in (name: name, count: Int(documented[place])) }
    // Nearly always every name counted is a documented one, and there is nothing more to sort.
    guard !undocumented.isEmpty else { return result }
    result += undocumented.sorted { $0.key < $1.key }.map { (name: Name.undocumented($0.key), count: $0.value) }
    return result
  }
}

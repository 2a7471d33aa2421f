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

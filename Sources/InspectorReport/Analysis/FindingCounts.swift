/// Finding counts by severity: the five known ones (missing means 0) and any unknown keys as written.
public struct FindingCounts: Sendable, Hashable {
  // Stored apart rather than in a dictionary: every run has counts, and reading them is most of the work.
  private var high = 0
  private var medium = 0
  private var low = 0
  private var informational = 0
  private var undefined = 0
  /// Counts of severity keys Inspector does not document, by key.
  public private(set) var unknown: [String: Int] = [:]

  /// Counts of the five known severities.
  public var known: [Severity: Int] {
    Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, self[$0]) })
  }

  /// No findings.
  public init() {}

  /// Sums a run's `findingCounts`.
  public init(_ counts: [SeverityCount]) {
    for entry in counts { add(entry.count, severity: entry.severity) }
  }

  /// The count of `severity`.
  public private(set) subscript(severity: Severity) -> Int {
    get {
      switch severity {
      case .high: high
      case .medium: medium
      case .low: low
      case .informational: informational
      case .undefined: undefined
      }
    }
    set {
      switch severity {
      case .high: high = newValue
      case .medium: medium = newValue
      case .low: low = newValue
      case .informational: informational = newValue
      case .undefined: undefined = newValue
      }
    }
  }

  /// All findings, unknown severities included.
  public var total: Int {
    high + medium + low + informational + undefined + unknown.values.reduce(0, +)
  }

  /// Adds another summary into this one.
  public mutating func add(_ other: FindingCounts) {
    for severity in Severity.allCases { self[severity] += other[severity] }
    for (key, count) in other.unknown { unknown[key, default: 0] += count }
  }

  private mutating func add(_ count: Int, severity key: String) {
    if let severity = Severity(rawValue: key) {
      self[severity] += count
    } else {
      unknown[key, default: 0] += count
    }
  }
}

/// Finding counts by severity: the documented ones (missing means 0) and any undocumented keys as written.
public struct FindingCounts: Sendable, Hashable {
  // Stored apart rather than in a dictionary: every run has counts, and reading them is most of the work.
  private var high = 0
  private var medium = 0
  private var low = 0
  private var informational = 0
  private var undefined = 0
  /// Counts of severity keys Inspector does not document, by key.
  private var undocumented: [String: Int] = [:]

  /// No findings.
  public init() {}

  /// Sums a run's `findingCounts`.
  public init(_ counts: [SeverityCount]) {
    for entry in counts { self[entry.severity] += entry.count }
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
      case .undocumented(let name): undocumented[name] ?? 0
      }
    }
    set {
      switch severity {
      case .high: high = newValue
      case .medium: medium = newValue
      case .low: low = newValue
      case .informational: informational = newValue
      case .undefined: undefined = newValue
      case .undocumented(let name): undocumented[name] = newValue
      }
    }
  }

  /// All findings, undocumented severities included.
  public var total: Int {
    high + medium + low + informational + undefined + undocumented.values.reduce(0, +)
  }

  /// Whether a severity the documentation does not name has a count.
  public var hasUndocumented: Bool { !undocumented.isEmpty }

  /// Every documented severity in its order, then each undocumented one counted, by name.
  public var entries: [(severity: Severity, count: Int)] {
    var entries = Severity.documented.map { (severity: $0, count: self[$0]) }
    for (name, count) in undocumented.sorted(by: { $0.key < $1.key }) {
      entries.append((severity: .undocumented(name), count: count))
    }
    return entries
  }

  /// Adds another summary into this one.
  public mutating func add(_ other: FindingCounts) {
    high += other.high
    medium += other.medium
    low += other.low
    informational += other.informational
    undefined += other.undefined
    undocumented.merge(other.undocumented, uniquingKeysWith: +)
  }
}

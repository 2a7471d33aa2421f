/// The four phases an Inspector run passes through, each a fixed set of states.
public enum RunPhase: String, Sendable, CaseIterable, Hashable {
  case setup, collection, wrapup, evaluation

  /// The phase `state` belongs to, or `nil` for terminal and unknown states.
  public init?(state: String) {
    // Every state name has a length of its own, so at most one string comparison decides; comparing a name
    // with each case in turn showed in the profile of a report of 10,000 runs.
    switch (state.utf8.count, state) {
    case (7, "CREATED"), (29, "START_DATA_COLLECTION_PENDING"), (33, "START_DATA_COLLECTION_IN_PROGRESS"): self = .setup
    case (15, "COLLECTING_DATA"): self = .collection
    case (28, "STOP_DATA_COLLECTION_PENDING"), (14, "DATA_COLLECTED"): self = .wrapup
    case (30, "START_EVALUATING_RULES_PENDING"), (16, "EVALUATING_RULES"): self = .evaluation
    default: return nil
    }
  }
}

/// Time per phase: a field each, where a dictionary would hash four phases per run.
struct PhaseDurations: Sendable, Hashable {
  private var setup = TimeSpan.zero
  private var collection = TimeSpan.zero
  private var wrapup = TimeSpan.zero
  private var evaluation = TimeSpan.zero

  /// The time spent in `phase` (zero when none of its states occurred).
  func duration(of phase: RunPhase) -> TimeSpan {
    switch phase {
    case .setup: setup
    case .collection: collection
    case .wrapup: wrapup
    case .evaluation: evaluation
    }
  }

  mutating func add(_ duration: TimeSpan, to phase: RunPhase) {
    switch phase {
    case .setup: setup += duration
    case .collection: collection += duration
    case .wrapup: wrapup += duration
    case .evaluation: evaluation += duration
    }
  }

  mutating func add(_ other: PhaseDurations) {
    setup += other.setup
    collection += other.collection
    wrapup += other.wrapup
    evaluation += other.evaluation
  }
}

/// Facts about Inspector's `AssessmentRunState` values.
public enum RunStates {
  /// The states a run never leaves.
  public static let terminal: Set<String> = ["COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED", "ERROR", "CANCELED"]

  /// Whether `state` is terminal.
  public static func isTerminal(_ state: String) -> Bool {
    // As in `RunPhase(state:)`, the lengths tell the names apart before any string is compared.
    switch (state.utf8.count, state) {
    case (9, "COMPLETED"), (21, "COMPLETED_WITH_ERRORS"), (6, "FAILED"), (5, "ERROR"), (8, "CANCELED"): true
    default: false
    }
  }
}

/// The severities Inspector reports, in the order reports show them.
public enum Severity: String, Sendable, CaseIterable, Hashable {
  case high = "High"
  case medium = "Medium"
  case low = "Low"
  case informational = "Informational"
  case undefined = "Undefined"

  /// Matches a severity name regardless of case (`high`, `HIGH`).
  public init?(caseInsensitive name: String) {
    guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
      return nil
    }
    self = match
  }
}

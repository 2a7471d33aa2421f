/// The four phases an Inspector run passes through, each a fixed set of states.
public enum RunPhase: String, Sendable, CaseIterable, Hashable {
  case setup, collection, wrapup, evaluation

  /// The phase `state` belongs to, or `nil` for terminal and unknown states.
  public init?(state: String) {
    switch state {
    case "CREATED", "START_DATA_COLLECTION_PENDING", "START_DATA_COLLECTION_IN_PROGRESS": self = .setup
    case "COLLECTING_DATA": self = .collection
    case "STOP_DATA_COLLECTION_PENDING", "DATA_COLLECTED": self = .wrapup
    case "START_EVALUATING_RULES_PENDING", "EVALUATING_RULES": self = .evaluation
    default: return nil
    }
  }
}

/// Facts about Inspector's `AssessmentRunState` values.
public enum RunStates {
  /// The states a run never leaves.
  public static let terminal: Set<String> = ["COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED", "ERROR", "CANCELED"]

  /// Whether `state` is terminal.
  public static func isTerminal(_ state: String) -> Bool {
    terminal.contains(state)
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

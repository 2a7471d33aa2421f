/// The values Inspector documents for one kind of enumerated member, which a snapshot may extend with names of
/// its own: those are kept as written, shown as they are and never dropped.
///
/// Each kind lists its documented values once, in `documented`, and spells each name once, in `name`; every
/// table that knows them (the decoder's table of shared strings, the counters, the checks, the report's lists)
/// derives from these two.
public protocol InspectorVocabulary: Hashable, Sendable, CustomStringConvertible {
  /// The documented values, in the order reports list them.
  static var documented: [Self] { get }
  /// A value the documentation does not name, kept as the snapshot spelled it.
  static func undocumented(_ name: String) -> Self
  /// The name as snapshots spell it.
  var name: String { get }
}

extension InspectorVocabulary {
  /// The value a snapshot spells `name`.
  public init(name: String) {
    self = Self.documented.first { $0.name.utf8.count == name.utf8.count && $0.name == name } ?? .undocumented(name)
  }

  /// The value's place in `documented`, or `nil` for an undocumented one.
  public var documentedIndex: Int? {
    Self.documented.firstIndex(of: self)
  }

  public var description: String { name }
}

/// The `state` of a run and of each of its `stateChanges` (the API's `AssessmentRunState`).
public enum RunState: InspectorVocabulary {
  case created, startDataCollectionPending, startDataCollectionInProgress, collectingData
  case stopDataCollectionPending, dataCollected, startEvaluatingRulesPending, evaluatingRules
  case failed, error, completed, completedWithErrors, canceled
  /// A state the documentation does not name.
  case undocumented(String)

  public static let documented: [RunState] = [
    .created, .startDataCollectionPending, .startDataCollectionInProgress, .collectingData,
    .stopDataCollectionPending, .dataCollected, .startEvaluatingRulesPending, .evaluatingRules,
    .failed, .error, .completed, .completedWithErrors, .canceled,
  ]

  public var name: String {
    switch self {
    case .created: "CREATED"
    case .startDataCollectionPending: "START_DATA_COLLECTION_PENDING"
    case .startDataCollectionInProgress: "START_DATA_COLLECTION_IN_PROGRESS"
    case .collectingData: "COLLECTING_DATA"
    case .stopDataCollectionPending: "STOP_DATA_COLLECTION_PENDING"
    case .dataCollected: "DATA_COLLECTED"
    case .startEvaluatingRulesPending: "START_EVALUATING_RULES_PENDING"
    case .evaluatingRules: "EVALUATING_RULES"
    case .failed: "FAILED"
    case .error: "ERROR"
    case .completed: "COMPLETED"
    case .completedWithErrors: "COMPLETED_WITH_ERRORS"
    case .canceled: "CANCELED"
    case .undocumented(let name): name
    }
  }

  /// The phase the state belongs to; `nil` for terminal and undocumented states, which count in a run's
  /// elapsed time only.
  public var phase: RunPhase? {
    switch self {
    case .created, .startDataCollectionPending, .startDataCollectionInProgress: .setup
    case .collectingData: .collection
    case .stopDataCollectionPending, .dataCollected: .wrapup
    case .startEvaluatingRulesPending, .evaluatingRules: .evaluation
    case .failed, .error, .completed, .completedWithErrors, .canceled, .undocumented: nil
    }
  }

  /// Whether a run never leaves the state. An undocumented state is not terminal: a run in it is in progress.
  public var isTerminal: Bool {
    switch self {
    case .failed, .error, .completed, .completedWithErrors, .canceled: true
    case .created, .startDataCollectionPending, .startDataCollectionInProgress, .collectingData,
      .stopDataCollectionPending, .dataCollected, .startEvaluatingRulesPending, .evaluatingRules, .undocumented:
      false
    }
  }
}

/// The `event` of a notification (the API's `InspectorEvent`).
public enum NotificationEvent: InspectorVocabulary {
  case assessmentRunStarted, assessmentRunCompleted, assessmentRunStateChanged, findingReported, other
  /// An event the documentation does not name.
  case undocumented(String)

  public static let documented: [NotificationEvent] = [
    .assessmentRunStarted, .assessmentRunCompleted, .assessmentRunStateChanged, .findingReported, .other,
  ]

  public var name: String {
    switch self {
    case .assessmentRunStarted: "ASSESSMENT_RUN_STARTED"
    case .assessmentRunCompleted: "ASSESSMENT_RUN_COMPLETED"
    case .assessmentRunStateChanged: "ASSESSMENT_RUN_STATE_CHANGED"
    case .findingReported: "FINDING_REPORTED"
    case .other: "OTHER"
    case .undocumented(let name): name
    }
  }
}

/// The `snsPublishStatusCode` of a notification (the API's `AssessmentRunNotificationSnsStatusCode`).
public enum SNSStatus: InspectorVocabulary {
  case success, topicDoesNotExist, accessDenied, internalError
  /// A status the documentation does not name.
  case undocumented(String)

  public static let documented: [SNSStatus] = [.success, .topicDoesNotExist, .accessDenied, .internalError]

  public var name: String {
    switch self {
    case .success: "SUCCESS"
    case .topicDoesNotExist: "TOPIC_DOES_NOT_EXIST"
    case .accessDenied: "ACCESS_DENIED"
    case .internalError: "INTERNAL_ERROR"
    case .undocumented(let name): name
    }
  }

  /// Whether the message reached its topic: every other status, undocumented ones included, is a failed delivery.
  public var isDelivered: Bool { self == .success }
}

/// A key of `findingCounts` (the API's `Severity`), in the order reports show them.
public enum Severity: InspectorVocabulary {
  case high, medium, low, informational, undefined
  /// A severity the documentation does not name.
  case undocumented(String)

  public static let documented: [Severity] = [.high, .medium, .low, .informational, .undefined]

  public var name: String {
    switch self {
    case .high: "High"
    case .medium: "Medium"
    case .low: "Low"
    case .informational: "Informational"
    case .undefined: "Undefined"
    case .undocumented(let name): name
    }
  }

  /// Whether `self` comes before `other` in reports: the documented severities in their order, then the others by
  /// name.
  func precedes(_ other: Severity) -> Bool {
    (documentedIndex ?? Int.max, name) < (other.documentedIndex ?? Int.max, other.name)
  }

  /// The documented severity `name` names regardless of case (`high`, `HIGH`).
  public init?(caseInsensitive name: String) {
    let lowercased = name.lowercased()
    guard let match = Self.documented.first(where: { $0.name.lowercased() == lowercased }) else { return nil }
    self = match
  }
}

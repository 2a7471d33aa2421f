/// Where a value came from: the input's name, its line and column, and the JSON path inside it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// The input as the user named it (`-` for standard input).
  public var file: String
  /// 1-based line of the value, or 0 when unknown.
  public var line: Int
  /// 1-based column of the value, or 0 when unknown.
  public var column: Int
  /// The JSON path of the value, e.g. `assessmentRuns[2].stateChanges[0]`.
  public var path: String

  /// Creates a location.
  public init(file: String, line: Int = 0, column: Int = 0, path: String = "") {
    self.file = file
    self.line = line
    self.column = column
    self.path = path
  }

  /// `file:line:col` (or just `file`), the form compilers print and editors jump to.
  public var description: String {
    line > 0 ? "\(file):\(line):\(column)" : file
  }
}

/// One assessment run as a snapshot recorded it: the members of `AssessmentRun` the report uses.
public struct AssessmentRun: Sendable, Hashable {
  /// The run's ARN, its identity across snapshots.
  public var arn: String
  /// The run's name.
  public var name: String
  /// The ARN of the assessment template the run belongs to.
  public var templateArn: String
  /// The `state` member as recorded.
  public var state: RunState
  /// The configured collection time (`durationInSeconds`).
  public var durationInSeconds: Int?
  /// `rulesPackageArns` and `userAttributesForFindings`, the settings of the run's template.
  var templateSettings: TemplateSettings
  /// `createdAt`.
  public var createdAt: Timestamp?
  /// `startedAt`.
  public var startedAt: Timestamp?
  /// `completedAt`.
  public var completedAt: Timestamp?
  /// `stateChangedAt`: when the snapshot's `state` was entered, the newest-snapshot key.
  public var stateChangedAt: Timestamp?
  /// `dataCollected`.
  public var dataCollected: Bool?
  /// `stateChanges` in input order.
  public var stateChanges: [StateChange]
  /// What `notifications` say.
  public var notifications: NotificationSummary
  /// `findingCounts` in input order; unknown severity keys included.
  public var findingCounts: [SeverityCount]
  /// Where the run object starts.
  public var source: SourceLocation

  /// Creates a run; members not given are absent.
  public init(
    arn: String, name: String = "", templateArn: String = "", state: RunState = .created,
    durationInSeconds: Int? = nil, rulesPackageArns: [String] = [], userAttributesForFindings: [UserAttribute] = [],
    createdAt: Timestamp? = nil, startedAt: Timestamp? = nil,
    completedAt: Timestamp? = nil, stateChangedAt: Timestamp? = nil, dataCollected: Bool? = nil,
    stateChanges: [StateChange] = [], notifications: NotificationSummary = NotificationSummary(),
    findingCounts: [SeverityCount] = [],
    source: SourceLocation = SourceLocation(file: "")
  ) {
    self.arn = arn
    self.name = name
    self.templateArn = templateArn
    self.state = state
    self.durationInSeconds = durationInSeconds
    templateSettings = .values(rulesPackageArns, userAttributesForFindings)
    self.createdAt = createdAt
    self.startedAt = startedAt
    self.completedAt = completedAt
    self.stateChangedAt = stateChangedAt
    self.dataCollected = dataCollected
    self.stateChanges = stateChanges
    self.notifications = notifications
    self.findingCounts = findingCounts
    self.source = source
  }
}

extension AssessmentRun {
  /// The rules packages the run evaluated, as its template named them (`rulesPackageArns`).
  public var rulesPackageArns: [String] { templateSettings.rulesPackageArns }
  /// The attributes its template gives every finding (`userAttributesForFindings`), in input order.
  public var userAttributesForFindings: [UserAttribute] { templateSettings.userAttributesForFindings }
}

/// A run's `rulesPackageArns` and `userAttributesForFindings`: decoded, or as the snapshot wrote them.
///
/// The decoder checks them and keeps their JSON text, which is read again only for the runs a report shows in
/// full: making their strings for every run took 1.7% more instructions for 10,000 runs, for values a report
/// shows for a tenth of them.
enum TemplateSettings: Sendable, Hashable {
  case values([String], [UserAttribute])
  /// The text of both members, `rulesPackageArns` in `packages` and `userAttributesForFindings` in
  /// `attributes`; an empty range for a member the run does not have.
  case text([UInt8], packages: Range<Int>, attributes: Range<Int>)

  var rulesPackageArns: [String] {
    switch self {
    case .values(let packages, _): packages
    case .text(let text, let packages, _):
      packages.isEmpty ? [] : SnapshotDecoder.checkedRulesPackageArns(text[packages])
    }
  }

  var userAttributesForFindings: [UserAttribute] {
    switch self {
    case .values(_, let attributes): attributes
    case .text(let text, _, let attributes):
      attributes.isEmpty ? [] : SnapshotDecoder.checkedUserAttributes(text[attributes])
    }
  }

  /// Equal when the values are, however they are kept.
  static func == (a: Self, b: Self) -> Bool {
    a.rulesPackageArns == b.rulesPackageArns && a.userAttributesForFindings == b.userAttributesForFindings
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(rulesPackageArns)
    hasher.combine(userAttributesForFindings)
  }
}

/// One entry of `userAttributesForFindings`: a key, and a value when it has one.
public struct UserAttribute: Sendable, Hashable {
  /// `key`.
  public var key: String
  /// `value`, which the service model makes optional.
  public var value: String?

  /// Creates an attribute.
  public init(key: String, value: String? = nil) {
    self.key = key
    self.value = value
  }
}

/// One entry of `stateChanges`.
public struct StateChange: Sendable, Hashable {
  /// `stateChangedAt`.
  public var at: Timestamp
  /// `state`.
  public var state: RunState

  /// Creates a state change.
  public init(at: Timestamp, state: RunState) {
    self.at = at
    self.state = state
  }
}

/// One entry of `notifications` (the SNS message body is not needed and not kept).
public struct RunNotification: Sendable, Hashable {
  /// `date`.
  public var date: Timestamp?
  /// `event`.
  public var event: NotificationEvent
  /// `error`.
  public var error: Bool
  /// `snsTopicArn`.
  public var snsTopicArn: String?
  /// `snsPublishStatusCode`.
  public var snsPublishStatusCode: SNSStatus?

  /// Creates a notification.
  public init(
    date: Timestamp?, event: NotificationEvent, error: Bool, snsTopicArn: String? = nil,
    snsPublishStatusCode: SNSStatus? = nil
  ) {
    self.date = date
    self.event = event
    self.error = error
    self.snsTopicArn = snsTopicArn
    self.snsPublishStatusCode = snsPublishStatusCode
  }
}

/// One `findingCounts` member.
public struct SeverityCount: Sendable, Hashable {
  /// The severity key.
  public var severity: Severity
  /// The count.
  public var count: Int

  /// Creates a count.
  public init(severity: Severity, count: Int) {
    self.severity = severity
    self.count = count
  }
}

/// One entry of `failedItems`: an ARN the request named that the service could not describe.
public struct FailedItem: Sendable, Hashable {
  /// The ARN (the map's key).
  public var arn: String
  /// `failureCode`, kept as written.
  public var failureCode: String
  /// `retryable`.
  public var retryable: Bool
  /// Where the entry is.
  public var source: SourceLocation

  /// Creates a failed item.
  public init(arn: String, failureCode: String, retryable: Bool, source: SourceLocation) {
    self.arn = arn
    self.failureCode = failureCode
    self.retryable = retryable
    self.source = source
  }
}

/// What one input document held: its runs and failed items.
public struct Snapshot: Sendable, Hashable {
  /// The runs, in document order.
  public var runs: [AssessmentRun]
  /// The failed items, in document order.
  public var failedItems: [FailedItem]
  /// The newest timestamp anywhere in the document, the default *now*.
  public var newestTimestamp: Timestamp?

  /// Creates a snapshot.
  public init(runs: [AssessmentRun] = [], failedItems: [FailedItem] = [], newestTimestamp: Timestamp? = nil) {
    self.runs = runs
    self.failedItems = failedItems
    self.newestTimestamp = newestTimestamp
  }
}

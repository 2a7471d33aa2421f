/// The member names and enumerated values snapshots repeat hundreds of thousands of times, handed out as
/// the program's own string constants instead of a new string for each occurrence.
///
/// Most of what a snapshot spells is one of these (every notification repeats `snsPublishStatusCode`,
/// `ASSESSMENT_RUN_STATE_CHANGED`, …); matching the bytes in place spares an allocation for each.
enum KnownStrings {
  /// The members of the response, AssessmentRun, AssessmentRunStateChange, AssessmentRunNotification and
  /// FailedItemDetails, which the decoder tells apart by case rather than by comparing strings.
  enum Member: String, CaseIterable {
    case assessmentRuns, failedItems
    case responseMetadata = "ResponseMetadata"
    case arn, name, assessmentTemplateArn, state, durationInSeconds, rulesPackageArns, userAttributesForFindings
    case createdAt, startedAt, completedAt, stateChangedAt, dataCollected, stateChanges, notifications
    case findingCounts, date, event, message, error, snsTopicArn, snsPublishStatusCode, failureCode, retryable
    case key, value
  }

  /// An object key: its text, and the member it names when it is a known one.
  struct Key {
    let text: String
    let member: Member?
    /// A bit of its own for each known name, 0 for other keys: what an object's `MemberSet` records.
    var bit: UInt64 = 0
  }

  /// The members first, so that a name's position in `all` is its member's among `members`; then each
  /// vocabulary's documented names, so that a name's position in its vocabulary's range is its place among them.
  private static let members = Member.allCases
  private static let all: [String] =
    members.map(\.rawValue) + RunState.documented.map(\.name) + NotificationEvent.documented.map(\.name)
    + SNSStatus.documented.map(\.name) + Severity.documented.map(\.name)

  /// Where each vocabulary's names are in `all`.
  private static let runStates = range(of: RunState.self, after: members.count)
  private static let events = range(of: NotificationEvent.self, after: runStates.upperBound)
  private static let statuses = range(of: SNSStatus.self, after: events.upperBound)
  private static let severities = range(of: Severity.self, after: statuses.upperBound)

  private static func range<V: InspectorVocabulary>(of _: V.Type, after start: Int) -> Range<Int> {
    start..<start + V.documented.count
  }

  /// The names' UTF-8 back to back, and where each starts: compared in place, without a call per name.
  private static let allBytes: [UInt8] = all.flatMap(\.utf8)
  private static let starts: [Int] = all.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.utf8.count) }
  private static let longest = all.map(\.utf8.count).max() ?? 0

  /// Slot `i` holds an index into `all`, or -1; placed by `slot(of:)`, probed linearly.
  private static let table: [Int] = {
    var table = [Int](repeating: -1, count: tableSize)
    for (index, name) in all.enumerated() {
      var slot = Array(name.utf8).withUnsafeBufferPointer { Self.slot(of: $0) }
      while table[slot] >= 0 { slot = (slot + 1) & (tableSize - 1) }
      table[slot] = index
    }
    return table
  }()

  private static let tableSize = 256

  /// The string `bytes` spell: a shared constant when it is a known name, else a new string.
  static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    known(bytes) ?? String(decoding: bytes, as: UTF8.self)
  }

  /// The shared constant `bytes` spell, or `nil` when they spell no known name.
  static func known(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    position(of: bytes).map { all[$0] }
  }

  /// The run state `bytes` spell.
  static func runState(_ bytes: UnsafeBufferPointer<UInt8>) -> RunState { value(bytes, in: runStates) }
  /// The notification event `bytes` spell.
  static func event(_ bytes: UnsafeBufferPointer<UInt8>) -> NotificationEvent { value(bytes, in: events) }
  /// The SNS status `bytes` spell.
  static func status(_ bytes: UnsafeBufferPointer<UInt8>) -> SNSStatus { value(bytes, in: statuses) }
  /// The severity `bytes` spell.
  static func severity(_ bytes: UnsafeBufferPointer<UInt8>) -> Severity { value(bytes, in: severities) }

  /// The value of `V` that `bytes` spell, whose documented names are at `range` of `all`.
  private static func value<V: InspectorVocabulary>(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> V {
    guard let position = position(of: bytes) else { return .undocumented(String(decoding: bytes, as: UTF8.self)) }
    return range.contains(position) ? V.documented[position - range.lowerBound] : .undocumented(all[position])
  }

  /// The object key `bytes` spell: a shared constant, with its member, when it is a known name.
  static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
    guard let position = position(of: bytes) else {
      return Key(text: String(decoding: bytes, as: UTF8.self), member: nil)
    }
    // Every known name has a bit, severities in findingCounts included: an object's keys are then told apart
    // without a list of strings (a list for findingCounts cost 2% of the instructions for 10k runs). A name past
    // the 64th would shift its bit out, to 0, and be compared as a string like an unknown key.
    let bit: UInt64 = 1 << UInt64(position)
    return Key(text: all[position], member: position < members.count ? members[position] : nil, bit: bit)
  }

  /// The position in `all` of the name `bytes` spell.
  private static func position(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress, bytes.count <= longest else { return nil }
    return allBytes.withUnsafeBufferPointer { allBytes in
      guard let names = allBytes.baseAddress else { return nil }
      var slot = slot(of: bytes)
      while true {
        let index = table[slot]
        guard index >= 0 else { return nil }
        let start = starts[index]
        if starts[index + 1] - start == bytes.count && same(base, names + start, count: bytes.count) { return index }
        slot = (slot + 1) & (tableSize - 1)
      }
    }
  }

  /// A table slot from the length and three of the bytes: enough to tell the names apart, and, unlike a hash
  /// of every byte, no chain of multiplications for each key of each run.
  @inline(__always)
  private static func slot(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let first = bytes.first, let last = bytes.last else { return 0 }
    let middle = Int(bytes[bytes.count / 2])
    return (bytes.count &* 17 &+ Int(first) &* 5 &+ Int(last) &* 3 &+ middle &* 11) & (tableSize - 1)
  }

  /// Whether `count` bytes at `a` and `b` are the same, compared eight at a time.
  @inline(__always)
  private static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
    let (left, right) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    var offset = 0
    while offset + 8 <= count {
      guard
        left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
          == right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      else { return false }
      offset += 8
    }
    while offset < count {
      guard a[offset] == b[offset] else { return false }
      offset += 1
    }
    return true
  }
}

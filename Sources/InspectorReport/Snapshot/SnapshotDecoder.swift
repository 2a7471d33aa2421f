import JSONReader

/// Decodes the JSON texts in one input into snapshots, keeping the position of every problem.
///
/// An input holds any number of texts, concatenated or one per line, each of them a
/// `describe-assessment-runs` response, a bare run object or an array of runs. The reader pulls
/// only the members the report uses and skips the rest (SNS message bodies are most of the bytes)
/// without building them.
///
/// Keeping going, a text that fails is a problem and the texts after it are still read, from the next line that
/// starts one; a run that fails, in a text that does not, is a problem and the runs beside it are still read.
struct SnapshotDecoder {
  private var reader: JSONReader
  /// The input, kept to find where a duplicate key starts.
  private let bytes: [UInt8]
  private let file: String
  private var path = JSONPath()
  private var lines: LineCounter
  private var newest: Timestamp?
  /// Lines before `bytes` in the input, when they are a part of it that starts on a line of its own.
  private let linesBefore: Int
  /// Whether a problem is kept in `problems` and decoding goes on, rather than thrown.
  private let keepGoing: Bool
  /// Every problem met while keeping going, in input order.
  private(set) var problems: [SnapshotError] = []
  /// Whether the reader threw: its state is then unknown, and only the next text can be read.
  private var readerFailed = false

  /// A decoder for `bytes`, which are the input named `file` from line `linesBefore + 1` on, that with
  /// `keepingGoing` puts each problem into `problems` and goes on.
  init(bytes: [UInt8], file: String, linesBefore: Int = 0, keepingGoing: Bool = false) {
    self.reader = JSONReader(bytes: bytes)
    self.bytes = bytes
    self.lines = LineCounter(bytes: bytes)
    self.file = file
    self.linesBefore = linesBefore
    self.keepGoing = keepingGoing
  }

  /// Decodes every text in the input; keeping going, every text and run that can be read.
  /// - Throws: `SnapshotError` at the first malformed text or member; keeping going, only when the input holds no
  ///   text at all (the others are in `problems`).
  mutating func decode() throws(SnapshotError) -> Snapshot {
    var snapshot = Snapshot()
    var documents = 0
    while !reader.isAtEnd() {
      documents += 1
      let start = reader.offset
      let (runs, failedItems, newestBefore) = (snapshot.runs.count, snapshot.failedItems.count, newest)
      do {
        try decodeDocument(into: &snapshot, index: documents)
      } catch {
        try keep(error)
        // A text that failed is left out whole: what it held before the problem may be cut short too.
        snapshot.runs.removeSubrange(runs...)
        snapshot.failedItems.removeSubrange(failedItems...)
        newest = newestBefore
        resume(afterTextAt: start)
      }
    }
    guard documents > 0 else { throw SnapshotError("the input is empty", at: location(of: reader.offset)) }
    snapshot.newestTimestamp = newest
    return snapshot
  }

  /// Adds `error` to `problems` when keeping going.
  /// - Throws: `error` when not.
  private mutating func keep(_ error: SnapshotError) throws(SnapshotError) {
    guard keepGoing else { throw error }
    problems.append(error)
  }

  /// Goes on after the text that starts at `start` failed: at the next line that starts with `{` or `[`, which in
  /// JSON Lines is the next line and in an indented document is never a line inside a text.
  private mutating func resume(afterTextAt start: Int) {
    var index = start
    var atLineStart = false
    while index < bytes.count {
      let byte = bytes[index]
      if atLineStart && Self.resumesAtLine(startingWith: byte) { break }
      atLineStart = byte == UInt8(ascii: "\n")
      index += 1
    }
    reader.resume(at: index)
    readerFailed = false
    path.pop(to: 0)
  }

  /// Whether reading goes on at a line that starts with `byte`, after a text that failed. `InputSplitter` cuts only
  /// at such lines, so that a part's decoder goes on where the whole input's would.
  static func resumesAtLine(startingWith byte: UInt8) -> Bool {
    byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")
  }

  private mutating func decodeDocument(into snapshot: inout Snapshot, index: Int) throws(SnapshotError) {
    let (kind, start) = try nextValue()
    switch kind {
    case .array:
      try decodeRunArray(into: &snapshot.runs)
    case .object:
      try decodeTopLevelObject(into: &snapshot, start: start)
    case let kind:
      throw SnapshotError(
        "expected a describe-assessment-runs response, a run or an array of runs, found \(kind.article)",
        at: location(of: start))
    }
  }

  /// A response and a bare run are both objects; which one it is shows only once its keys are read.
  private mutating func decodeTopLevelObject(into snapshot: inout Snapshot, start: Int) throws(SnapshotError) {
    var run = RunFields()
    var sawRuns = false
    var otherKeys: [String] = []
    try json { (reader) throws(JSONSyntaxError) in try reader.beginObject() }
    var seen = MemberSet()
    while let key = try nextKey(&seen) {
      switch key.member {
      case .assessmentRuns:
        sawRuns = true
        path.push(key: key.text)
        try decodeRunArray(into: &snapshot.runs)
        path.pop()
      case .failedItems:
        path.push(key: key.text)
        try decodeFailedItems(into: &snapshot.failedItems)
        path.pop()
      default:
        if try !decodeRunMember(key, into: &run) {
          otherKeys.append(key.text)
          try skip()
        }
      }
    }
    if sawRuns { return }
    if run.arn != nil {
      snapshot.runs.append(try run.build(at: recordLocation(of: start)))
      return
    }
    throw SnapshotError(
      "not a describe-assessment-runs response: " + Self.describe(keys: otherKeys), at: location(of: start))
  }

  /// Names what a rejected object looks like, so that a wrong file is recognised at once.
  static func describe(keys: [String]) -> String {
    let set = Set(keys)
    if set.contains("assessmentRunArns") { return "it looks like list-assessment-runs output (only ARNs)" }
    if set.contains("assessmentTemplates") { return "it looks like describe-assessment-templates output" }
    if set.contains("findings") || set.contains("findingArns") { return "it looks like findings, not runs" }
    if set.contains("__type") || set.contains("Error") || set.contains("errorMessage")
      || (set.contains("message") && set.count <= 3)
    {
      return "it looks like an error message"
    }
    if keys.isEmpty { return "the object is empty" }
    let shown = keys.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
    return "it has no 'assessmentRuns' or 'arn' (keys: \(shown)\(keys.count > 5 ? ", …" : ""))"
  }

  private mutating func decodeRunArray(into runs: inout [AssessmentRun]) throws(SnapshotError) {
    try expect(.array, "an array of assessment runs")
    try json { (reader) throws(JSONSyntaxError) in try reader.beginArray() }
    var index = 0
    while try json({ (reader) throws(JSONSyntaxError) in try reader.nextElement() }) {
      path.push(index: index)
      let (depth, pathDepth, newestBefore) = (reader.depth, path.depth, newest)
      do {
        runs.append(try decodeRun())
      } catch {
        // Only a run the JSON reader read without fault can be skipped to its end; a syntax error ends the text.
        guard !readerFailed else { throw error }
        try keep(error)
        newest = newestBefore
        path.pop(to: pathDepth)
        try json { (reader) throws(JSONSyntaxError) in try reader.skipRest(ofValueAtDepth: depth) }
      }
      path.pop()
      index += 1
    }
  }

  private mutating func decodeRun() throws(SnapshotError) -> AssessmentRun {
    let start = try expect(.object, "an assessment run object")
    var run = RunFields()
    try json { (reader) throws(JSONSyntaxError) in try reader.beginObject() }
    var seen = MemberSet()
    while let key = try nextKey(&seen) {
      if try !decodeRunMember(key, into: &run) { try skip() }
    }
    return try run.build(at: recordLocation(of: start))
  }

  /// Where a run or failed item is: counted forward through the input, since they come in order and there are
  /// many (counting from the start for each would read the input again for every one).
  private mutating func recordLocation(of offset: Int) -> SourceLocation {
    let (line, column) = lines.position(of: offset)
    return SourceLocation(file: file, line: linesBefore + line, column: column, path: path.description)
  }

  /// Decodes `key` if it is a run member the report uses.
  /// - Returns: `false` when the member is not one of them and is still to be skipped.
  private mutating func decodeRunMember(_ key: KnownStrings.Key, into run: inout RunFields) throws(SnapshotError)
    -> Bool
  {
    path.push(key: key.text)
    defer { path.pop() }
    switch key.member {
    case .arn: run.arn = try string()
    case .name: run.name = try optional { (d) throws(SnapshotError) in try d.string() }
    case .assessmentTemplateArn: run.templateArn = try optional { (d) throws(SnapshotError) in try d.string() }
    case .state: run.state = try vocabulary(KnownStrings.runState)
    case .durationInSeconds: run.durationInSeconds = try optional { (d) throws(SnapshotError) in try d.count() }
    case .rulesPackageArns:
      run.rulesPackageArns = try checkedText(quickly: Self.skipsStrings) { (d) throws(SnapshotError) in
        _ = try d.rulesPackageArns()
      }
    case .userAttributesForFindings:
      run.userAttributes = try checkedText(quickly: Self.skipsAttributes) { (d) throws(SnapshotError) in
        _ = try d.userAttributes()
      }
    case .createdAt: run.createdAt = try optional { (d) throws(SnapshotError) in try d.timestamp() }
    case .startedAt: run.startedAt = try optional { (d) throws(SnapshotError) in try d.timestamp() }
    case .completedAt: run.completedAt = try optional { (d) throws(SnapshotError) in try d.timestamp() }
    case .stateChangedAt: run.stateChangedAt = try optional { (d) throws(SnapshotError) in try d.timestamp() }
    case .dataCollected: run.dataCollected = try optional { (d) throws(SnapshotError) in try d.bool() }
    case .stateChanges: run.stateChanges = try array { (d) throws(SnapshotError) in try d.stateChange() }
    case .notifications: run.notifications = try notificationSummary()
    case .findingCounts: run.findingCounts = try findingCounts()
    default: return false
    }
    return true
  }

  private mutating func stateChange() throws(SnapshotError) -> StateChange {
    let start = try startOfValue()
    var at: Timestamp?
    var state: RunState?
    try members("a state change") { (d, key) throws(SnapshotError) in
      switch key.member {
      case .stateChangedAt: at = try d.timestamp()
      case .state: state = try d.vocabulary(KnownStrings.runState)
      default: return false
      }
      return true
    }
    guard let at else { throw missing("stateChangedAt", start) }
    guard let state else { throw missing("state", start) }
    return StateChange(at: at, state: state)
  }

  /// Checks the next value and returns its text: with `quick`, which reads past a value it finds right, else,
  /// from the value's start again, with `check`, which reads it as the report would and says where and what is
  /// wrong.
  ///
  /// Two checks, since the one that can say so follows the path and every key's name for a message that is
  /// almost never written, which took most of the time these values cost.
  private mutating func checkedText(
    quickly quick: (inout JSONReader) throws(JSONSyntaxError) -> Bool,
    _ check: (inout Self) throws(SnapshotError) -> Void
  ) throws(SnapshotError) -> ArraySlice<UInt8> {
    let start = try startOfValue()
    let before = reader
    if (try? quick(&reader)) == true { return bytes[start..<reader.offset] }
    reader = before
    try check(&self)
    return bytes[start..<reader.offset]
  }

  /// Whether the value ahead is `null` or an array of strings, read past it; `false`, with the reader anywhere
  /// in it, when it is not.
  private static func skipsStrings(_ reader: inout JSONReader) throws(JSONSyntaxError) -> Bool {
    try skipsArray(&reader) { (reader) throws(JSONSyntaxError) in
      guard try reader.peekKind() == .string else { return false }
      try reader.skipValue()
      return true
    }
  }

  /// Whether the value ahead is `null` or an array of attributes, each a string `key` and a string or `null`
  /// `value`, without another member, read past it; `false`, with the reader anywhere in it, when it is not.
  private static func skipsAttributes(_ reader: inout JSONReader) throws(JSONSyntaxError) -> Bool {
    try skipsArray(&reader) { (reader) throws(JSONSyntaxError) in
      guard try reader.peekKind() == .object else { return false }
      try reader.beginObject()
      var seen = (key: false, value: false)
      while let name = try reader.nextKey(matching: attributeMember) {
        switch name {
        case "key" where !seen.key: seen.key = true
        case "value" where !seen.value:
          seen.value = true
          if try reader.readNullIfPresent() { continue }
        default: return false
        }
        guard try reader.peekKind() == .string else { return false }
        try reader.skipValue()
      }
      return seen.key
    }
  }

  /// Whether the value ahead is `null` or an array whose every element `element` reads past and finds right.
  private static func skipsArray(
    _ reader: inout JSONReader, each element: (inout JSONReader) throws(JSONSyntaxError) -> Bool
  ) throws(JSONSyntaxError) -> Bool {
    if try reader.readNullIfPresent() { return true }
    guard try reader.peekKind() == .array else { return false }
    try reader.beginArray()
    while try reader.nextElement() {
      guard try element(&reader) else { return false }
    }
    return true
  }

  /// `key` and `value` as constants, anything else as the empty string, without an allocation.
  private static func attributeMember(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    func spells(_ name: StaticString) -> Bool {
      guard bytes.count == name.utf8CodeUnitCount else { return false }
      for index in 0..<bytes.count where bytes[index] != name.utf8Start[index] { return false }
      return true
    }
    if spells("key") { return "key" }
    return spells("value") ? "value" : ""
  }

  private mutating func rulesPackageArns() throws(SnapshotError) -> [String] {
    try array { (d) throws(SnapshotError) in try d.string() }
  }

  private mutating func userAttributes() throws(SnapshotError) -> [UserAttribute] {
    try array { (d) throws(SnapshotError) in try d.userAttribute() }
  }

  private mutating func userAttribute() throws(SnapshotError) -> UserAttribute {
    let start = try startOfValue()
    var key: String?
    var value: String?
    try members("an attribute") { (d, member) throws(SnapshotError) in
      switch member.member {
      case .key: key = try d.string()
      case .value: value = try d.optional { (d) throws(SnapshotError) in try d.string() }
      default: return false
      }
      return true
    }
    guard let key else { throw missing("key", start) }
    return UserAttribute(key: key, value: value)
  }

  /// The values of a `rulesPackageArns` the decoder checked.
  static func checkedRulesPackageArns(_ text: ArraySlice<UInt8>) -> [String] {
    var decoder = SnapshotDecoder(bytes: Array(text), file: "")
    return (try? decoder.rulesPackageArns()) ?? []
  }

  /// The values of a `userAttributesForFindings` the decoder checked.
  static func checkedUserAttributes(_ text: ArraySlice<UInt8>) -> [UserAttribute] {
    var decoder = SnapshotDecoder(bytes: Array(text), file: "")
    return (try? decoder.userAttributes()) ?? []
  }

  private mutating func notification() throws(SnapshotError) -> RunNotification {
    let start = try startOfValue()
    var date: Timestamp?
    var event: NotificationEvent?
    var error: Bool?
    var topic: String?
    var status: SNSStatus?
    try members("a notification") { (d, key) throws(SnapshotError) in
      switch key.member {
      case .date: date = try d.timestamp()
      case .event: event = try d.vocabulary(KnownStrings.event)
      case .error: error = try d.bool()
      case .snsTopicArn: topic = try d.optional { (d) throws(SnapshotError) in try d.string() }
      case .snsPublishStatusCode:
        status = try d.optional { (d) throws(SnapshotError) in try d.vocabulary(KnownStrings.status) }
      default: return false
      }
      return true
    }
    guard let event else { throw missing("event", start) }
    return RunNotification(
      date: date, event: event, error: error ?? false, snsTopicArn: topic, snsPublishStatusCode: status)
  }

  private mutating func notificationSummary() throws(SnapshotError) -> NotificationSummary {
    var summary = NotificationSummary()
    try each { (d) throws(SnapshotError) in summary.add(try d.notification()) }
    return summary
  }

  private mutating func findingCounts() throws(SnapshotError) -> [SeverityCount] {
    var counts: [SeverityCount] = []
    try members("a map of severities to counts") { (d, key) throws(SnapshotError) in
      counts.append(SeverityCount(severity: Severity(name: key.text), count: try d.count()))
      return true
    }
    return counts
  }

  private mutating func decodeFailedItems(into items: inout [FailedItem]) throws(SnapshotError) {
    try members("a map of ARNs to failure details") { (d, arn) throws(SnapshotError) in
      let start = try d.startOfValue()
      var code: String?
      var retryable: Bool?
      try d.members("failure details") { (d, key) throws(SnapshotError) in
        switch key.member {
        case .failureCode: code = try d.string()
        case .retryable: retryable = try d.bool()
        default: return false
        }
        return true
      }
      guard let code else { throw d.missing("failureCode", start) }
      items.append(
        FailedItem(
          arn: arn.text, failureCode: code, retryable: retryable ?? false, source: d.recordLocation(of: start)))
      return true
    }
  }

  // MARK: - Values

  private mutating func string() throws(SnapshotError) -> String {
    try expect(.string, "a string")
    var text = ""
    try json { (reader) throws(JSONSyntaxError) in try reader.readString { text = KnownStrings.string($0) } }
    return text
  }

  /// A string of a vocabulary, which `value` reads from its bytes.
  private mutating func vocabulary<V: InspectorVocabulary>(
    _ value: (UnsafeBufferPointer<UInt8>) -> V
  ) throws(SnapshotError) -> V {
    try expect(.string, "a string")
    var result: V?
    try json { (reader) throws(JSONSyntaxError) in try reader.readString { result = value($0) } }
    return result ?? .undocumented("")
  }

  private mutating func bool() throws(SnapshotError) -> Bool {
    try expect(.bool, "true or false")
    return try json { (reader) throws(JSONSyntaxError) in try reader.readBool() }
  }

  /// A count or a number of seconds: the service model types both as 32-bit integers, and the report adds them
  /// up by the hundred thousand, so anything outside that range is refused rather than allowed to overflow.
  private mutating func count() throws(SnapshotError) -> Int {
    let start = try expect(.number, "a whole number")
    var value: Int64?
    var text = ""
    try json { (reader) throws(JSONSyntaxError) in
      try reader.readNumber { bytes in
        value = JSONNumber.scaled(bytes, by: 0).flatMap { (0...Int64(Int32.max)).contains($0) ? $0 : nil }
        if value == nil { text = String(decoding: bytes, as: UTF8.self) }
      }
    }
    guard let value else {
      throw SnapshotError("expected a whole number from 0 to 2147483647, found \(text)", at: location(of: start))
    }
    return Int(value)
  }

  /// Epoch seconds as a number (AWS CLI v1), or an ISO 8601 / `str(datetime)` string (CLI v2, boto3).
  private mutating func timestamp() throws(SnapshotError) -> Timestamp {
    let (kind, start) = try nextValue()
    let value: Timestamp
    switch kind {
    case .number:
      // Read where it lies in the input, like the strings below. (A generic helper for both, taking the parser
      // as a closure, boxed `parsed` and `text` on the heap for every timestamp: 11 ms for 10k runs.)
      var parsed: Timestamp?
      var text = ""
      try json { (reader) throws(JSONSyntaxError) in
        try reader.readNumber { bytes in
          parsed = Timestamp(epochSecondsUTF8: bytes)
          if parsed == nil { text = String(decoding: bytes, as: UTF8.self) }
        }
      }
      guard let parsed else {
        throw SnapshotError(
          "\(text) is not a timestamp in epoch seconds with at most microseconds", at: location(of: start))
      }
      value = parsed
    case .string:
      // Parsed where it lies in the input; the text is only made into a string to say what is wrong with it.
      var parsed: Timestamp?
      var text = ""
      try json { (reader) throws(JSONSyntaxError) in
        try reader.readString { bytes in
          parsed = Timestamp(parsingUTF8: bytes)
          if parsed == nil { text = String(decoding: bytes, as: UTF8.self) }
        }
      }
      guard let parsed else {
        throw SnapshotError("'\(text.prefix(60))' is not an ISO 8601 timestamp", at: location(of: start))
      }
      value = parsed
    default:
      throw SnapshotError(
        "expected a timestamp (epoch seconds or an ISO 8601 string), found \(kind.article)", at: location(of: start))
    }
    if newest.map({ value > $0 }) ?? true { newest = value }
    return value
  }

  // MARK: - Structure

  /// `null` reads as an absent member: some tools write optional members that way.
  private mutating func optional<T>(_ read: (inout Self) throws(SnapshotError) -> T) throws(SnapshotError) -> T? {
    if try json({ (reader) throws(JSONSyntaxError) in try reader.readNullIfPresent() }) { return nil }
    return try read(&self)
  }

  private mutating func array<T>(_ element: (inout Self) throws(SnapshotError) -> T) throws(SnapshotError) -> [T] {
    var result: [T] = []
    try each { (d) throws(SnapshotError) in result.append(try element(&d)) }
    return result
  }

  /// Reads an array (`null` counts as empty), calling `element` for each entry with its index on the path.
  private mutating func each(_ element: (inout Self) throws(SnapshotError) -> Void) throws(SnapshotError) {
    if try json({ (reader) throws(JSONSyntaxError) in try reader.readNullIfPresent() }) { return }
    try expect(.array, "an array")
    try json { (reader) throws(JSONSyntaxError) in try reader.beginArray() }
    var index = 0
    while try json({ (reader) throws(JSONSyntaxError) in try reader.nextElement() }) {
      path.push(index: index)
      try element(&self)
      path.pop()
      index += 1
    }
  }

  /// Reads an object, handing each key to `member`, which returns `false` for keys to skip.
  private mutating func members(
    _ what: String, _ member: (inout Self, KnownStrings.Key) throws(SnapshotError) -> Bool
  ) throws(SnapshotError) {
    if try json({ (reader) throws(JSONSyntaxError) in try reader.readNullIfPresent() }) { return }
    try expect(.object, what)
    try json { (reader) throws(JSONSyntaxError) in try reader.beginObject() }
    var seen = MemberSet()
    while let key = try nextKey(&seen) {
      path.push(key: key.text)
      if try !member(&self, key) { try skip() }
      path.pop()
    }
  }

  /// The next key of the object being read: members the decoder knows come with their case, so that telling them
  /// apart compares no strings.
  /// - Parameter seen: the object's keys so far; the key is added to them.
  /// - Returns: the key, or `nil` after the object's last.
  /// - Throws: `SnapshotError` at the key when the object already has a member of that name: JSON leaves it to
  ///   the reader which one counts, and evidence must not depend on that.
  private mutating func nextKey(_ seen: inout MemberSet) throws(SnapshotError) -> KnownStrings.Key? {
    let before = reader.offset
    var member: KnownStrings.Member?
    var bit: UInt64 = 0
    let text = try json { (reader) throws(JSONSyntaxError) in
      try reader.nextKey { bytes in
        let key = KnownStrings.key(bytes)
        member = key.member
        bit = key.bit
        return key.text
      }
    }
    guard let text else { return nil }
    guard seen.insert(text, bit: bit) else {
      throw SnapshotError("duplicate member '\(text)'", at: location(of: startOfKey(after: before)))
    }
    return KnownStrings.Key(text: text, member: member, bit: bit)
  }

  /// Where the key read from `offset` on starts: past the whitespace and the comma before it.
  private func startOfKey(after offset: Int) -> Int {
    var index = offset
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ",")].contains(bytes[index]) { index += 1 }
    return index
  }

  private mutating func skip() throws(SnapshotError) {
    try json { (reader) throws(JSONSyntaxError) in try reader.skipValue() }
  }

  /// The kind of the next value, and its offset past any whitespace, where messages about the value point.
  private mutating func nextValue() throws(SnapshotError) -> (kind: JSONKind, start: Int) {
    let kind = try json { (reader) throws(JSONSyntaxError) in try reader.peekKind() }
    return (kind, reader.offset)
  }

  private mutating func startOfValue() throws(SnapshotError) -> Int {
    try nextValue().start
  }

  /// Requires the next value to be of `kind`.
  /// - Returns: where it starts.
  @discardableResult
  private mutating func expect(_ kind: JSONKind, _ what: String) throws(SnapshotError) -> Int {
    let (found, start) = try nextValue()
    guard found == kind else {
      throw SnapshotError("expected \(what), found \(found.article)", at: location(of: start))
    }
    return start
  }

  private mutating func missing(_ member: String, _ start: Int) -> SnapshotError {
    SnapshotError("'\(member)' is missing", at: location(of: start))
  }

  /// Runs one reader step, turning a syntax error into a snapshot error at the same place.
  private mutating func json<T>(_ step: (inout JSONReader) throws(JSONSyntaxError) -> T) throws(SnapshotError) -> T {
    do {
      return try step(&reader)
    } catch {
      readerFailed = true
      var place = location(of: error.position.offset)
      place.line = linesBefore + error.position.line
      place.column = error.position.column
      throw SnapshotError(error.message, at: place)
    }
  }

  private mutating func location(of offset: Int) -> SourceLocation {
    let position = reader.position(ofOffset: offset)
    return SourceLocation(
      file: file, line: linesBefore + position.line, column: position.column, path: path.description)
  }
}

/// The names of an object's members read so far: a bit for each member the decoder knows, which are nearly all
/// of them, and a list for the rest, which stays empty, and so unallocated, in most objects.
struct MemberSet {
  private var known: UInt64 = 0
  private var others: [String] = []

  /// Adds the key `text` whose bit is `bit` (0 for a name `KnownStrings` does not know).
  /// - Returns: `false` when the set already held it.
  @inline(__always)
  mutating func insert(_ text: String, bit: UInt64) -> Bool {
    guard bit == 0 else {
      defer { known |= bit }
      return known & bit == 0
    }
    return insertOther(text)
  }

  private mutating func insertOther(_ text: String) -> Bool {
    if others.contains(text) { return false }
    others.append(text)
    return true
  }
}

/// The run members read so far; `build` checks the required ones once the object is complete.
private struct RunFields {
  var arn: String?
  var name: String?
  var templateArn: String?
  var state: RunState?
  var durationInSeconds: Int?
  var rulesPackageArns: ArraySlice<UInt8> = []
  var userAttributes: ArraySlice<UInt8> = []
  var createdAt: Timestamp?
  var startedAt: Timestamp?
  var completedAt: Timestamp?
  var stateChangedAt: Timestamp?
  var dataCollected: Bool?
  var stateChanges: [StateChange]?
  var notifications = NotificationSummary()
  var findingCounts: [SeverityCount] = []

  func build(at location: SourceLocation) throws(SnapshotError) -> AssessmentRun {
    guard let arn else { throw SnapshotError("'arn' is missing", at: location) }
    guard let stateChanges else { throw SnapshotError("'stateChanges' is missing", at: location) }
    guard let state = state ?? stateChanges.max(by: { $0.at < $1.at })?.state else {
      throw SnapshotError("'state' is missing and there are no state changes", at: location)
    }
    var run = AssessmentRun(
      arn: arn, name: name ?? "", templateArn: templateArn ?? "", state: state,
      durationInSeconds: durationInSeconds, createdAt: createdAt, startedAt: startedAt, completedAt: completedAt,
      stateChangedAt: stateChangedAt, dataCollected: dataCollected, stateChanges: stateChanges,
      notifications: notifications, findingCounts: findingCounts, source: location)
    if !rulesPackageArns.isEmpty || !userAttributes.isEmpty {
      // One buffer for both: most runs have both, and each buffer is an allocation kept for the whole report.
      var text: [UInt8] = []
      text.reserveCapacity(rulesPackageArns.count + userAttributes.count)
      text += rulesPackageArns
      text += userAttributes
      run.templateSettings = .text(
        text, packages: 0..<rulesPackageArns.count, attributes: rulesPackageArns.count..<text.count)
    }
    return run
  }
}

/// Line and column of offsets, counting each byte once however many runs an input holds when the offsets come
/// in order, as they do.
private struct LineCounter {
  private let bytes: [UInt8]
  private var offset = 0
  private var line = 1
  private var lineStart = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The 1-based line and byte column of `target`; fastest when targets come in order.
  mutating func position(of target: Int) -> (line: Int, column: Int) {
    // A record read out of order (a bare run whose failed items came first) starts the count again.
    if target < offset { (offset, line, lineStart) = (0, 1, 0) }
    bytes.withUnsafeBufferPointer { bytes in
      // Every input byte passes through here once: newlines are counted 16 bytes a step, in 16 counters of a
      // byte each, emptied before they can overflow; the last line start is then found walking back.
      let raw = UnsafeRawBufferPointer(bytes)
      let newline = SIMD16<UInt8>(repeating: UInt8(ascii: "\n"))
      var newlines = 0
      var index = offset
      while index + 16 <= target {
        var counters = SIMD16<UInt8>()
        var steps = 0
        while steps < 255 && index + 16 <= target {
          let block = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
          counters &+= SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: block .== newline)
          index += 16
          steps += 1
        }
        newlines += Int(SIMD16<UInt16>(truncatingIfNeeded: counters).wrappedSum())
      }
      while index < target {
        if bytes[index] == UInt8(ascii: "\n") { newlines += 1 }
        index += 1
      }
      if newlines > 0 {
        line += newlines
        index = target - 1
        while bytes[index] != UInt8(ascii: "\n") { index -= 1 }
        lineStart = index + 1
      }
      offset = target
    }
    return (line, target - lineStart + 1)
  }
}

/// The JSON path of the value being read, kept as a stack so that errors can name it.
struct JSONPath: CustomStringConvertible {
  private enum Component {
    case key(String)
    case index(Int)
  }
  private var components: [Component] = []

  mutating func push(key: String) { components.append(.key(key)) }
  mutating func push(index: Int) { components.append(.index(index)) }
  mutating func pop() { components.removeLast() }

  /// How many keys and indices the path has.
  var depth: Int { components.count }

  /// Drops the keys and indices after the first `depth`.
  mutating func pop(to depth: Int) { components.removeLast(components.count - depth) }

  var description: String {
    var text = ""
    for component in components {
      switch component {
      case .key(let key):
        let plain = !key.isEmpty && key.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 < 0x80 && isAlnum($0)) }
        if plain {
          text += text.isEmpty ? key : "." + key
        } else {
          text += "[\"\(key.replacing("\"", with: "\\\""))\"]"
        }
      case .index(let index):
        text += "[\(index)]"
      }
    }
    return text
  }

  private func isAlnum(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }
}

extension JSONKind {
  /// The kind as a phrase for messages: `an object`, `a string`.
  var article: String {
    switch self {
    case .object: "an object"
    case .array: "an array"
    case .string: "a string"
    case .number: "a number"
    case .bool: "true or false"
    case .null: "null"
    }
  }
}

/// A strict RFC 8259 pull reader over UTF-8 bytes holding one or more JSON texts (concatenated or JSON Lines).
///
/// Read one text with the `read…`, `begin…` and `next…` calls, then check `isAtEnd()`; for a stream, loop
/// `while !reader.isAtEnd() { … }`. Texts may follow each other with any whitespace or none (`{}{}`, `[1][2]`),
/// but a number or literal must not be glued to a letter, digit, `.`, `+` or `-` (`1 2` is two texts, `1-2` is an
/// error). Every violation throws a `JSONSyntaxError` naming the line and column of the offending byte; after an
/// error the reader's state is unspecified until `resume(at:)`. The reader checks its own call protocol too:
/// reading a value where a key or element must be asked for first throws an "API misuse" error instead of
/// accepting invalid JSON.
///
/// Lone surrogate escapes (`"\ud800"` without a low surrogate after it) become U+FFFD. Duplicate keys are passed on
/// as they come. A leading UTF-8 byte order mark is skipped.
public struct JSONReader: Sendable {
  /// The nesting depth allowed unless another is given.
  public static let defaultMaximumDepth = 512

  /// The input; shared with the caller's array, never copied.
  private let bytes: [UInt8]
  /// The byte offset of the next unread byte (possibly whitespace before the next token).
  public private(set) var offset: Int
  /// The most arrays and objects that may be open at once; deeper input throws instead of exhausting the stack.
  public let maximumDepth: Int
  /// How many containers the pull calls have opened and not yet closed.
  private var openContainers = 0
  /// A bit per open container, set for objects: which closer `nextKey`/`nextElement` may accept.
  private var objectBits: [UInt64] = []
  private var expectation = Expectation.value

  /// What the call protocol allows next.
  private enum Expectation {
    /// A value: at the top level, after a key, or after `nextElement()` returned true.
    case value
    /// The first key or element of the container just opened, or its end.
    case firstMember
    /// The next key or element of the innermost container, or its end.
    case nextMember
  }

  /// Creates a reader over `bytes`, skipping a leading UTF-8 byte order mark.
  /// - Parameters:
  ///   - bytes: UTF-8 input; the array's storage is shared, not copied.
  ///   - maximumDepth: The most arrays and objects that may be open at once (at least 1).
  public init(bytes: [UInt8], maximumDepth: Int = JSONReader.defaultMaximumDepth) {
    self.bytes = bytes
    self.maximumDepth = max(1, maximumDepth)
    offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
  }

  // MARK: Position

  /// The position of the next token (after any whitespace), computed from the offset on demand.
  public var position: JSONPosition {
    bytes.withUnsafeBufferPointer { buffer in
      var scanner = makeScanner(buffer)
      scanner.skipWhitespace()
      return JSONPosition(offset: scanner.index, in: buffer)
    }
  }

  /// The line and column of a byte offset in this reader's input.
  public func position(ofOffset offset: Int) -> JSONPosition {
    bytes.withUnsafeBufferPointer { JSONPosition(offset: offset, in: $0) }
  }

  // MARK: Texts

  /// Skips whitespace; true when nothing else remains.
  public mutating func isAtEnd() -> Bool {
    offset = bytes.withUnsafeBufferPointer { buffer in
      var scanner = makeScanner(buffer)
      scanner.skipWhitespace()
      return scanner.index
    }
    return offset == bytes.count
  }

  /// Requires that only whitespace remains and no container is left open.
  /// - Throws: `JSONSyntaxError` naming the first byte after the text.
  public mutating func expectEnd() throws(JSONSyntaxError) {
    guard openContainers == 0 else { throw misuse("expectEnd() called inside an open container") }
    guard isAtEnd() else {
      throw bytes.withUnsafeBufferPointer { buffer in
        let scanner = makeScanner(buffer)
        return scanner.error(
          "expected end of input after JSON text, found \(scanner.describeByte(at: offset))", at: offset)
      }
    }
  }

  /// The kind of the next value, without consuming it.
  /// - Throws: `JSONSyntaxError` if no value starts there.
  public mutating func peekKind() throws(JSONSyntaxError) -> JSONKind {
    try requireValueExpected("peekKind()")
    let (kind, next) = try scan { (scanner) throws(JSONSyntaxError) in try scanner.peekKind() }
    offset = next
    return kind
  }

  // MARK: Objects

  /// Consumes the `{` that starts an object; follow with `nextKey()` until it returns nil.
  /// - Throws: `JSONSyntaxError` if the next value is not an object or the depth limit is reached.
  public mutating func beginObject() throws(JSONSyntaxError) {
    try requireValueExpected("beginObject()")
    (_, offset) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.openContainer(ASCII.openBrace, expected: "an object")
    }
    pushContainer(isObject: true)
  }

  /// The next key of the innermost object, unescaped, with its `:` consumed; nil once the closing `}` is consumed.
  ///
  /// After a key, read or skip exactly one value before calling this again.
  /// - Throws: `JSONSyntaxError` for a missing `,`, `:` or `}`, a trailing comma, or a malformed key.
  public mutating func nextKey() throws(JSONSyntaxError) -> String? {
    try nextKey { String(decoding: $0, as: UTF8.self) }
  }

  /// Like `nextKey()`, but the key's unescaped UTF-8 goes to `match`, which returns the string to use for it.
  ///
  /// For callers that know most keys: `match` can return a constant for them, so they cost no allocation.
  /// - Returns: what `match` returned, or nil once the closing `}` is consumed.
  /// - Throws: `JSONSyntaxError` for a missing `,`, `:` or `}`, a trailing comma, or a malformed key.
  public mutating func nextKey(
    matching match: (UnsafeBufferPointer<UInt8>) -> String
  ) throws(JSONSyntaxError) -> String? {
    guard openContainers > 0, innermostIsObject else { throw misuse("nextKey() called outside an object") }
    guard expectation != .value else { throw misuse("nextKey() called before the previous member's value was read") }
    let isFirst = expectation == .firstMember
    let (key, next) = try scan { (scanner) throws(JSONSyntaxError) -> String? in
      try scanner.nextMember(isFirst: isFirst) ? scanner.withKeyBytes(match) : nil
    }
    offset = next
    if key == nil {
      popContainer()
    } else {
      expectation = .value
    }
    return key
  }

  // MARK: Arrays

  /// Consumes the `[` that starts an array; follow with `nextElement()` until it returns false.
  /// - Throws: `JSONSyntaxError` if the next value is not an array or the depth limit is reached.
  public mutating func beginArray() throws(JSONSyntaxError) {
    try requireValueExpected("beginArray()")
    (_, offset) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.openContainer(ASCII.openBracket, expected: "an array")
    }
    pushContainer(isObject: false)
  }

  /// Moves to the next element of the innermost array: true if one follows, false once the `]` is consumed.
  ///
  /// After true, read or skip exactly one value before calling this again.
  /// - Throws: `JSONSyntaxError` for a missing `,` or `]`, or a trailing comma.
  public mutating func nextElement() throws(JSONSyntaxError) -> Bool {
    guard openContainers > 0, !innermostIsObject else { throw misuse("nextElement() called outside an array") }
    guard expectation != .value else {
      throw misuse("nextElement() called before the previous element was read")
    }
    let isFirst = expectation == .firstMember
    let (hasElement, next) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.nextElement(isFirst: isFirst)
    }
    offset = next
    if hasElement {
      expectation = .value
    } else {
      popContainer()
    }
    return hasElement
  }

  // MARK: Scalars

  /// Reads a string, unescaped.
  /// - Throws: `JSONSyntaxError` if the next value is not a valid string.
  public mutating func readString() throws(JSONSyntaxError) -> String {
    try requireValueExpected("readString()")
    let (text, next) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.expectValueStart(.string)
      return try scanner.readStringAtQuote()
    }
    finishValue(at: next)
    return text
  }

  /// Reads a string and hands its unescaped UTF-8 to `body`, building a `String` only when it has escapes.
  ///
  /// Not generic, so that it is compiled here for callers in other modules rather than run through witnesses.
  /// - Throws: `JSONSyntaxError` if the next value is not a valid string.
  public mutating func readString(bytes body: (UnsafeBufferPointer<UInt8>) -> Void) throws(JSONSyntaxError) {
    try requireValueExpected("readString(bytes:)")
    let (_, next) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.expectValueStart(.string)
      try scanner.withStringBytesAtQuote(body)
    }
    finishValue(at: next)
  }

  /// Reads a number, validated against RFC 8259 and kept as written.
  /// - Throws: `JSONSyntaxError` if the next value is not a valid number.
  public mutating func readNumber() throws(JSONSyntaxError) -> JSONNumber {
    try requireValueExpected("readNumber()")
    let (number, next) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.expectValueStart(.number)
      return try scanner.readNumberAtStart()
    }
    finishValue(at: next)
    return number
  }

  /// Reads a number and hands its validated text to `body`, making no `String` of it.
  ///
  /// For callers that convert it at once, with `JSONNumber.scaled(_:by:)` say.
  /// - Throws: `JSONSyntaxError` if the next value is not a valid number.
  public mutating func readNumber(bytes body: (UnsafeBufferPointer<UInt8>) -> Void) throws(JSONSyntaxError) {
    try requireValueExpected("readNumber(bytes:)")
    let (_, next) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.expectValueStart(.number)
      let start = scanner.index
      _ = try scanner.scanNumberAtStart()
      body(UnsafeBufferPointer(rebasing: scanner.bytes[start..<scanner.index]))
    }
    finishValue(at: next)
  }

  /// Reads `true` or `false`.
  /// - Throws: `JSONSyntaxError` if the next value is not a boolean.
  public mutating func readBool() throws(JSONSyntaxError) -> Bool {
    try requireValueExpected("readBool()")
    let (flag, next) = try scan { (scanner) throws(JSONSyntaxError) -> Bool in
      switch try scanner.valueStart() {
      case ASCII.lowercaseT:
        try scanner.consumeLiteral("true")
        return true
      case ASCII.lowercaseF:
        try scanner.consumeLiteral("false")
        return false
      default:
        throw scanner.unexpected(expected: "true or false", at: scanner.index)
      }
    }
    finishValue(at: next)
    return flag
  }

  /// Reads `null`.
  /// - Throws: `JSONSyntaxError` if the next value is not `null`.
  public mutating func readNull() throws(JSONSyntaxError) {
    try requireValueExpected("readNull()")
    (_, offset) = try scan { (scanner) throws(JSONSyntaxError) in
      try scanner.expectValueStart(.null)
      try scanner.consumeLiteral("null")
    }
    finishValue(at: offset)
  }

  /// Consumes a `null` if one comes next; otherwise consumes nothing but whitespace.
  /// - Returns: Whether a `null` was consumed.
  /// - Throws: `JSONSyntaxError` if the next value starts like `null` but is not.
  public mutating func readNullIfPresent() throws(JSONSyntaxError) -> Bool {
    try requireValueExpected("readNullIfPresent()")
    let (found, next) = try scan { (scanner) throws(JSONSyntaxError) -> Bool in
      scanner.skipWhitespace()
      guard scanner.currentByte == ASCII.lowercaseN else { return false }
      try scanner.consumeLiteral("null")
      return true
    }
    offset = next
    if found { finishValue(at: next) }
    return found
  }

  // MARK: Whole values

  /// Skips the next value, validating all of it without allocating.
  /// - Throws: `JSONSyntaxError` for the first violation inside it.
  public mutating func skipValue() throws(JSONSyntaxError) {
    try requireValueExpected("skipValue()")
    (_, offset) = try scan { (scanner) throws(JSONSyntaxError) in try scanner.skipValue() }
    finishValue(at: offset)
  }

  /// Reads the next value as a tree.
  /// - Throws: `JSONSyntaxError` for the first violation inside it.
  public mutating func readValue() throws(JSONSyntaxError) -> JSONValue {
    try requireValueExpected("readValue()")
    let (value, next) = try scan { (scanner) throws(JSONSyntaxError) in try scanner.readValue() }
    finishValue(at: next)
    return value
  }

  // MARK: Recovery

  /// How many arrays and objects are open: what `skipRest(ofValueAtDepth:)` takes.
  public var depth: Int { openContainers }

  /// Skips what is still unread of a value inside a container, so that the container's next key or element can be
  /// asked for: after a value its caller found wrong (not the JSON), to go on with the values beside it.
  /// - Parameter depth: `depth` when the value was next, at least 1 (a top-level text is left with `resume(at:)`).
  /// - Throws: `JSONSyntaxError` for the first violation in what is skipped.
  public mutating func skipRest(ofValueAtDepth depth: Int) throws(JSONSyntaxError) {
    guard depth > 0, openContainers >= depth else { throw misuse("skipRest(ofValueAtDepth:) outside that depth") }
    while true {
      if expectation == .value { try skipValue() }
      guard openContainers > depth else { return }
      if innermostIsObject {
        while try nextKey(matching: { _ in "" }) != nil { try skipValue() }
      } else {
        while try nextElement() { try skipValue() }
      }
    }
  }

  /// Drops the text being read, whatever its state, and goes on from `offset`, where the next text is to start:
  /// after an error in one line of JSON Lines, to read the lines after it.
  public mutating func resume(at offset: Int) {
    self.offset = Swift.min(Swift.max(offset, 0), bytes.count)
    openContainers = 0
    expectation = .value
  }

  // MARK: Plumbing

  private func makeScanner(_ buffer: UnsafeBufferPointer<UInt8>) -> JSONScanner {
    JSONScanner(bytes: buffer, index: offset, maximumDepth: maximumDepth, openContainers: openContainers)
  }

  /// Runs `body` on a scanner at the current offset; returns its result and where it stopped.
  ///
  /// Returning the new offset, rather than assigning it inside the closure, keeps the buffer access and the
  /// mutation of `self` from overlapping.
  @inline(__always)
  private func scan<Result>(
    _ body: (inout JSONScanner) throws(JSONSyntaxError) -> Result
  ) throws(JSONSyntaxError) -> (Result, Int) {
    try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> (Result, Int) in
      var scanner = makeScanner(buffer)
      let result = try body(&scanner)
      return (result, scanner.index)
    }
  }

  @inline(__always)
  private func requireValueExpected(_ operation: StaticString) throws(JSONSyntaxError) {
    guard expectation == .value else {
      let next = innermostIsObject ? "nextKey()" : "nextElement()"
      throw misuse("\(operation) called where \(next) must come first")
    }
  }

  @inline(never)
  private func misuse(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(position: position, message: "API misuse: " + message)
  }

  private mutating func finishValue(at next: Int) {
    offset = next
    expectation = openContainers == 0 ? .value : .nextMember
  }

  private var innermostIsObject: Bool {
    guard openContainers > 0 else { return false }
    let top = openContainers - 1
    return objectBits[top >> 6] & (1 << UInt64(top & 63)) != 0
  }

  private mutating func pushContainer(isObject: Bool) {
    let word = openContainers >> 6
    if word == objectBits.count { objectBits.append(0) }
    let bit: UInt64 = 1 << UInt64(openContainers & 63)
    if isObject {
      objectBits[word] |= bit
    } else {
      objectBits[word] &= ~bit
    }
    openContainers += 1
    expectation = .firstMember
  }

  private mutating func popContainer() {
    openContainers -= 1
    expectation = openContainers == 0 ? .value : .nextMember
  }
}

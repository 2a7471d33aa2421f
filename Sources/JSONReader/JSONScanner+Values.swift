extension JSONScanner {
  // MARK: Scalars

  /// Consumes `"`-started, number, `true`, `false` or `null` text at the index without building a value.
  @inline(__always)
  mutating func skipScalar(startingWith byte: UInt8) throws(JSONSyntaxError) {
    switch byte {
    case ASCII.quote: _ = try scanStringAtQuote()
    case ASCII.minus, ASCII.zero...ASCII.nine: _ = try scanNumberAtStart()
    case ASCII.lowercaseT: try consumeLiteral("true")
    case ASCII.lowercaseF: try consumeLiteral("false")
    case ASCII.lowercaseN: try consumeLiteral("null")
    default: throw unexpected(expected: "a value", at: index)
    }
  }

  /// Reads the scalar at the index as a tree node.
  @inline(__always)
  mutating func readScalar(startingWith byte: UInt8) throws(JSONSyntaxError) -> JSONValue {
    switch byte {
    case ASCII.quote: return .string(try readStringAtQuote())
    case ASCII.minus, ASCII.zero...ASCII.nine: return .number(try readNumberAtStart())
    case ASCII.lowercaseT:
      try consumeLiteral("true")
      return .bool(true)
    case ASCII.lowercaseF:
      try consumeLiteral("false")
      return .bool(false)
    case ASCII.lowercaseN:
      try consumeLiteral("null")
      return .null
    default: throw unexpected(expected: "a value", at: index)
    }
  }

  /// Skips whitespace and returns the first byte of the value there, or throws at the end of input.
  @inline(__always)
  mutating func valueStart() throws(JSONSyntaxError) -> UInt8 {
    skipWhitespace()
    guard index < end else { throw unexpected(expected: "a value", at: index) }
    return bytes[index]
  }

  /// The kind of the value at the next token, without consuming it.
  mutating func peekKind() throws(JSONSyntaxError) -> JSONKind {
    guard let kind = Self.kind(startingWith: try valueStart()) else {
      throw unexpected(expected: "a value", at: index)
    }
    return kind
  }

  /// Skips whitespace and fails, naming `kind`, unless a value of that kind starts there; consumes nothing else.
  @inline(__always)
  mutating func expectValueStart(_ kind: JSONKind) throws(JSONSyntaxError) {
    guard Self.kind(startingWith: try valueStart()) == kind else {
      throw unexpected(expected: kind.description, at: index)
    }
  }

  /// The kind of value that `byte` starts, if any.
  @inline(__always)
  static func kind(startingWith byte: UInt8) -> JSONKind? {
    switch byte {
    case ASCII.openBrace: .object
    case ASCII.openBracket: .array
    case ASCII.quote: .string
    case ASCII.minus, ASCII.zero...ASCII.nine: .number
    case ASCII.lowercaseT, ASCII.lowercaseF: .bool
    case ASCII.lowercaseN: .null
    default: nil
    }
  }

  /// Skips whitespace and consumes `open`, the start of a container, checking the depth limit.
  mutating func openContainer(_ open: UInt8, expected: String) throws(JSONSyntaxError) {
    guard try valueStart() == open else { throw unexpected(expected: expected, at: index) }
    guard remainingDepth > 0 else { throw depthExceeded(at: index) }
    index &+= 1
  }

  @inline(never)
  func depthExceeded(at offset: Int) -> JSONSyntaxError {
    error("nesting depth exceeds the limit of \(maximumDepth)", at: offset)
  }

  // MARK: Container punctuation

  /// Moves to the next member of an object, past `,` unless it is the first: true with the index at the key's quote,
  /// or false once the closing `}` has been consumed.
  @inline(__always)
  mutating func nextMember(isFirst: Bool) throws(JSONSyntaxError) -> Bool {
    skipWhitespace()
    guard index < end else {
      throw unexpected(expected: isFirst ? "a string key or '}'" : "',' or '}' after object member", at: index)
    }
    let byte = bytes[index]
    if byte == ASCII.quote && isFirst { return true }
    if byte == ASCII.closeBrace {
      index &+= 1
      return false
    }
    guard !isFirst else { throw unexpected(expected: "a string key or '}'", at: index) }
    guard byte == ASCII.comma else { throw unexpected(expected: "',' or '}' after object member", at: index) }
    index &+= 1
    skipWhitespace()
    guard index < end, bytes[index] == ASCII.quote else {
      if index < end && bytes[index] == ASCII.closeBrace {
        throw error("expected a string key after ',', found '}' (trailing commas are not allowed)", at: index)
      }
      throw unexpected(expected: "a string key after ','", at: index)
    }
    return true
  }

  /// Consumes the `:` after a key.
  @inline(__always)
  mutating func consumeColon() throws(JSONSyntaxError) {
    skipWhitespace()
    guard index < end, bytes[index] == ASCII.colon else {
      throw unexpected(expected: "':' after object key", at: index)
    }
    index &+= 1
  }

  /// Reads the key at the index (its quote) and the colon after it.
  @inline(__always)
  mutating func readKey() throws(JSONSyntaxError) -> String {
    let key = try readStringAtQuote()
    try consumeColon()
    return key
  }

  /// Hands the key at the index (its quote) to `body` as unescaped UTF-8, and consumes the colon after it.
  @inline(__always)
  mutating func withKeyBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) throws(JSONSyntaxError) -> T {
    let result = try withStringBytesAtQuote(body)
    try consumeColon()
    return result
  }

  /// Skips the key at the index (its quote) and the colon after it.
  @inline(__always)
  mutating func skipKey() throws(JSONSyntaxError) {
    _ = try scanStringAtQuote()
    try consumeColon()
  }

  /// Moves to the next element of an array, past `,` unless it is the first: true with the index at the element,
  /// or false once the closing `]` has been consumed.
  @inline(__always)
  mutating func nextElement(isFirst: Bool) throws(JSONSyntaxError) -> Bool {
    skipWhitespace()
    guard index < end else {
      throw unexpected(expected: isFirst ? "a value or ']'" : "',' or ']' after array element", at: index)
    }
    let byte = bytes[index]
    if byte == ASCII.closeBracket {
      index &+= 1
      return false
    }
    if isFirst { return true }
    guard byte == ASCII.comma else { throw unexpected(expected: "',' or ']' after array element", at: index) }
    index &+= 1
    skipWhitespace()
    if index < end && bytes[index] == ASCII.closeBracket {
      throw error("expected a value after ',', found ']' (trailing commas are not allowed)", at: index)
    }
    return true
  }

  // MARK: Whole values

  /// Validates and skips one value, containers included, without allocating.
  ///
  /// Iterative rather than recursive so that no input can overflow the stack; which open containers are objects is
  /// kept as a bit stack in a temporary (stack-allocated for any sensible depth limit) buffer.
  mutating func skipValue() throws(JSONSyntaxError) {
    let first = try valueStart()
    guard first == ASCII.openBrace || first == ASCII.openBracket else {
      try skipScalar(startingWith: first)
      return
    }
    let words = max(1, (remainingDepth &+ 63) / 64)
    try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { (objectBits) throws(JSONSyntaxError) in
      objectBits.initialize(repeating: 0)
      try skipContainer(objectBits: objectBits)
    }
  }

  private mutating func skipContainer(objectBits: UnsafeMutableBufferPointer<UInt64>) throws(JSONSyntaxError) {
    var depth = 0
    var expectingValue = true
    while true {
      if expectingValue {
        let byte = try valueStart()
        guard byte == ASCII.openBrace || byte == ASCII.openBracket else {
          try skipScalar(startingWith: byte)
          expectingValue = false
          continue
        }
        guard depth < remainingDepth else { throw depthExceeded(at: index) }
        let bit: UInt64 = 1 &<< UInt64(depth & 63)
        index &+= 1
        if byte == ASCII.openBrace {
          objectBits[depth &>> 6] |= bit
          if try nextMember(isFirst: true) {
            try skipKey()
            depth &+= 1
          } else {
            expectingValue = false
          }
        } else {
          objectBits[depth &>> 6] &= ~bit
          if try nextElement(isFirst: true) {
            depth &+= 1
          } else {
            expectingValue = false
          }
        }
      } else {
        if depth == 0 { return }
        let top = depth &- 1
        if objectBits[top &>> 6] & (1 &<< UInt64(top & 63)) != 0 {
          if try nextMember(isFirst: false) {
            try skipKey()
            expectingValue = true
          } else {
            depth = top
          }
        } else {
          if try nextElement(isFirst: false) {
            expectingValue = true
          } else {
            depth = top
          }
        }
      }
    }
  }

  /// One open container while building a tree: where its elements (and keys) start in the shared buffers.
  private struct OpenContainer {
    var isObject: Bool
    var valueStart: Int
    var keyStart: Int
  }

  /// Reads one value as a tree.
  ///
  /// Iterative for the same reason as `skipValue`; the children of all open containers share two buffers, so each
  /// finished container is copied out once instead of being grown inside an enum payload.
  mutating func readValue() throws(JSONSyntaxError) -> JSONValue {
    var open: [OpenContainer] = []
    var values: [JSONValue] = []
    var keys: [String] = []
    while true {
      var value: JSONValue
      let byte = try valueStart()
      if byte == ASCII.openBrace || byte == ASCII.openBracket {
        guard open.count < remainingDepth else { throw depthExceeded(at: index) }
        index &+= 1
        let isObject = byte == ASCII.openBrace
        if try isObject ? nextMember(isFirst: true) : nextElement(isFirst: true) {
          open.append(OpenContainer(isObject: isObject, valueStart: values.count, keyStart: keys.count))
          if isObject { keys.append(try readKey()) }
          continue
        }
        value = isObject ? .object([]) : .array([])
      } else {
        value = try readScalar(startingWith: byte)
      }
      // Hand the finished value to its container, and close every container that ends right after it.
      while let container = open.last {
        values.append(value)
        if try container.isObject ? nextMember(isFirst: false) : nextElement(isFirst: false) {
          if container.isObject { keys.append(try readKey()) }
          break
        }
        open.removeLast()
        value = Self.close(container, values: &values, keys: &keys)
      }
      if open.isEmpty { return value }
    }
  }

  private static func close(
    _ container: OpenContainer, values: inout [JSONValue], keys: inout [String]
  ) -> JSONValue {
    defer {
      values.removeSubrange(container.valueStart...)
      keys.removeSubrange(container.keyStart...)
    }
    guard container.isObject else { return .array(Array(values[container.valueStart...])) }
    var members: [JSONMember] = []
    members.reserveCapacity(values.count - container.valueStart)
    for (key, value) in zip(keys[container.keyStart...], values[container.valueStart...]) {
      members.append(JSONMember(key: key, value: value))
    }
    return .object(members)
  }
}

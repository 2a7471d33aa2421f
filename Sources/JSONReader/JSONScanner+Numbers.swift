extension JSONScanner {
  /// Reads the number at the index, which must be a `-` or a digit.
  @inline(__always)
  mutating func readNumberAtStart() throws(JSONSyntaxError) -> JSONNumber {
    let start = index
    let isInteger = try scanNumberAtStart()
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    return JSONNumber(validatedText: text, isInteger: isInteger)
  }

  /// Validates the number at the index against RFC 8259's grammar and moves past it.
  ///
  /// - Returns: Whether the number has neither a fraction nor an exponent.
  @inline(__always)
  mutating func scanNumberAtStart() throws(JSONSyntaxError) -> Bool {
    var i = index
    if bytes[i] == ASCII.minus {
      i &+= 1
    }
    guard i < end, Self.isDigit(bytes[i]) else {
      throw unexpected(expected: "a digit after '-'", at: i)
    }
    if bytes[i] == ASCII.zero {
      i &+= 1
      if i < end && Self.isDigit(bytes[i]) {
        throw error("leading zeros are not allowed in numbers", at: i)
      }
    } else {
      i = skipDigits(from: i &+ 1)
    }
    var isInteger = true
    if i < end && bytes[i] == ASCII.period {
      isInteger = false
      i &+= 1
      guard i < end, Self.isDigit(bytes[i]) else { throw unexpected(expected: "a digit after '.'", at: i) }
      i = skipDigits(from: i &+ 1)
    }
    if i < end && (bytes[i] | 0x20) == ASCII.lowercaseE {
      isInteger = false
      i &+= 1
      if i < end && (bytes[i] == ASCII.plus || bytes[i] == ASCII.minus) {
        i &+= 1
      }
      guard i < end, Self.isDigit(bytes[i]) else { throw unexpected(expected: "a digit in the exponent", at: i) }
      i = skipDigits(from: i &+ 1)
    }
    index = i
    if isGluedToScalar {
      throw error("unexpected \(describeByte(at: i)) after number", at: i)
    }
    return isInteger
  }

  @inline(__always)
  static func isDigit(_ byte: UInt8) -> Bool {
    byte &- ASCII.zero < 10
  }

  @inline(__always)
  func skipDigits(from start: Int) -> Int {
    var i = start
    while i < end && Self.isDigit(bytes[i]) {
      i &+= 1
    }
    return i
  }
}

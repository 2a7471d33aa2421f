extension JSONScanner {
  /// Where a scanned string's content lies, between its quotes.
  struct StringSpan {
    var start: Int
    var end: Int
    var hasEscapes: Bool
  }

  /// Reads the string at the index, which must be its opening quote.
  @inline(__always)
  mutating func readStringAtQuote() throws(JSONSyntaxError) -> String {
    let span = try scanStringAtQuote()
    if !span.hasEscapes {
      // Already validated as UTF-8, so this is one copy with no repair.
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]), as: UTF8.self)
    }
    return unescape(span)
  }

  /// Reads the string at the index (its opening quote) and hands its unescaped UTF-8 to `body`, building a
  /// `String` only when the text has escapes.
  @inline(__always)
  mutating func withStringBytesAtQuote<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) throws(JSONSyntaxError) -> T {
    let span = try scanStringAtQuote()
    if !span.hasEscapes {
      return body(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
    }
    var text = unescape(span)
    return text.withUTF8(body)
  }

  /// Validates the string at the index (its opening quote) without building it, and moves past the closing quote.
  ///
  /// Checks escapes, control characters and UTF-8 in one pass so that skipping and reading accept the same texts.
  @inline(__always)
  mutating func scanStringAtQuote() throws(JSONSyntaxError) -> StringSpan {
    let start = index &+ 1
    var i = start
    var hasEscapes = false
    while true {
      i = firstSpecialStringByte(from: i)
      guard i < end else { throw error("unterminated string, found end of input", at: end) }
      let byte = bytes[i]
      if byte == ASCII.quote {
        index = i &+ 1
        return StringSpan(start: start, end: i, hasEscapes: hasEscapes)
      }
      if byte == ASCII.backslash {
        hasEscapes = true
        i = try scanEscape(at: i)
      } else if byte < ASCII.space {
        throw error("control character \(describeByte(at: i)) must be escaped in a string", at: i)
      } else {
        i = try scanUTF8Sequence(at: i)
      }
    }
  }

  /// The index of the first `"`, `\`, control or non-ASCII byte at or after `start`, or `end`.
  @inline(__always)
  func firstSpecialStringByte(from start: Int) -> Int {
    var i = start
    let raw = UnsafeRawBufferPointer(bytes)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highBits: UInt64 = 0x8080_8080_8080_8080
    while i &+ 8 <= end {
      // Eight bytes per step: the classic "has zero byte" tricks flag quotes, backslashes and bytes below 0x20, and
      // the high bit flags non-ASCII. The lowest flagged byte is always exact, since a false flag can only come from
      // a borrow out of a lower, truly flagged byte.
      let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      let quotes = word ^ (ones &* UInt64(ASCII.quote))
      let backslashes = word ^ (ones &* UInt64(ASCII.backslash))
      let flags =
        ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
        | ((word &- ones &* UInt64(ASCII.space)) & ~word) | word
      let special = flags & highBits
      if special != 0 {
        return i &+ (special.trailingZeroBitCount &>> 3)
      }
      i &+= 8
    }
    while i < end {
      let byte = bytes[i]
      if byte == ASCII.quote || byte == ASCII.backslash || byte < ASCII.space || byte >= 0x80 { return i }
      i &+= 1
    }
    return i
  }

  /// Validates the escape whose backslash is at `i` and returns the index after it.
  ///
  /// Inlined into the string scans: SNS message bodies are JSON inside JSON strings, an escaped quote every few
  /// bytes, and a call for each was half the time of skipping them.
  @inline(__always)
  mutating func scanEscape(at i: Int) throws(JSONSyntaxError) -> Int {
    let letter = i &+ 1
    guard letter < end else { throw error("unterminated string, found end of input", at: end) }
    switch bytes[letter] {
    case ASCII.quote, ASCII.backslash, ASCII.slash, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
      return letter &+ 1
    case ASCII.lowercaseU:
      for digit in letter &+ 1...letter &+ 4 {
        guard digit < end else { throw error("unterminated string, found end of input", at: end) }
        guard Self.hexValue(bytes[digit]) != nil else {
          throw error("expected a hex digit in \\u escape, found \(describeByte(at: digit))", at: digit)
        }
      }
      return letter &+ 5
    default:
      throw error("invalid escape '\\' followed by \(describeByte(at: letter))", at: letter)
    }
  }

  @inline(__always)
  static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: UInt32(byte &- 0x30)
    case 0x41...0x46: UInt32(byte &- 0x37)
    case 0x61...0x66: UInt32(byte &- 0x57)
    default: nil
    }
  }

  /// Validates the UTF-8 sequence starting at `i` (a byte ≥ 0x80) and returns the index after it.
  mutating func scanUTF8Sequence(at i: Int) throws(JSONSyntaxError) -> Int {
    switch utf8Check(at: i) {
    case .valid(let length):
      return i &+ length
    case .invalid(let offset):
      if offset >= end {
        throw error("truncated UTF-8 sequence, found end of input", at: offset)
      }
      throw error("invalid UTF-8 byte 0x\(hex(UInt32(bytes[offset]), digits: 2))", at: offset)
    }
  }

  /// The length of the valid UTF-8 sequence at `i`, or nil.
  func utf8SequenceLength(at i: Int) -> Int? {
    if case .valid(let length) = utf8Check(at: i) { return length }
    return nil
  }

  enum UTF8Check {
    case valid(length: Int)
    /// The first byte that cannot belong to a well-formed sequence (`end` when the input stops mid-sequence).
    case invalid(at: Int)
  }

  /// Checks one sequence against RFC 3629's table, which rules out overlong forms, surrogates and values above
  /// U+10FFFF by narrowing the range of the second byte.
  func utf8Check(at i: Int) -> UTF8Check {
    let lead = bytes[i]
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0x00...0x7F: return .valid(length: 1)
    case 0xC2...0xDF: length = 2
    case 0xE0: (length, low) = (3, 0xA0)
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: (length, high) = (3, 0x9F)
    case 0xF0: (length, low) = (4, 0x90)
    case 0xF1...0xF3: length = 4
    case 0xF4: (length, high) = (4, 0x8F)
    default: return .invalid(at: i)
    }
    for k in 1..<length {
      let j = i &+ k
      guard j < end else { return .invalid(at: end) }
      let byte = bytes[j]
      if k == 1 ? (byte < low || byte > high) : (byte & 0xC0 != 0x80) { return .invalid(at: j) }
    }
    return .valid(length: length)
  }

  /// Builds a string whose span holds escapes; the span has been validated by `scanStringAtQuote`.
  ///
  /// A `\u` escape of a lone surrogate (a high one not followed by a `\u` low one, or a low one on its own) becomes
  /// U+FFFD, as Swift strings cannot hold surrogates and rejecting such text would be stricter than RFC 8259 requires.
  func unescape(_ span: StringSpan) -> String {
    // Every escape is at least as long as what it stands for, so the content length is enough room.
    String(unsafeUninitializedCapacity: span.end &- span.start) { output in
      var out = 0
      var i = span.start
      while i < span.end {
        let byte = bytes[i]
        guard byte == ASCII.backslash else {
          output[out] = byte
          out &+= 1
          i &+= 1
          continue
        }
        let letter = bytes[i &+ 1]
        i &+= 2
        let decoded: UInt8
        switch letter {
        case 0x62: decoded = 0x08  // b
        case 0x66: decoded = 0x0C  // f
        case 0x6E: decoded = ASCII.lineFeed  // n
        case 0x72: decoded = ASCII.carriageReturn  // r
        case 0x74: decoded = ASCII.tab  // t
        case ASCII.lowercaseU:
          var scalar = hex4(at: i)
          i &+= 4
          if scalar >= 0xD800 && scalar <= 0xDBFF {
            let second =
              i &+ 6 <= span.end && bytes[i] == ASCII.backslash && bytes[i &+ 1] == ASCII.lowercaseU
              ? hex4(at: i &+ 2) : 0
            if second >= 0xDC00 && second <= 0xDFFF {
              scalar = 0x10000 &+ ((scalar &- 0xD800) &<< 10) &+ (second &- 0xDC00)
              i &+= 6
            } else {
              scalar = 0xFFFD
            }
          } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
            scalar = 0xFFFD
          }
          out = Self.encodeUTF8(scalar, into: output, at: out)
          continue
        default: decoded = letter  // " \ /
        }
        output[out] = decoded
        out &+= 1
      }
      return out
    }
  }

  /// The value of four hex digits already validated by `scanEscape`.
  @inline(__always)
  func hex4(at i: Int) -> UInt32 {
    var value: UInt32 = 0
    for k in 0..<4 {
      value = value &<< 4 | (Self.hexValue(bytes[i &+ k]) ?? 0)
    }
    return value
  }

  /// Writes `scalar` (not a surrogate, at most U+10FFFF) as UTF-8 and returns the index after it.
  @inline(__always)
  static func encodeUTF8(_ scalar: UInt32, into output: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
    var out = start
    if scalar < 0x80 {
      output[out] = UInt8(truncatingIfNeeded: scalar)
      return out &+ 1
    }
    if scalar < 0x800 {
      output[out] = 0xC0 | UInt8(truncatingIfNeeded: scalar &>> 6)
      out &+= 1
    } else {
      if scalar < 0x10000 {
        output[out] = 0xE0 | UInt8(truncatingIfNeeded: scalar &>> 12)
        out &+= 1
      } else {
        output[out] = 0xF0 | UInt8(truncatingIfNeeded: scalar &>> 18)
        output[out &+ 1] = 0x80 | UInt8(truncatingIfNeeded: scalar &>> 12) & 0x3F
        out &+= 2
      }
      output[out] = 0x80 | UInt8(truncatingIfNeeded: scalar &>> 6) & 0x3F
      out &+= 1
    }
    output[out] = 0x80 | UInt8(truncatingIfNeeded: scalar) & 0x3F
    return out &+ 1
  }
}

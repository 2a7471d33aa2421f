/// Byte values the grammar names.
enum ASCII {
  static let tab: UInt8 = 0x09
  static let lineFeed: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22
  static let plus: UInt8 = 0x2B
  static let comma: UInt8 = 0x2C
  static let minus: UInt8 = 0x2D
  static let period: UInt8 = 0x2E
  static let slash: UInt8 = 0x2F
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let colon: UInt8 = 0x3A
  static let backslash: UInt8 = 0x5C
  static let openBracket: UInt8 = 0x5B
  static let closeBracket: UInt8 = 0x5D
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let lowercaseE: UInt8 = 0x65
  static let uppercaseE: UInt8 = 0x45
  static let lowercaseF: UInt8 = 0x66
  static let lowercaseN: UInt8 = 0x6E
  static let lowercaseT: UInt8 = 0x74
  static let lowercaseU: UInt8 = 0x75
}

/// The cursor every public operation runs on: a borrowed buffer and an index into it.
///
/// It lives only inside one `withUnsafeBufferPointer` call of `JSONReader`, so the pointer never outlives the array
/// that owns the bytes. All hot loops index the buffer directly; `UnsafeBufferPointer` checks bounds only in debug
/// builds, and each loop checks `index < end` itself.
struct JSONScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  let end: Int
  var index: Int
  /// The most containers that may be open at once, counting those the pull API has already opened.
  let maximumDepth: Int
  /// How many containers may still be opened before the depth limit is hit.
  let remainingDepth: Int

  init(bytes: UnsafeBufferPointer<UInt8>, index: Int, maximumDepth: Int, openContainers: Int) {
    self.bytes = bytes
    self.end = bytes.count
    self.index = index
    self.maximumDepth = maximumDepth
    self.remainingDepth = maximumDepth - openContainers
  }

  static func hasByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

  // MARK: Whitespace

  /// Moves past space, tab, LF and CR.
  @inline(__always)
  mutating func skipWhitespace() {
    var i = index
    // Most tokens follow no whitespace or a single space; only indentation needs the wide loop below.
    if i < end && bytes[i] > ASCII.space { return }
    let spaces: UInt64 = 0x2020_2020_2020_2020
    let raw = UnsafeRawBufferPointer(bytes)
    while i < end {
      let byte = bytes[i]
      if byte == ASCII.space {
        i &+= 1
        // Pretty-printed input indents with long runs of spaces; take them eight at a time.
        while i &+ 8 <= end && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == spaces {
          i &+= 8
        }
        continue
      }
      guard byte == ASCII.lineFeed || byte == ASCII.carriageReturn || byte == ASCII.tab else { break }
      i &+= 1
    }
    index = i
  }

  /// The next byte, or nil at the end of the buffer.
  @inline(__always)
  var currentByte: UInt8? { index < end ? bytes[index] : nil }

  // MARK: Literals

  /// Consumes `literal` (`true`, `false` or `null`) at the index, which the caller has matched on its first byte.
  @inline(__always)
  mutating func consumeLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
    let count = literal.utf8CodeUnitCount
    let expected = literal.utf8Start
    var k = 1
    while k < count {
      let i = index &+ k
      guard i < end, bytes[i] == expected[k] else {
        throw error("invalid literal, expected '\(literal)', found \(describeByte(at: i))", at: i)
      }
      k &+= 1
    }
    index &+= count
    if isGluedToScalar {
      throw error("unexpected \(describeByte(at: index)) after '\(literal)'", at: index)
    }
  }

  /// Whether a letter, digit, `.`, `+` or `-` follows the scalar just scanned (`1x`, `nulls`, `1.5.3`, `truefalse`).
  ///
  /// Inside containers such input fails anyway at the missing `,`; rejecting it right after the scalar makes
  /// top-level concatenated texts unambiguous and the message clearer.
  @inline(__always)
  var isGluedToScalar: Bool {
    guard index < end else { return false }
    let byte = bytes[index]
    let folded = byte | 0x20
    return (folded >= 0x61 && folded <= 0x7A) || (byte >= ASCII.zero && byte <= ASCII.nine)
      || byte == ASCII.period || byte == ASCII.plus || byte == ASCII.minus
  }

  // MARK: Errors

  /// Builds an error at a byte offset; line and column are computed here, never while scanning.
  @inline(never)
  func error(_ message: String, at offset: Int) -> JSONSyntaxError {
    JSONSyntaxError(position: JSONPosition(offset: offset, in: bytes), message: message)
  }

  /// The error for a byte that cannot start or continue the construct named by `expected`.
  @inline(never)
  func unexpected(expected: String, at offset: Int) -> JSONSyntaxError {
    if offset >= end {
      return error("unexpected end of input, expected \(expected)", at: offset)
    }
    return error("expected \(expected), found \(describeByte(at: offset))", at: offset)
  }

  /// Names the byte at `offset` for a message: `'x'`, `U+000A`, `'é'`, `invalid UTF-8 byte 0xFF`, `end of input`.
  @inline(never)
  func describeByte(at offset: Int) -> String {
    guard offset < end else { return "end of input" }
    let byte = bytes[offset]
    if byte > ASCII.space && byte < 0x7F {
      return "'\(Character(Unicode.Scalar(byte)))'"
    }
    if byte < 0x80 {
      return "U+" + hex(UInt32(byte), digits: 4)
    }
    guard let length = utf8SequenceLength(at: offset) else {
      return "invalid UTF-8 byte 0x" + hex(UInt32(byte), digits: 2)
    }
    let scalar = UnsafeBufferPointer(rebasing: bytes[offset..<offset + length])
    return "'\(String(decoding: scalar, as: UTF8.self))'"
  }

  func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }
}

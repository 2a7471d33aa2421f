import JSONReader
import Testing

/// The string scanner looks at eight bytes at a time; these cases put each kind of special byte at every offset
/// within and across those eight-byte steps.
struct StringTests {
  @Test(arguments: 0..<20)
  func findsSpecialBytesAtEveryOffset(_ prefixLength: Int) throws {
    let prefix = String(repeating: "a", count: prefixLength)
    let suffix = String(repeating: "b", count: 11)
    let column = prefixLength + 2
    #expect(try JSONValue(parsing: bytes("\"\(prefix)\\n\(suffix)\"")) == .string(prefix + "\n" + suffix))
    #expect(try JSONValue(parsing: bytes("\"\(prefix)é\(suffix)\"")) == .string(prefix + "é" + suffix))
    #expect(
      try JSONValue(parsing: bytes("[\"\(prefix)\",\"\(suffix)\"]")) == .array([.string(prefix), .string(suffix)]))
    let control = try #require(agreedError(bytes("\"\(prefix)\u{1}\(suffix)\"")))
    #expect(control.position.column == column && control.message.hasPrefix("control character U+0001"))
    let invalid = try #require(agreedError(bytes("\"\(prefix)\\xFF\(suffix)\"")))
    #expect(invalid.position.column == column && invalid.message == "invalid UTF-8 byte 0xFF")
    let delete = try #require(agreedError(bytes("\"\(prefix)\u{7F}\(suffix)")))
    #expect(delete.message == "unterminated string, found end of input")
  }

  @Test(arguments: [
    (#""\u0041\u00E9\u65E5\uD834\uDD1E""#, "Aé日𝄞"),
    (#""\/\\\"""#, "/\\\""),
    (#""tab\there""#, "tab\there"),
    (#""\u0000""#, "\u{0}"),
    (#""mixed é and \u00e9""#, "mixed é and é"),
    (#""\b\f\r""#, "\u{8}\u{C}\r"),
  ])
  func unescapes(_ text: String, _ expected: String) throws {
    var reader = JSONReader(bytes: bytes(text))
    #expect(try reader.readString() == expected)
    let atEnd = reader.isAtEnd()
    #expect(atEnd)
  }

  @Test func keysAreUnescaped() throws {
    var reader = JSONReader(bytes: bytes(#"{"k\u00e9y\n": 1}"#))
    try reader.beginObject()
    #expect(try reader.nextKey() == "kéy\n")
  }
}

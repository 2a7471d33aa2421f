import JSONReader
import Testing

/// Every error names the line and column (in Unicode scalars) of the offending byte.
struct PositionTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var input: String
    var line: Int
    var column: Int
    var message: String
    var testDescription: String { message }
  }

  static let cases: [Case] = [
    Case(input: #"{"a": "abc"#, line: 1, column: 11, message: "unterminated string, found end of input"),
    Case(input: #"["a\qb"]"#, line: 1, column: 5, message: "invalid escape '\\' followed by 'q'"),
    Case(input: #"{"a" 1}"#, line: 1, column: 6, message: "expected ':' after object key, found '1'"),
    Case(
      input: "[1,2,]", line: 1, column: 6,
      message: "expected a value after ',', found ']' (trailing commas are not allowed)"),
    Case(
      input: #"{"a":1,}"#, line: 1, column: 8,
      message: "expected a string key after ',', found '}' (trailing commas are not allowed)"),
    Case(input: "[tru]", line: 1, column: 5, message: "invalid literal, expected 'true', found ']'"),
    Case(input: "\"a\tb\"", line: 1, column: 3, message: "control character U+0009 must be escaped in a string"),
    Case(input: #"["é", "\xFF"]"#, line: 1, column: 8, message: "invalid UTF-8 byte 0xFF"),
    Case(input: #""\xE2\x82"#, line: 1, column: 3, message: "truncated UTF-8 sequence, found end of input"),
    Case(input: #""\xED\xA0\x80""#, line: 1, column: 3, message: "invalid UTF-8 byte 0xA0"),
    Case(input: "[00]", line: 1, column: 3, message: "leading zeros are not allowed in numbers"),
    Case(
      input: "{\n  \"a\": {\n    \"b\": 1", line: 3, column: 11,
      message: "unexpected end of input, expected ',' or '}' after object member"),
    Case(input: "[1\n 2]", line: 2, column: 2, message: "expected ',' or ']' after array element, found '2'"),
    Case(input: "[1,\r\n 2,\r\n x]", line: 3, column: 2, message: "expected a value, found 'x'"),
    Case(input: "[1,\r 2,\r x]", line: 3, column: 2, message: "expected a value, found 'x'"),
    Case(input: #"{"ключ": tru}"#, line: 1, column: 13, message: "invalid literal, expected 'true', found '}'"),
    Case(
      input: "\u{FEFF}[1,]", line: 1, column: 4,
      message: "expected a value after ',', found ']' (trailing commas are not allowed)"),
    Case(input: "[1.]", line: 1, column: 4, message: "expected a digit after '.', found ']'"),
    Case(input: "[-x]", line: 1, column: 3, message: "expected a digit after '-', found 'x'"),
    Case(input: "1e+", line: 1, column: 4, message: "unexpected end of input, expected a digit in the exponent"),
    Case(input: "[1.5.3]", line: 1, column: 5, message: "unexpected '.' after number"),
    Case(input: "nulls", line: 1, column: 5, message: "unexpected 's' after 'null'"),
    Case(input: #"["\u12G4"]"#, line: 1, column: 7, message: "expected a hex digit in \\u escape, found 'G'"),
    Case(input: "[1}", line: 1, column: 3, message: "expected ',' or ']' after array element, found '}'"),
    Case(input: "{1:2}", line: 1, column: 2, message: "expected a string key or '}', found '1'"),
    Case(input: "", line: 1, column: 1, message: "unexpected end of input, expected a value"),
    Case(input: "[é]", line: 1, column: 2, message: "expected a value, found 'é'"),
    Case(input: "[1] 2", line: 1, column: 5, message: "expected end of input after JSON text, found '2'"),
  ]

  @Test(arguments: cases)
  func reportsExactPosition(_ testCase: Case) throws {
    let error = try #require(agreedError(bytes(testCase.input)))
    #expect(error.message == testCase.message)
    #expect(error.position.line == testCase.line)
    #expect(error.position.column == testCase.column)
    #expect(error.description == "\(testCase.line):\(testCase.column): \(testCase.message)")
  }

  @Test func offsetCountsBytesWhileColumnCountsScalars() throws {
    let error = try #require(agreedError(bytes("[\"é𝄞\", x]")))
    #expect(error.position == JSONPosition(line: 1, column: 8, offset: 11))
  }

  @Test func reportsPositionInLaterTextOfStream() throws {
    var reader = JSONReader(bytes: bytes("{\"a\":1}\n{\"a\":2}\n{\"a\" 3}\n"))
    var error: JSONSyntaxError?
    do {
      while !reader.isAtEnd() { try reader.skipValue() }
    } catch let caught {
      error = caught
    }
    #expect(error?.description == "3:6: expected ':' after object key, found '3'")
  }

  @Test func positionOfNextTokenSkipsWhitespace() throws {
    var reader = JSONReader(bytes: bytes("[\n  1,\n  true\n]"))
    try reader.beginArray()
    #expect(reader.position == JSONPosition(line: 2, column: 3, offset: 4))
    #expect(try reader.nextElement())
    #expect(try reader.readNumber().text == "1")
    #expect(try reader.nextElement())
    #expect(reader.position == JSONPosition(line: 3, column: 3, offset: 9))
    #expect(reader.position(ofOffset: 14) == JSONPosition(line: 4, column: 1, offset: 14))
  }
}

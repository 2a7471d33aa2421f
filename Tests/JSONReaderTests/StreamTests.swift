import JSONReader
import Testing

/// Several texts in one buffer: concatenated, JSON Lines, with a BOM or CRLF line ends.
struct StreamTests {
  static func readAll(_ input: String, mode: ReadMode) throws -> [String] {
    var reader = JSONReader(bytes: bytes(input))
    var texts: [String] = []
    while !reader.isAtEnd() {
      switch mode {
      case .readValue: texts.append(try reader.readValue().description)
      case .pull: texts.append(try pullValue(&reader).description)
      case .skipValue:
        let start = reader.offset
        try reader.skipValue()
        texts.append(String(decoding: bytes(input)[start..<reader.offset], as: UTF8.self))
      }
    }
    return texts
  }

  @Test(
    arguments: [
      (#"{"a":1}{"b":2}"#, [#"{"a":1}"#, #"{"b":2}"#]),
      ("[1][2]", ["[1]", "[2]"]),
      ("1 2", ["1", "2"]),
      ("\"a\"\"b\"", [#""a""#, #""b""#]),
      ("1\"a\"", ["1", #""a""#]),
      ("true[]null{}", ["true", "[]", "null", "{}"]),
      ("{\"a\":1}\n{\"a\":2}\n", [#"{"a":1}"#, #"{"a":2}"#]),
      ("{\"a\":1}\r\n{\"a\":2}\r\n", [#"{"a":1}"#, #"{"a":2}"#]),
      ("\u{FEFF}{\"a\":1}\n[2]", [#"{"a":1}"#, "[2]"]),
      ("  \n\t ", []),
      ("", []),
    ] as [(String, [String])])
  func readsEveryText(_ input: String, _ expected: [String]) throws {
    for mode in [ReadMode.readValue, .pull] {
      #expect(try Self.readAll(input, mode: mode) == expected)
    }
    #expect(try Self.readAll(input, mode: .skipValue).count == expected.count)
  }

  @Test(arguments: ["1-2", "truefalse", "1true", "nullnull", "0.5.5", "12e3e4"])
  func rejectsGluedScalars(_ input: String) {
    #expect(throws: JSONSyntaxError.self) { try Self.readAll(input, mode: .readValue) }
    #expect(throws: JSONSyntaxError.self) { try Self.readAll(input, mode: .skipValue) }
  }

  @Test func byteOrderMarkOnlyAtStart() throws {
    #expect(try Self.readAll("\u{FEFF} 1", mode: .readValue) == ["1"])
    let error = try #require(agreedError(bytes("1\u{FEFF}")))
    #expect(error.message == "expected end of input after JSON text, found '\u{FEFF}'")
  }

  @Test func crlfDocumentReadsAndReportsLines() throws {
    let text = "{\r\n  \"a\": [1,\r\n    2],\r\n  \"b\": \"x\"\r\n}\r\n"
    #expect(try JSONValue(parsing: bytes(text)).description == #"{"a":[1,2],"b":"x"}"#)
    let error = try #require(agreedError(bytes("{\r\n  \"a\": [1,\r\n    2],\r\n  \"b\": x\r\n}\r\n")))
    #expect(error.position.line == 4 && error.position.column == 8)
  }
}

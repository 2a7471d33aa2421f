import JSONReader
import Testing

/// RFC 8259 acceptance in the spirit of JSONTestSuite: `y_` texts must be accepted, `n_` texts rejected, by
/// `readValue`, `skipValue` and the pull API alike, with the same error.
struct ConformanceTests {
  static let accepted: [String] = [
    // Structure
    "[]", "{}", "[[]]", "[{}]", #"{"a":{}}"#, #"{"a":[{"b":null}]}"#, "[null,true,false]", #"[1,"a",[],{}]"#,
    #" { "a" : 1 , "b" : 2 } "#, "\t[\n1\r\n,\r2 ]\n", #"{"a":1,"a":2}"#, #"{"":0}"#,
    // Top-level scalars (RFC 8259 allows any value)
    #""x""#, "123", "true", "false", "null", " 0 ",
    // Numbers
    "-0", "0", "-0.0e+0", "0e1", "0E-0", "1E400", "-1E400", "1.5e-3", "12345678901234567890123", "-1E-2", "1e+2",
    "[1e1,0.1e1,-1.5E+10]", "123456789.123456789e-300", "1e-400",
    // Strings and escapes
    #""""#, #""\u0000""#, #""\"\\\/\b\f\n\r\t""#, #""\ud83d\ude00""#, #""\uD834\uDd1e""#, #""\u00e9""#,
    #""\u002F""#, #""\uFFFF""#, "\"\u{7F}\"", "\"é\"", "\"𝄞\"", "\"\u{2028}\u{2029}\"", "\"日本語\"",
    #""\xEF\xBF\xBF""#, #""\xF4\x8F\xBF\xBF""#, #""\xE0\xA0\x80""#, #""\xED\x9F\xBF""#, #""\xF0\x90\x80\x80""#,
    // Lone surrogates become U+FFFD rather than errors
    #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800\ud800\udc00""#, #""\udbff\n""#,
    // A leading byte order mark
    "\u{FEFF}[1]",
  ]

  static let rejected: [String] = [
    // Empty or whitespace-only input
    "", "   ", "\u{FEFF}",
    // Trailing and misplaced commas
    "[1,]", #"{"a":1,}"#, "[,1]", "{,}", "[1,,2]", #"{"a":1,,"b":2}"#, "[,]", #"{"a":1 , }"#,
    // Missing separators
    "[1 2]", #"{"a" 1}"#, #"{"a":1 "b":2}"#, "[true false]",
    // Wrong keys and brackets
    #"{"a":}"#, "{a:1}", "{'a':1}", "['a']", "{1:1}", #"["a":1]"#, #"{"a":1]"#, "[1}", "{]", "[1]]", #"{"a":1}}"#,
    // Unclosed
    "[", "{", #"{"a""#, #"{"a":"#, "[1", "[1,", #"{"a":1"#, #""abc"#, #""\"#, #""\u12"#,
    // Numbers
    "[01]", "[-01]", "[00]", "[+1]", "[.5]", "[5.]", "[1.e5]", "[1e]", "[1e+]", "[-]", "-", "--1", "[0x10]",
    "[1.5.3]", "1e5e5", "[1,2", "1ee5", "[-.5]", "[1.]",
    // Non-JSON literals
    "[NaN]", "[Infinity]", "[-Infinity]", "[tru]", "[True]", "[nul]", "nulll", "truex", "[fals]", "undefined",
    // Comments and stray characters
    "/* c */ 1", "// c\n1", "[1] // c", "#", "[1;2]", "[1]x", "1 x",
    // Whitespace JSON does not allow
    "[\u{0C}1]", "[\u{A0}1]", "[\u{FEFF}1]",
    // Strings: escapes
    #""\q""#, #""\'""#, #""\u12G4""#, #""\u123""#, #""\U0041""#, #""\a""#, #""\uD800\u""#,
    // Strings: unescaped control characters
    "\"a\tb\"", "\"a\nb\"", "\"\u{0}\"", "\"\u{1F}\"",
    // Invalid UTF-8, inside and outside strings
    #""\xFF""#, #""\xC0\x80""#, #""\xC1\xBF""#, #""\xED\xA0\x80""#, #""\xF4\x90\x80\x80""#, #""\xE2\x82""#,
    #""\x80""#, #""\xE0\x9F\xBF""#, #""\xF0\x8F\xBF\xBF""#, #""\xF5\x80\x80\x80""#, #"[\xFF]"#, #""a\xC3"#,
  ]

  @Test(arguments: accepted)
  func acceptsValidText(_ text: String) throws {
    let error = agreedError(bytes(text))
    #expect(error == nil, "\(error?.description ?? "")")
  }

  @Test(arguments: rejected)
  func rejectsInvalidText(_ text: String) {
    let error = agreedError(bytes(text))
    #expect(error != nil)
  }

  @Test func decodesEscapesAndScalars() throws {
    let value = try JSONValue(parsing: bytes(#"["\"\\\/\b\f\n\r\t", "\u00e9\ud83d\ude00", "é𝄞", -0, 1E400]"#))
    #expect(value[0] == .string("\"\\/\u{8}\u{C}\n\r\t"))
    #expect(value[1] == .string("é😀"))
    #expect(value[2] == .string("é𝄞"))
    guard case .number(let negativeZero) = value[3], case .number(let huge) = value[4] else {
      Issue.record("expected numbers in \(value)")
      return
    }
    #expect(negativeZero.text == "-0" && negativeZero.doubleValue == 0 && negativeZero.doubleValue.sign == .minus)
    #expect(huge.doubleValue == .infinity)
  }

  @Test(arguments: [
    (#""\ud800""#, "\u{FFFD}"), (#""\udc00""#, "\u{FFFD}"), (#""\ud800\u0041""#, "\u{FFFD}A"),
    (#""\ud800\ud800\udc00""#, "\u{FFFD}\u{10000}"), (#""\udbff\n""#, "\u{FFFD}\n"),
    (#""x\udbff\udfffy""#, "x\u{10FFFF}y"), (#""\ud800x""#, "\u{FFFD}x"),
  ])
  func replacesLoneSurrogates(_ text: String, _ expected: String) throws {
    #expect(try JSONValue(parsing: bytes(text)) == .string(expected))
  }

  @Test func duplicateKeysAreKeptInOrder() throws {
    let value = try JSONValue(parsing: bytes(#"{"a":1,"b":2,"a":3}"#))
    #expect(value.description == #"{"a":1,"b":2,"a":3}"#)
    #expect(value["a"] == .number(try #require(JSONNumber("1"))))
  }
}

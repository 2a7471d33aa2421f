import JSONReader
import SeededRandom
import Testing

struct NumberTests {
  @Test(
    arguments: [
      ("1458680170.035", 6, 1_458_680_170_035_000),
      ("1458680170.123", 6, 1_458_680_170_123_000),
      ("1.458680170123E9", 6, 1_458_680_170_123_000),
      ("1458680170", 6, 1_458_680_170_000_000),
      ("1458680170", 0, 1_458_680_170),
      ("-1.5", 6, -1_500_000),
      ("-1.5", 1, -15),
      ("0", 6, 0), ("-0", 6, 0), ("0.000", 0, 0), ("0e999999999999999999999", 6, 0), ("-0.0e-5", 3, 0),
      ("1.50", 1, 15), ("150e-1", 0, 15), ("1E+2", 0, 100), ("0.1e1", 0, 1), ("12300", -2, 123),
      ("1e18", 0, 1_000_000_000_000_000_000), ("10000000000000000000e-1", 0, 1_000_000_000_000_000_000),
      ("0.0000001", 7, 1), ("0.0000001", 8, 10),
      ("9223372036854775807", 0, Int64.max), ("922337203685477580.7", 1, Int64.max),
      ("-9223372036854775808", 0, Int64.min), ("-9.223372036854775808e18", 0, Int64.min),
    ] as [(String, Int, Int64)])
  func scalesExactly(_ text: String, _ places: Int, _ expected: Int64) throws {
    let number = try #require(JSONNumber(text))
    #expect(number.scaled(by: places) == expected)
  }

  @Test(
    arguments: [
      ("1e400", 6), ("0.0000001", 6), ("1e-7", 6), ("1.5", 0), ("150e-2", 0), ("12345", -2), ("1e19", 0),
      ("9223372036854775808", 0), ("-9223372036854775809", 0), ("1e-999999999999999999999", 6),
      ("123456789012345678901234567890", 0), ("1.0000000000000000000001", 0), ("1", Int.max), ("1", Int.min),
    ] as [(String, Int)])
  func scaledIsNilWhenInexactOrTooLarge(_ text: String, _ places: Int) throws {
    let number = try #require(JSONNumber(text))
    #expect(number.scaled(by: places) == nil)
  }

  /// Plain numbers (no exponent), which are scaled in one pass, against the same values written with an
  /// exponent, which take the general two-pass way.
  @Test func plainNumbersScaleAsTheirExponentFormsDo() throws {
    var random = SeededGenerator(seed: 5)
    for _ in 0..<20_000 {
      let integerDigits = Int.random(in: 1...12, using: &random)
      var integer = String((0..<integerDigits).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
      while integer.count > 1 && integer.first == "0" { integer.removeFirst() }
      let fraction = String(
        (0..<Int.random(in: 0...9, using: &random)).map { _ in Character(String(Int.random(in: 0...9, using: &random)))
        })
      let sign = Bool.random(using: &random) ? "-" : ""
      let plain = sign + integer + (fraction.isEmpty ? "" : "." + fraction)
      var mantissa = integer + fraction
      while mantissa.count > 1 && mantissa.first == "0" { mantissa.removeFirst() }
      let exponentForm = sign + mantissa + "e-\(fraction.count)"
      let places = Int.random(in: -20...40, using: &random)
      let (a, b) = (try #require(JSONNumber(plain)), try #require(JSONNumber(exponentForm)))
      #expect(a.scaled(by: places) == b.scaled(by: places), "\(plain) by \(places)")
    }
  }

  @Test func readNumberHandsOverTheValidatedText() throws {
    var reader = JSONReader(bytes: Array(#"[1458680170.035, -0, 1e3]"#.utf8))
    try reader.beginArray()
    var texts: [String] = []
    while try reader.nextElement() {
      try reader.readNumber { texts.append(String(decoding: $0, as: UTF8.self)) }
    }
    #expect(texts == ["1458680170.035", "-0", "1e3"])
    var bad = JSONReader(bytes: Array("01".utf8))
    #expect(throws: JSONSyntaxError.self) { try bad.readNumber { _ in } }
  }

  @Test func convertsToDoubleAndInt() throws {
    func number(_ text: String) throws -> JSONNumber { try #require(JSONNumber(text)) }
    #expect(try number("1E400").doubleValue == .infinity)
    #expect(try number("-1E400").doubleValue == -.infinity)
    #expect(try number("1e-400").doubleValue == 0)
    #expect(try number("1.5e-3").doubleValue == 0.0015)
    #expect(try number("12345678901234567890123").doubleValue == 1.2345678901234568e22)
    #expect(try number("-0").doubleValue.sign == .minus)
    #expect(try number("42").intValue == 42)
    #expect(try number("1.0").intValue == 1)
    #expect(try number("1e3").intValue == 1000)
    #expect(try number("-7").intValue == -7)
    #expect(try number("1.5").intValue == nil)
    #expect(try number("99999999999999999999").intValue == nil)
  }

  @Test(arguments: [("42", true), ("-0", true), ("1.0", false), ("1e3", false), ("12345678901234567890123", true)])
  func knowsIntegerNotation(_ text: String, _ isInteger: Bool) throws {
    #expect(try #require(JSONNumber(text)).isInteger == isInteger)
  }

  @Test(arguments: ["01", "+1", ".5", "5.", " 1", "1 ", "", "-", "1e", "0x1", "NaN", "1_000"])
  func rejectsInvalidNumberText(_ text: String) {
    #expect(JSONNumber(text) == nil)
  }

  @Test func keepsExactTextAndComparesTextually() throws {
    var reader = JSONReader(bytes: bytes("[1.0, 1, 1.458680170123E9]"))
    let value = try reader.readValue()
    #expect(value.description == "[1.0,1,1.458680170123E9]")
    #expect(value[0] != value[1])
  }
}

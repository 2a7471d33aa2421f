import JSONReader
import SeededRandom
import Testing

/// Random trees, written with random whitespace and random (valid) escaping, must read back unchanged; random
/// corruptions of them must be accepted or rejected identically by every reading mode.
struct PropertyTests {
  struct Generator {
    var random: SeededGenerator

    init(seed: UInt64) {
      random = SeededGenerator(seed: seed)
    }

    static let scalars: [Unicode.Scalar] = [
      "a", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\r", "\u{0}", "\u{1F}", "\u{7F}", "é", "日", "𝄞", "😀",
      "\u{2028}", "\u{FFFD}", "\u{FEFF}", "\u{10FFFF}", "{", "]", ",", ":",
    ]

    mutating func value(depth: Int = 0) -> JSONValue {
      switch Int.random(in: 0..<(depth >= 4 ? 4 : 6), using: &random) {
      case 0: return Bool.random(using: &random) ? .null : .bool(Bool.random(using: &random))
      case 1: return number()
      case 2, 3: return .string(string())
      case 4:
        return .array((0..<Int.random(in: 0..<5, using: &random)).map { _ in value(depth: depth + 1) })
      default:
        return .object(
          (0..<Int.random(in: 0..<5, using: &random)).map { _ in
            JSONMember(key: string(), value: value(depth: depth + 1))
          })
      }
    }

    mutating func string() -> String {
      var text = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0..<24, using: &random) {
        text.append(
          Int.random(in: 0..<3, using: &random) == 0
            ? Self.scalars[Int.random(in: 0..<Self.scalars.count, using: &random)]
            : Unicode.Scalar(UInt8.random(in: 0x61...0x7A, using: &random)))
      }
      return String(text)
    }

    mutating func digits(_ count: Int, leading: ClosedRange<Int>) -> String {
      (0..<count).map { String(Int.random(in: $0 == 0 ? leading : 0...9, using: &random)) }.joined()
    }

    mutating func number() -> JSONValue {
      var text = Bool.random(using: &random) ? "-" : ""
      text += Bool.random(using: &random) ? "0" : digits(Int.random(in: 1...25, using: &random), leading: 1...9)
      if Bool.random(using: &random) { text += "." + digits(Int.random(in: 1...8, using: &random), leading: 0...9) }
      if Bool.random(using: &random) {
        text += ["e", "E", "e+", "E-", "e-"][Int.random(in: 0..<5, using: &random)]
        text += digits(Int.random(in: 1...3, using: &random), leading: 0...9)
      }
      guard let number = JSONNumber(text) else {
        Issue.record("generated number \(text) was rejected")
        return .null
      }
      return .number(number)
    }

    mutating func whitespace() -> String {
      ["", "", " ", "\n", "\t", "\r\n", "\n    "][Int.random(in: 0..<7, using: &random)]
    }

    mutating func write(_ value: JSONValue, to output: inout String) {
      output += whitespace()
      switch value {
      case .null, .bool, .number: output += value.description
      case .string(let text): write(text, to: &output)
      case .array(let elements):
        output += "["
        for (index, element) in elements.enumerated() {
          if index > 0 { output += whitespace() + "," }
          write(element, to: &output)
        }
        output += whitespace() + "]"
      case .object(let members):
        output += "{"
        for (index, member) in members.enumerated() {
          if index > 0 { output += whitespace() + "," }
          output += whitespace()
          write(member.key, to: &output)
          output += whitespace() + ":"
          write(member.value, to: &output)
        }
        output += whitespace() + "}"
      }
      output += whitespace()
    }

    /// Writes a string choosing among the valid spellings of each character.
    mutating func write(_ text: String, to output: inout String) {
      output += "\""
      for scalar in text.unicodeScalars {
        let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
        switch Int.random(in: 0..<(mustEscape ? 2 : 4), using: &random) {
        case 0: output += unicodeEscape(scalar)
        case 1:
          switch scalar {
          case "\"": output += "\\\""
          case "\\": output += "\\\\"
          case "\n": output += "\\n"
          case "\t": output += "\\t"
          case "\r": output += "\\r"
          case "/": output += "\\/"
          default: output += mustEscape ? unicodeEscape(scalar) : String(scalar)
          }
        default: output.unicodeScalars.append(scalar)
        }
      }
      output += "\""
    }

    mutating func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
      let units = Array(String(scalar).utf16)
      return units.map { unit in
        let hex = String(unit, radix: 16, uppercase: Bool.random(using: &random))
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }.joined()
    }
  }

  @Test(arguments: 0..<8)
  func randomTreesRoundTrip(_ seed: UInt64) throws {
    var generator = Generator(seed: seed)
    for _ in 0..<150 {
      let value = generator.value()
      var text = ""
      generator.write(value, to: &text)
      let input = Array(text.utf8)
      for mode in ReadMode.allCases {
        let read = try parseSingle(input, mode: mode)
        if mode != .skipValue { #expect(read == value, "\(text)") }
      }
    }
  }

  @Test(arguments: 0..<4)
  func randomStreamsReadBack(_ seed: UInt64) throws {
    var generator = Generator(seed: seed &+ 1000)
    let values = (0..<40).map { _ in generator.value() }
    var text = ""
    for value in values {
      // Scalars other than strings need a separator from what follows; containers and strings need none.
      text += "\n"
      generator.write(value, to: &text)
    }
    var reader = JSONReader(bytes: Array(text.utf8))
    var read: [JSONValue] = []
    while !reader.isAtEnd() { read.append(try reader.readValue()) }
    #expect(read == values)
  }

  @Test(arguments: 0..<8)
  func corruptedTextsAreJudgedAlikeByAllModes(_ seed: UInt64) {
    var generator = Generator(seed: seed &+ 2000)
    let replacements: [UInt8] = Array(#""\,]}[{:0e.-+ tnu"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xED, 0xFF]
    var rejected = 0
    for _ in 0..<150 {
      var text = ""
      generator.write(generator.value(), to: &text)
      var input = Array(text.utf8)
      for _ in 0..<Int.random(in: 1...2, using: &generator.random) where !input.isEmpty {
        let at = Int.random(in: 0..<input.count, using: &generator.random)
        switch Int.random(in: 0..<3, using: &generator.random) {
        case 0: input.remove(at: at)
        case 1: input.insert(replacements.randomElement(using: &generator.random) ?? 0, at: at)
        default: input[at] = replacements.randomElement(using: &generator.random) ?? 0
        }
      }
      if agreedError(input) != nil { rejected += 1 }
    }
    #expect(rejected > 50)
  }
}

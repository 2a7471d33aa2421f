/// The parts of an Amazon Resource Name the report shows.
struct ARN {
  /// The region, e.g. `us-west-2`; empty when the text is not an ARN.
  var region = ""
  /// The account ID.
  var account = ""
  /// The last path segment, e.g. `0-MKkpXXPE` of `…/run/0-MKkpXXPE`; the whole text when not an ARN.
  var resourceID: String

  init(_ text: String) {
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, where RESOURCE may hold further colons.
    let utf8 = text.utf8
    var colons: [String.Index] = []
    var index = utf8.startIndex
    while index < utf8.endIndex, colons.count < 5 {
      if utf8[index] == UInt8(ascii: ":") { colons.append(index) }
      index = utf8.index(after: index)
    }
    guard colons.count == 5, text.hasPrefix("arn:") else {
      resourceID = text
      return
    }
    region = String(text[utf8.index(after: colons[2])..<colons[3]])
    account = String(text[utf8.index(after: colons[3])..<colons[4]])
    let resource = text[utf8.index(after: colons[4])...]
    let lastSlash = resource.utf8.lastIndex(of: UInt8(ascii: "/"))
    resourceID = String(lastSlash.map { resource[resource.utf8.index(after: $0)...] } ?? resource)
  }
}

/// Names JUnit consumers accept (see JUNIT.md): no ARN characters in suite names, `.` only between levels.
enum JUnitNames {
  /// Jenkins replaces these in suite names, and they make ARNs unreadable there.
  private static let unsafe: Set<Character> = ["/", ":", "?", "#", "%", "[", "]", "|", "\\"]

  /// `Run 1 for Nightly (0-MKkpXXPE)`: readable and unique, since run IDs are.
  static func suite(name: String, id: String) -> String {
    "\(clean(name, replacingDots: false)) (\(clean(id, replacingDots: false)))"
  }

  /// `aws-inspector.Run 1 for Nightly.0-MKkpXXPE`: Jenkins splits it into package and class at the last dot.
  static func classname(name: String, id: String) -> String {
    "aws-inspector.\(clean(name, replacingDots: true)).\(clean(id, replacingDots: true))"
  }

  /// Whether `text` is short printable ASCII with nothing to replace: nearly every name, checked byte by byte.
  private static func isPlain(_ text: String, replacingDots: Bool) -> Bool {
    guard !text.isEmpty, text.utf8.count <= 150 else { return false }
    for byte in text.utf8 {
      if isUnsafe(byte) || byte < 0x20 || byte >= 0x7F || (replacingDots && byte == UInt8(ascii: ".")) { return false }
    }
    return true
  }

  /// Whether `byte` is one of `unsafe`, as ASCII.
  private static func isUnsafe(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%"),
      UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "|"), UInt8(ascii: "\\"):
      true
    default:
      false
    }
  }

  private static func clean(_ text: String, replacingDots: Bool) -> String {
    if isPlain(text, replacingDots: replacingDots) { return text }
    // Printable ASCII, such as a name with dots in a class name, is one character a byte: replace bytes.
    if !text.isEmpty, text.utf8.count <= 150, text.utf8.allSatisfy({ 0x20..<0x7F ~= $0 }) {
      return String(
        decoding: text.utf8.map { byte in
          isUnsafe(byte) || (replacingDots && byte == UInt8(ascii: ".")) ? UInt8(ascii: "_") : byte
        }, as: UTF8.self)
    }
    let cleaned = String(
      text.prefix(150).map { character -> Character in
        if unsafe.contains(character) || (replacingDots && character == ".") { return "_" }
        return character.isNewline || character == "\t" ? " " : character
      })
    return cleaned.isEmpty ? "run" : cleaned
  }
}

extension String {
  /// The string cut to at most `limit` UTF-8 bytes on a character boundary, with a marker saying how much went.
  func truncated(toUTF8Bytes limit: Int) -> String {
    guard utf8.count > limit else { return self }
    let reserve = 40
    var end = index(startIndex, offsetBy: 0)
    var bytes = 0
    for character in self {
      let size = character.utf8.count
      if bytes + size > limit - reserve { break }
      bytes += size
      end = index(after: end)
    }
    return String(self[..<end]) + "…[truncated \(utf8.count - bytes) bytes]"
  }
}

/// The parts of an Amazon Resource Name the report shows.
struct ARN {
  /// The region, e.g. `us-west-2`; empty when the text is not an ARN.
  var region = ""
  /// The account ID.
  var account = ""
  /// The last path segment, e.g. `0-MKkpXXPE` of `…/run/0-MKkpXXPE`; the whole text when not an ARN.
  var resourceID: String

  init(_ text: String) {
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, where RESOURCE may hold further colons. Only the colons
    // before REGION, ACCOUNT and RESOURCE are kept: every run has two ARNs, so no list is made for them.
    let utf8 = text.utf8
    var colons = 0
    var (beforeRegion, beforeAccount, beforeResource) = (utf8.startIndex, utf8.startIndex, utf8.startIndex)
    var index = utf8.startIndex
    while index < utf8.endIndex, colons < 5 {
      if utf8[index] == UInt8(ascii: ":") {
        colons += 1
        switch colons {
        case 3: beforeRegion = index
        case 4: beforeAccount = index
        case 5: beforeResource = index
        default: break
        }
      }
      index = utf8.index(after: index)
    }
    guard colons == 5, text.hasPrefix("arn:") else {
      resourceID = text
      return
    }
    region = String(text[utf8.index(after: beforeRegion)..<beforeAccount])
    account = String(text[utf8.index(after: beforeAccount)..<beforeResource])
    let resource = text[utf8.index(after: beforeResource)...]
    let lastSlash = resource.utf8.lastIndex(of: UInt8(ascii: "/"))
    resourceID = String(lastSlash.map { resource[resource.utf8.index(after: $0)...] } ?? resource)
  }
}

/// Names JUnit consumers accept (see JUNIT.md): no ARN characters in suite names, `.` only between levels.
enum JUnitNames {
  /// `Run 1 for Nightly (0-MKkpXXPE)`: readable and unique, since run IDs are.
  static func suite(name: String, id: String) -> String {
    "\(clean(name, replacingDots: false)) (\(clean(id, replacingDots: false)))"
  }

  /// `aws-inspector.Run 1 for Nightly.0-MKkpXXPE`: Jenkins splits it into package and class at the last dot.
  static func classname(name: String, id: String) -> String {
    "aws-inspector.\(clean(name, replacingDots: true)).\(clean(id, replacingDots: true))"
  }

  /// Whether `byte` becomes `_`: Jenkins replaces these in suite names, and they make ARNs unreadable there;
  /// a dot inside a class name's level would start another level.
  private static func isReplaced(_ byte: UInt8, replacingDots: Bool) -> Bool {
    switch byte {
    case UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%"),
      UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "|"), UInt8(ascii: "\\"):
      true
    case UInt8(ascii: "."):
      replacingDots
    default:
      false
    }
  }

  private static func clean(_ text: String, replacingDots: Bool) -> String {
    let utf8 = text.utf8
    // Nearly every name is short printable ASCII, one character a byte: cleaned byte by byte, or kept as it is.
    if !text.isEmpty, utf8.count <= 150, utf8.allSatisfy({ 0x20..<0x7F ~= $0 }) {
      guard utf8.contains(where: { isReplaced($0, replacingDots: replacingDots) }) else { return text }
      return String(
        decoding: utf8.map { isReplaced($0, replacingDots: replacingDots) ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }
    let cleaned = String(
      text.prefix(150).map { character -> Character in
        if let ascii = character.asciiValue, isReplaced(ascii, replacingDots: replacingDots) { return "_" }
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

/// `1 run`, `2 runs`; `plural` for words that do not just add an s (`entry`, `entries`).
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
  "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}

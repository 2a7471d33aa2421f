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

/// Names JUnit consumers show well (JUNIT.md): one line of at most 150 characters a level, `.` only between the
/// levels of a class name. Other characters stay: Jenkins makes its own URL-safe names, so replacing them here would
/// only change what every other consumer displays.
enum JUnitNames {
  /// `Run 1 for Nightly (0-MKkpXXPE)`: readable and unique, since run IDs are.
  static func suite(name: String, id: String) -> String {
    "\(clean(name, replacingDots: false)) (\(clean(id, replacingDots: false)))"
  }

  /// `aws-inspector.Run 1 for Nightly`: Jenkins splits it into package and class at the last dot, so every run is
  /// a class of one package; the testcase names hold the run's ID, which keeps them unique.
  static func classname(name: String) -> String {
    "aws-inspector.\(clean(name, replacingDots: true))"
  }

  /// `template 0-4r1V2mAw`, or `no template` for runs without one: a template has no name in a snapshot, only its
  /// ARN.
  static func templateSuite(id: String) -> String {
    id.isEmpty ? "no template" : "template \(clean(id, replacingDots: false))"
  }

  /// `aws-inspector.template 0-4r1V2mAw`, or `aws-inspector.no template`.
  static func templateClassname(id: String) -> String {
    "aws-inspector.\(id.isEmpty ? "no template" : "template \(clean(id, replacingDots: true))")"
  }

  private static let longest = 150

  private static func clean(_ text: String, replacingDots: Bool) -> String {
    let utf8 = text.utf8
    // Nearly every name is short printable ASCII, one character a byte, and is kept as it is.
    if !text.isEmpty, utf8.count <= longest, utf8.allSatisfy({ 0x20..<0x7F ~= $0 }),
      !replacingDots || !utf8.contains(UInt8(ascii: "."))
    {
      return text
    }
    let cleaned = String(
      text.prefix(longest).map { character -> Character in
        if replacingDots, character == "." { return "_" }
        return character.isNewline || character == "\t" ? " " : character
      })
    return cleaned.isEmpty ? "run" : cleaned
  }
}

extension String {
  /// The string on one line, each line break (LF, CR or both) a space: a JUnit message is one line (JUNIT.md), and the values
  /// it quotes come from the inputs.
  var oneLine: String {
    // Every check's message passes here, nearly all without a line break: looked for in the bytes themselves.
    let hasLineBreak =
      utf8.withContiguousStorageIfAvailable { bytes in
        bytes.contains { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
      } ?? utf8.contains { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    guard hasLineBreak else { return self }
    return String(map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
  }

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

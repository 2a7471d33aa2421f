/// The parts of an Amazon Resource Name the report shows.
struct ARN {
  /// The region, e.g. `us-west-2`; empty when the text is not an ARN.
  var region = ""
  /// The account ID.
  var account = ""
  /// The last path segment, e.g. `0-MKkpXXPE` of `…/run/0-MKkpXXPE`; the whole text when not an ARN.
  var resourceID: String

  init(_ text: String) {
    // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, where RESOURCE may hold further colons. Read as bytes: every
    // run's two ARNs are parsed once per view, and stepping through a String's indices took most of the time.
    var text = text
    guard let parts = text.withUTF8(Self.parts(of:)) else {
      resourceID = text
      return
    }
    region = parts.region
    account = parts.account
    resourceID = parts.resourceID
  }

  /// The region, account and resource ID of an ARN's bytes, or `nil` when they are not an ARN.
  private static func parts(
    of bytes: UnsafeBufferPointer<UInt8>
  ) -> (region: String, account: String, resourceID: String)? {
    guard bytes.starts(with: "arn:".utf8) else { return nil }
    var colons: [Int] = []
    colons.reserveCapacity(5)
    for index in bytes.indices where bytes[index] == UInt8(ascii: ":") {
      colons.append(index)
      if colons.count == 5 { break }
    }
    guard colons.count == 5 else { return nil }
    func text(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
    let resourceStart = colons[4] + 1
    let lastSlash = bytes[resourceStart...].lastIndex(of: UInt8(ascii: "/"))
    return (
      text(colons[2] + 1..<colons[3]), text(colons[3] + 1..<colons[4]),
      text((lastSlash.map { $0 + 1 } ?? resourceStart)..<bytes.count)
    )
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
    // Nearly every name is short printable ASCII, one character a byte, and is kept as it is; its bytes are read
    // directly, as every run's names pass here.
    let keptAsItIs = { (bytes: UnsafeBufferPointer<UInt8>) in
      !bytes.isEmpty && bytes.count <= longest
        && bytes.allSatisfy { 0x20..<0x7F ~= $0 && !(replacingDots && $0 == UInt8(ascii: ".")) }
    }
    var bytes = text
    if bytes.withUTF8(keptAsItIs) { return text }
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

/// `1 run`, `2 runs`, `10,000 runs`; `plural` for words that do not just add an s (`entry`, `entries`).
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
  "\(grouped(count)) \(count == 1 ? singular : plural ?? singular + "s")"
}

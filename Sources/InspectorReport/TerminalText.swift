/// Messages made safe for a terminal: a string from an input never moves the cursor, clears the screen, changes
/// colours or reorders the text around it.
public enum TerminalText {
  /// `text` with every character a terminal would obey shown as `\u` and four uppercase hex digits (`\u001B`):
  /// C0 controls (line feeds too, unless `keepingLineBreaks`), DEL, C1 controls (U+0080–U+009F) and the
  /// bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
  /// - Parameters:
  ///   - text: The text to show.
  ///   - keepingLineBreaks: Whether LF stays a line break, for a message of several lines.
  /// - Returns: `text` itself when it holds none of them.
  public static func visible(_ text: String, keepingLineBreaks: Bool = false) -> String {
    func isObeyed(_ scalar: Unicode.Scalar) -> Bool {
      switch scalar.value {
      case 0x0A: !keepingLineBreaks
      case 0x00..<0x20, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
      default: false
      }
    }
    guard text.unicodeScalars.contains(where: isObeyed) else { return text }
    var shown = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      guard isObeyed(scalar) else {
        shown.append(scalar)
        continue
      }
      let hex = String(scalar.value, radix: 16, uppercase: true)
      shown.append(contentsOf: "\\u\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)".unicodeScalars)
    }
    return String(shown)
  }
}

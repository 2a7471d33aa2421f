/// How interpolated values are escaped; chosen per template by `{{% CONTENT_TYPE: … }}` or a default.
///
/// HTML and Markdown show the control characters they cannot carry as `\u` and four uppercase hex digits
/// (`\u001B` for ESC), escaped or not: C0 controls other than TAB, LF and CR, DEL, and the C1 controls
/// U+0080–U+009F. A page with them is invalid HTML, and a terminal that shows the file obeys them.
public enum Escaping: String, Sendable, CaseIterable {
  /// Escapes `& < > " '` as character entities; control characters show as `\u001B` (TAB, LF and CR stay).
  case html = "HTML"
  /// Escapes like `.html` plus TAB/LF/CR, replaces characters XML 1.0 forbids with U+FFFD, and writes DEL and
  /// the C1 controls, which XML allows, as character references (`&#x85;`).
  case xml = "XML"
  /// Copies values unchanged.
  case text = "TEXT"
  /// Backslash-escapes the characters that make Markdown markup, and turns line breaks and tabs into spaces,
  /// so that a value stays plain text on its line (GitHub-flavoured Markdown, for job summaries and tickets);
  /// other control characters show as `\u001B`.
  case markdown = "MARKDOWN"
}

extension Escaping {
  /// `text` escaped for this mode, as `{{name}}` would render it.
  public func escape(_ text: String) -> String {
    var output = OutputBuffer(capacity: text.utf8.count)
    var text = text
    text.withUTF8 { appendEscaped($0, to: &output) }
    return String(decoding: output.bytes, as: UTF8.self)
  }

  /// Appends valid UTF-8 `bytes` escaped for this mode (the `{{name}}` form).
  @inline(__always)
  func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
    switch self {
    case .html: appendHTMLEscaped(bytes, to: &output)
    case .xml: appendXMLEscaped(bytes, to: &output)
    case .text: output.append(bytes)
    case .markdown: appendMarkdownEscaped(bytes, to: &output)
    }
  }

  /// Appends valid UTF-8 `bytes` unescaped (the `{{{name}}}` form); XML still drops characters it cannot carry,
  /// and HTML and Markdown still show control characters visibly.
  @inline(__always)
  func appendUnescaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
    switch self {
    case .text: output.append(bytes)
    case .html, .markdown: appendControlsVisible(bytes, to: &output)
    case .xml: appendXMLSanitized(bytes, to: &output)
    }
  }
}

// MARK: - Finding the bytes to escape, eight at a time

// Values and markup are mostly plain text: the escapers skip to the next byte that needs attention a word at a
// time, with the classic "has a zero byte" tricks. A word's lowest flagged byte is always exact, since a
// false flag can only come from a borrow out of a lower, truly flagged byte.

private let ones: UInt64 = 0x0101_0101_0101_0101
private let highBits: UInt64 = 0x8080_8080_8080_8080

/// The high bit of each byte of `word` equal to `byte`.
@inline(__always)
private func bytes(_ word: UInt64, equalTo byte: UInt8) -> UInt64 {
  let difference = word ^ (ones &* UInt64(byte))
  return (difference &- ones) & ~difference & highBits
}

/// The high bit of each byte of `word` below 0x20 (a control character).
@inline(__always)
private func controlCharacters(_ word: UInt64) -> UInt64 {
  (word &- ones &* 0x20) & ~word & highBits
}

@inline(__always)
private func markupFlags(_ word: UInt64) -> UInt64 {
  bytes(word, equalTo: 0x22) | bytes(word, equalTo: 0x26) | bytes(word, equalTo: 0x27) | bytes(word, equalTo: 0x3C)
    | bytes(word, equalTo: 0x3E)
}

/// The high bit of each byte of `word` that is DEL or not ASCII: the byte plus one, with its own high bit kept,
/// reaches 0x80 exactly then, and no byte carries into the next.
@inline(__always)
private func delOrNonASCII(_ word: UInt64) -> UInt64 {
  (word | ((word & ~highBits) &+ ones)) & highBits
}

/// Control characters, DEL, and every byte of a character beyond ASCII: among them 0xC2, which starts the C1
/// controls U+0080–U+009F, and 0xEF, which starts the noncharacters U+FFFE and U+FFFF. Reports are nearly all
/// ASCII, so one test for all of them beats one per lead byte (two more were 2% of the instructions for 10k runs);
/// the rare character beyond ASCII is looked at on its own.
@inline(__always)
private func visibleControlFlags(_ word: UInt64) -> UInt64 {
  controlCharacters(word) | delOrNonASCII(word)
}

/// The markup characters and the control characters HTML shows visibly.
@inline(__always)
private func htmlSpecialFlags(_ word: UInt64) -> UInt64 {
  markupFlags(word) | visibleControlFlags(word)
}

/// The markup characters, control characters, DEL, and the characters beyond ASCII, among them the C1 controls
/// and the noncharacters U+FFFE and U+FFFF.
@inline(__always)
private func xmlSpecialFlags(_ word: UInt64) -> UInt64 {
  markupFlags(word) | visibleControlFlags(word)
}

/// The characters a JSON string escapes, and more to look at: controls, DEL, the characters beyond ASCII (for the
/// C1 controls among them), quote and backslash.
@inline(__always)
func jsonSpecialFlags(_ word: UInt64) -> UInt64 {
  visibleControlFlags(word) | bytes(word, equalTo: 0x22) | bytes(word, equalTo: 0x5C)
}

/// The index of the first byte at or after `start` that `flags` flags, or `bytes.count`.
@inline(__always)
func firstSpecial(
  in bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ flags: (UInt64) -> UInt64
) -> Int {
  let raw = UnsafeRawBufferPointer(bytes)
  var index = start
  while index &+ 8 <= bytes.count {
    let found = flags(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
    if found != 0 { return index &+ found.trailingZeroBitCount &>> 3 }
    index &+= 8
  }
  // The last few bytes one at a time, each the lowest byte of a word: only that byte's flag counts.
  while index < bytes.count {
    if flags(UInt64(bytes[index])) & 0x80 != 0 { return index }
    index &+= 1
  }
  return bytes.count
}

// Bit n set means byte n (< 64) needs attention; one shift-and-mask test keeps the scan loop branch-light.
private let htmlSpecials: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E
private let controlBytes: UInt64 = 0xFFFF_FFFF
private let xmlEscapedSpecials: UInt64 = htmlSpecials | controlBytes
// TAB, LF and CR are legal XML characters, so unescaped output keeps them.
private let xmlIllegalControls: UInt64 = controlBytes & ~(1 << 0x09 | 1 << 0x0A | 1 << 0x0D)

@inline(__always)
private func appendRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ output: inout OutputBuffer)
{
  if start < end { output.append(UnsafeBufferPointer(rebasing: bytes[start..<end])) }
}

@inline(__always)
private func isSpecial(_ byte: UInt8, in mask: UInt64) -> Bool {
  byte < 64 && mask & (1 << UInt64(byte)) != 0
}

/// Whether `bytes[index]` starts U+FFFE or U+FFFF (EF BF BE / EF BF BF), which XML 1.0 forbids.
@inline(__always)
private func isNonCharacter(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
  bytes[index] == 0xEF && index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE
}

/// The length of the control character HTML and Markdown show visibly at `bytes[index]` (1 for C0 other than
/// TAB, LF and CR, and DEL; 2 for C1), or 0 if there is none.
@inline(__always)
private func visibleControlLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
  let byte = bytes[index]
  if byte == 0x7F || isSpecial(byte, in: xmlIllegalControls) { return 1 }
  return byte == 0xC2 && index + 1 < bytes.count && bytes[index + 1] < 0xA0 ? 2 : 0
}

/// Appends the control character of `length` bytes at `bytes[index]` by the two hex digits of its code point, in
/// `form`: `\u001B` for HTML and Markdown, `&#x85;` for XML.
@inline(__always)
private func appendControl(
  _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, length: Int, as form: ControlForm, to output: inout OutputBuffer
) {
  // C1 controls are C2 80–C2 9F: the second byte is the code point.
  let scalar = length == 2 ? bytes[index + 1] : bytes[index]
  let hex: StaticString = "0123456789ABCDEF"
  output.append(form == .visible ? "\\u00" : "&#x")
  output.append(hex.utf8Start[Int(scalar >> 4)])
  output.append(hex.utf8Start[Int(scalar & 0xF)])
  if form == .reference { output.append(UInt8(ascii: ";")) }
}

/// Shows the byte at `bytes[index]` visibly when it starts a control character HTML and Markdown cannot carry,
/// ending the run of plain bytes before it; any other byte (TAB, LF, CR, a character beyond ASCII) stays in the run.
/// - Returns: how many bytes to move on: the control character's length, or 1.
@inline(__always)
private func showVisibly(
  _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, runStart: inout Int, to output: inout OutputBuffer
) -> Int {
  let length = visibleControlLength(bytes, at: index)
  guard length > 0 else { return 1 }
  appendRun(bytes, from: runStart, to: index, &output)
  appendControl(bytes, at: index, length: length, as: .visible, to: &output)
  runStart = index + length
  return length
}

/// How a control character is written: visibly, as `\u001B`, or as an XML character reference, `&#x85;`.
private enum ControlForm {
  case visible, reference
}

@inline(__always)
private func appendReplacementCharacter(to output: inout OutputBuffer) {
  output.append("\u{FFFD}")
}

@inline(__always)
private func appendMarkupEntity(_ byte: UInt8, apostrophe: StaticString, to output: inout OutputBuffer) {
  switch byte {
  case 0x26: output.append("&amp;")
  case 0x3C: output.append("&lt;")
  case 0x3E: output.append("&gt;")
  case 0x22: output.append("&quot;")
  default: output.append(apostrophe)
  }
}

private func appendHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  var index = firstSpecial(in: bytes, from: 0, htmlSpecialFlags)
  while index < bytes.count {
    let byte = bytes[index]
    if isSpecial(byte, in: htmlSpecials) {
      appendRun(bytes, from: runStart, to: index, &output)
      appendMarkupEntity(byte, apostrophe: "&#39;", to: &output)
      runStart = index + 1
      index += 1
    } else {
      index += showVisibly(bytes, at: index, runStart: &runStart, to: &output)
    }
    index = firstSpecial(in: bytes, from: index, htmlSpecialFlags)
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

private func appendXMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  var index = firstSpecial(in: bytes, from: 0, xmlSpecialFlags)
  while index < bytes.count {
    let byte = bytes[index]
    if isSpecial(byte, in: xmlEscapedSpecials) {
      appendRun(bytes, from: runStart, to: index, &output)
      switch byte {
      case 0x09: output.append("&#9;")
      case 0x0A: output.append("&#10;")
      case 0x0D: output.append("&#13;")
      case ..<0x20: appendReplacementCharacter(to: &output)
      default: appendMarkupEntity(byte, apostrophe: "&apos;", to: &output)
      }
      runStart = index + 1
      index += 1
    } else if isNonCharacter(bytes, at: index) {
      appendRun(bytes, from: runStart, to: index, &output)
      appendReplacementCharacter(to: &output)
      // The two continuation bytes are skipped by starting the next run after them.
      runStart = index + 3
      index += 3
    } else if case let length = visibleControlLength(bytes, at: index), length > 0 {
      // DEL and C1 are legal XML, so a character reference keeps the value while the file holds no raw control.
      appendRun(bytes, from: runStart, to: index, &output)
      appendControl(bytes, at: index, length: length, as: .reference, to: &output)
      runStart = index + length
      index += length
    } else {
      // Other characters beyond ASCII stay in the run.
      index += 1
    }
    index = firstSpecial(in: bytes, from: index, xmlSpecialFlags)
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

private func appendMarkdownEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  var index = 0
  while index < bytes.count {
    let byte = bytes[index]
    let isBreak = byte == 0x0A || byte == 0x0D || byte == 0x09
    switch byte {
    // Emphasis, code, links, raw HTML, table cells, strikethrough, entities and the escape character itself.
    case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
      UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "~"),
      UInt8(ascii: "&"), 0x09, 0x0A, 0x0D:
      break
    case ..<0x20, 0x7F, 0xC2:
      index += showVisibly(bytes, at: index, runStart: &runStart, to: &output)
      continue
    default:
      index += 1
      continue
    }
    appendRun(bytes, from: runStart, to: index, &output)
    if isBreak {
      output.append(0x20)
    } else {
      output.append(UInt8(ascii: "\\"))
      output.append(byte)
    }
    runStart = index + 1
    index += 1
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

/// Appends `bytes` with only the control characters HTML and Markdown cannot carry shown visibly.
private func appendControlsVisible(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  var index = firstSpecial(in: bytes, from: 0, visibleControlFlags)
  while index < bytes.count {
    index += showVisibly(bytes, at: index, runStart: &runStart, to: &output)
    index = firstSpecial(in: bytes, from: index, visibleControlFlags)
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

private func appendXMLSanitized(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  for index in 0..<bytes.count {
    let byte = bytes[index]
    let illegalLength = isSpecial(byte, in: xmlIllegalControls) ? 1 : (isNonCharacter(bytes, at: index) ? 3 : 0)
    if illegalLength > 0 {
      appendRun(bytes, from: runStart, to: index, &output)
      appendReplacementCharacter(to: &output)
      runStart = index + illegalLength
    } else if byte == 0x7F || byte == 0xC2, case let length = visibleControlLength(bytes, at: index), length > 0 {
      appendRun(bytes, from: runStart, to: index, &output)
      appendControl(bytes, at: index, length: length, as: .reference, to: &output)
      runStart = index + length
    }
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

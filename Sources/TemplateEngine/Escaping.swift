/// How interpolated values are escaped; chosen per template by `{{% CONTENT_TYPE: … }}` or a default.
public enum Escaping: String, Sendable, CaseIterable {
  /// Escapes `& < > " '` as character entities.
  case html = "HTML"
  /// Escapes like `.html` plus TAB/LF/CR, and replaces characters XML 1.0 forbids with U+FFFD.
  case xml = "XML"
  /// Copies values unchanged.
  case text = "TEXT"
  /// Backslash-escapes the characters that make Markdown markup, and turns line breaks and tabs into spaces,
  /// so that a value stays plain text on its line (GitHub-flavoured Markdown, for job summaries and tickets).
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

  /// Appends valid UTF-8 `bytes` unescaped (the `{{{name}}}` form); XML still drops characters it cannot carry.
  @inline(__always)
  func appendUnescaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
    switch self {
    case .html, .text, .markdown: output.append(bytes)
    case .xml: appendXMLSanitized(bytes, to: &output)
    }
  }
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
  for index in 0..<bytes.count where isSpecial(bytes[index], in: htmlSpecials) {
    appendRun(bytes, from: runStart, to: index, &output)
    appendMarkupEntity(bytes[index], apostrophe: "&#39;", to: &output)
    runStart = index + 1
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

private func appendXMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  for index in 0..<bytes.count {
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
    } else if byte == 0xEF, isNonCharacter(bytes, at: index) {
      appendRun(bytes, from: runStart, to: index, &output)
      appendReplacementCharacter(to: &output)
      // The two continuation bytes are skipped by starting the next run after them.
      runStart = index + 3
    }
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

private func appendMarkdownEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  for index in 0..<bytes.count {
    let byte = bytes[index]
    let isBreak = byte == 0x0A || byte == 0x0D || byte == 0x09
    switch byte {
    // Emphasis, code, links, raw HTML, table cells, strikethrough, entities and the escape character itself.
    case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
      UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "~"),
      UInt8(ascii: "&"), 0x09, 0x0A, 0x0D:
      break
    default:
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
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

private func appendXMLSanitized(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  var runStart = 0
  for index in 0..<bytes.count {
    let byte = bytes[index]
    let illegalLength = isSpecial(byte, in: xmlIllegalControls) ? 1 : (isNonCharacter(bytes, at: index) ? 3 : 0)
    guard illegalLength > 0 else { continue }
    appendRun(bytes, from: runStart, to: index, &output)
    appendReplacementCharacter(to: &output)
    runStart = index + illegalLength
  }
  appendRun(bytes, from: runStart, to: bytes.count, &output)
}

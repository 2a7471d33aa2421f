import TemplateEngine

/// Writes a value tree as JSON with sorted keys and two-space indentation, so equal trees give equal bytes.
enum JSONEncoding {
  static func encode(_ value: TemplateValue, into output: inout [UInt8], indent: Int = 0) {
    switch value {
    case .null: output += "null".utf8
    case .bool(let flag): output += (flag ? "true" : "false").utf8
    case .int(let number): output += String(number).utf8
    case .double(let number): output += TemplateValue.text(of: number).utf8
    case .string(let text): appendString(text, to: &output)
    case .list(let items):
      guard !items.isEmpty else {
        output += "[]".utf8
        return
      }
      output += "[\n".utf8
      for (index, item) in items.enumerated() {
        appendIndent(indent + 1, to: &output)
        encode(item, into: &output, indent: indent + 1)
        output += (index + 1 < items.count ? ",\n" : "\n").utf8
      }
      appendIndent(indent, to: &output)
      output.append(UInt8(ascii: "]"))
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}".utf8
        return
      }
      output += "{\n".utf8
      let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (index, key) in keys.enumerated() {
        appendIndent(indent + 1, to: &output)
        appendString(key, to: &output)
        output += ": ".utf8
        encode(members[key] ?? .null, into: &output, indent: indent + 1)
        output += (index + 1 < keys.count ? ",\n" : "\n").utf8
      }
      appendIndent(indent, to: &output)
      output.append(UInt8(ascii: "}"))
    }
  }

  private static func appendIndent(_ level: Int, to output: inout [UInt8]) {
    output += repeatElement(UInt8(ascii: " "), count: level * 2)
  }

  /// RFC 8259 string: quotes, backslashes and control characters escaped, everything else as UTF-8.
  static func appendString(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): output += "\\\"".utf8
      case UInt8(ascii: "\\"): output += "\\\\".utf8
      case UInt8(ascii: "\n"): output += "\\n".utf8
      case UInt8(ascii: "\r"): output += "\\r".utf8
      case UInt8(ascii: "\t"): output += "\\t".utf8
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        output += "\\u00".utf8
        output.append(hex[Int(byte >> 4)])
        output.append(hex[Int(byte & 0xF)])
      default: output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }
}

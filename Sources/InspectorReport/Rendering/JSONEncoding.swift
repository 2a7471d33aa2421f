import TemplateEngine

/// Writes a value tree as JSON with sorted keys, so equal trees give equal bytes.
///
/// The top two levels are indented, one member or element per line; anything deeper is written compact.
/// So each run is one line: a diff of two reports shows the runs that changed, the file is a third
/// smaller than fully indented, and `jq .` shows it whole.
struct JSONEncoding {
  /// Values at this depth or deeper are written on one line.
  private static let compactDepth = 2

  private var output: [UInt8] = []
  private let chunkSize: Int
  private let emit: (inout [UInt8]) -> Void

  /// Writes `value` and a final newline, handing `emit` pieces of about `chunkSize` bytes.
  static func encode(_ value: TemplateValue, chunkSize: Int, emit: @escaping (inout [UInt8]) -> Void) {
    var encoder = JSONEncoding(chunkSize: chunkSize, emit: emit)
    encoder.output.reserveCapacity(chunkSize + chunkSize / 4)
    encoder.encode(value, indent: 0)
    encoder.output.append(UInt8(ascii: "\n"))
    emit(&encoder.output)
  }

  private init(chunkSize: Int, emit: @escaping (inout [UInt8]) -> Void) {
    self.chunkSize = chunkSize
    self.emit = emit
  }

  private mutating func encode(_ value: borrowing TemplateValue, indent: Int) {
    switch value {
    case .list(let items) where indent < Self.compactDepth:
      guard !items.isEmpty else {
        output += "[]".utf8
        return
      }
      output += "[\n".utf8
      for index in items.indices {
        appendIndent(indent + 1)
        encode(items[index], indent: indent + 1)
        output += (index + 1 < items.count ? ",\n" : "\n").utf8
        if output.count >= chunkSize { emit(&output) }
      }
      appendIndent(indent)
      output.append(UInt8(ascii: "]"))
    case .object(let object) where indent < Self.compactDepth:
      guard object.count > 0 else {
        output += "{}".utf8
        return
      }
      output += "{\n".utf8
      // Shapes keep their names sorted, so the keys come out sorted without sorting here.
      let names = object.shape.names
      for index in names.indices {
        appendIndent(indent + 1)
        Self.appendString(names[index].name, to: &output)
        output += ": ".utf8
        encode(object[slot: index], indent: indent + 1)
        output += (index + 1 < names.count ? ",\n" : "\n").utf8
      }
      appendIndent(indent)
      output.append(UInt8(ascii: "}"))
    default:
      // Scalars, and anything at the compact depth, are written the same way.
      encodeCompact(value)
    }
  }

  private mutating func encodeCompact(_ value: borrowing TemplateValue) {
    switch value {
    case .null: output += "null".utf8
    case .bool(let flag): output += (flag ? "true" : "false").utf8
    case .int(let number): output += String(number).utf8
    case .double(let number): output += TemplateValue.text(of: number).utf8
    case .string(let text): Self.appendString(text, to: &output)
    case .list(let items):
      output.append(UInt8(ascii: "["))
      for index in items.indices {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        encodeCompact(items[index])
      }
      output.append(UInt8(ascii: "]"))
    case .object(let object):
      output.append(UInt8(ascii: "{"))
      let names = object.shape.names
      for index in names.indices {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        Self.appendString(names[index].name, to: &output)
        output.append(UInt8(ascii: ":"))
        encodeCompact(object[slot: index])
      }
      output.append(UInt8(ascii: "}"))
    }
  }

  private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

  private mutating func appendIndent(_ level: Int) {
    var remaining = level * 2
    while remaining > 0 {
      let count = min(remaining, Self.spaces.count)
      output += Self.spaces[..<count]
      remaining -= count
    }
  }

  /// RFC 8259 string: quotes, backslashes and control characters escaped, everything else as UTF-8.
  static func appendString(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { bytes in
      var runStart = 0
      for index in bytes.indices {
        let byte = bytes[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        output += UnsafeBufferPointer(rebasing: bytes[runStart..<index])
        runStart = index + 1
        switch byte {
        case UInt8(ascii: "\""): output += "\\\"".utf8
        case UInt8(ascii: "\\"): output += "\\\\".utf8
        case UInt8(ascii: "\n"): output += "\\n".utf8
        case UInt8(ascii: "\r"): output += "\\r".utf8
        case UInt8(ascii: "\t"): output += "\\t".utf8
        default:
          let hex = Array("0123456789abcdef".utf8)
          output += "\\u00".utf8
          output.append(hex[Int(byte >> 4)])
          output.append(hex[Int(byte & 0xF)])
        }
      }
      output += UnsafeBufferPointer(rebasing: bytes[runStart...])
    }
    output.append(UInt8(ascii: "\""))
  }
}

extension ValueTree {
  /// Writes the tree as JSON with sorted keys and a final newline, handing `emit` pieces of about `chunkSize`
  /// bytes, which it must use before returning (they are overwritten after). Equal trees give equal bytes.
  ///
  /// Lists and objects shallower than `compactDepth` are indented, a member or element per line; anything
  /// deeper is written on one line.
  public func encodeJSON(compactDepth: Int, chunkSize: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
    // Each field name is escaped once, not once per object; all of them in one buffer, segment after segment.
    var keyBytes = OutputBuffer(capacity: 4096)
    var keyRanges: [Range<Int>] = []
    var segmentBases: [Int] = []
    for segment in segments {
      segmentBases.append(keyRanges.count)
      for var name in segment.schema.names {
        let start = keyBytes.count
        name.withUTF8 { appendJSONString($0, to: &keyBytes) }
        keyRanges.append(start..<keyBytes.count)
      }
    }
    withoutActuallyEscaping(emit) { emit in
      withReader { reader in
        keyRanges.withUnsafeBufferPointer { keyRanges in
          segmentBases.withUnsafeBufferPointer { segmentBases in
            var encoder = JSONWriter(
              tree: reader,
              keys: JSONWriter.Keys(bytes: keyBytes.bytes, ranges: keyRanges, segmentBases: segmentBases),
              compactDepth: compactDepth, chunkSize: chunkSize, emit: emit)
            encoder.encode(root, depth: 0)
            encoder.output.append(UInt8(ascii: "\n"))
            emit(encoder.output.bytes)
          }
        }
      }
    }
  }
}

private struct JSONWriter: ~Copyable {
  /// Every field name as a JSON string: `ranges[segmentBases[segment] + field]` of `bytes`.
  struct Keys {
    let bytes: UnsafeBufferPointer<UInt8>
    let ranges: UnsafeBufferPointer<Range<Int>>
    let segmentBases: UnsafeBufferPointer<Int>

    @inline(__always)
    func key(segment: Int, field: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: bytes[ranges[segmentBases[segment] + field]])
    }
  }

  let tree: TreeReader
  let keys: Keys
  let compactDepth: Int
  let chunkSize: Int
  let emit: (UnsafeBufferPointer<UInt8>) -> Void
  var output: OutputBuffer

  init(
    tree: TreeReader, keys: Keys, compactDepth: Int, chunkSize: Int,
    emit: @escaping (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    output = OutputBuffer(capacity: chunkSize + chunkSize / 4)
    self.tree = tree
    self.keys = keys
    self.compactDepth = compactDepth
    self.chunkSize = chunkSize
    self.emit = emit
  }

  mutating func encode(_ value: TreeValue, depth: Int) {
    guard depth < compactDepth else { return encodeCompact(value) }
    switch value.kind {
    case .list:
      guard value.count > 0 else {
        output.append("[]")
        return
      }
      output.append("[\n")
      let members = tree.members(of: value)
      for index in members.indices {
        tree.prefetch(after: index, of: members)
        appendIndent(depth + 1)
        encode(members[index], depth: depth + 1)
        output.append(index + 1 < members.count ? ",\n" : "\n")
        if output.count >= chunkSize {
          emit(output.bytes)
          output.removeAll()
        }
      }
      appendIndent(depth)
      output.append(UInt8(ascii: "]"))
    case .object:
      let (names, members) = tree.fields(of: value)
      guard !members.isEmpty else {
        output.append("{}")
        return
      }
      output.append("{\n")
      for index in members.indices {
        appendIndent(depth + 1)
        output.append(keys.key(segment: value.segment, field: names.lowerBound + index))
        output.append(": ")
        encode(members[index], depth: depth + 1)
        output.append(index + 1 < members.count ? ",\n" : "\n")
      }
      appendIndent(depth)
      output.append(UInt8(ascii: "}"))
    case .null, .bool, .int, .double, .string:
      encodeCompact(value)
    }
  }

  mutating func encodeCompact(_ value: TreeValue) {
    switch value.kind {
    case .null: output.append("null")
    case .bool: output.append(value.payload != 0 ? "true" : "false")
    case .int: output.appendDecimal(Int(truncatingIfNeeded: value.payload))
    case .double: output.appendNumber(Double(bitPattern: value.payload))
    case .string: appendJSONString(tree.utf8(of: value), to: &output)
    case .list:
      output.append(UInt8(ascii: "["))
      let members = tree.members(of: value)
      for index in members.indices {
        tree.prefetch(after: index, of: members)
        if index > 0 { output.append(UInt8(ascii: ",")) }
        encodeCompact(members[index])
      }
      output.append(UInt8(ascii: "]"))
    case .object:
      output.append(UInt8(ascii: "{"))
      let (names, members) = tree.fields(of: value)
      for index in members.indices {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        output.append(keys.key(segment: value.segment, field: names.lowerBound + index))
        output.append(UInt8(ascii: ":"))
        encodeCompact(members[index])
      }
      output.append(UInt8(ascii: "}"))
    }
  }

  private mutating func appendIndent(_ level: Int) {
    let spaces: StaticString = "                                                                "
    var remaining = level * 2
    while remaining > 0 {
      let count = min(remaining, spaces.utf8CodeUnitCount)
      output.append(UnsafeBufferPointer(start: spaces.utf8Start, count: count))
      remaining -= count
    }
  }
}

/// Appends an RFC 8259 string: quotes, backslashes and control characters escaped, everything else as UTF-8.
func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  output.append(UInt8(ascii: "\""))
  var runStart = 0
  var index = firstSpecial(in: bytes, from: 0, jsonSpecialFlags)
  while index < bytes.count {
    let byte = bytes[index]
    output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
    runStart = index + 1
    index = firstSpecial(in: bytes, from: runStart, jsonSpecialFlags)
    switch byte {
    case UInt8(ascii: "\""): output.append("\\\"")
    case UInt8(ascii: "\\"): output.append("\\\\")
    case UInt8(ascii: "\n"): output.append("\\n")
    case UInt8(ascii: "\r"): output.append("\\r")
    case UInt8(ascii: "\t"): output.append("\\t")
    default:
      let hex: StaticString = "0123456789abcdef"
      output.append("\\u00")
      output.append(hex.utf8Start[Int(byte >> 4)])
      output.append(hex.utf8Start[Int(byte & 0xF)])
    }
  }
  output.append(UnsafeBufferPointer(rebasing: bytes[runStart...]))
  output.append(UInt8(ascii: "\""))
}

extension ValueTree {
  /// Writes the tree as JSON with sorted keys and a final newline, handing `emit` pieces of about `chunkSize`
  /// bytes, which it must use before returning (they are overwritten after). Equal trees give equal bytes.
  ///
  /// Lists and objects shallower than `compactDepth` are indented, a member or element per line; anything
  /// deeper is written on one line.
  public func encodeJSON(compactDepth: Int, chunkSize: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
    encodeJSON(compactDepth: compactDepth, lists: partsBuiltOnDemand(), chunkSize: chunkSize, emit: emit)
  }

  /// Writes the tree as `encodeJSON(compactDepth:chunkSize:emit:)` does, reading the parts of its lazy lists
  /// from `lists`, by list number.
  func encodeJSON(
    compactDepth: Int, lists: [any ListParts], chunkSize: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    withoutActuallyEscaping(emit) { emit in
      withReader { reader in
        var encoder = JSONWriter(
          tree: reader, schemas: segments.map(\.schema), lists: lists, compactDepth: compactDepth,
          chunkSize: chunkSize, emit: emit)
        encoder.encode(root, depth: 0)
        encoder.output.append(UInt8(ascii: "\n"))
        emit(encoder.output.bytes)
      }
    }
  }
}

/// Every field name of some segments as a JSON string, escaped once rather than once per object.
private struct JSONKeys: ~Copyable {
  /// The names, segment after segment, each shape's in its sorted order.
  private let bytes: UnsafeMutableBufferPointer<UInt8>
  /// Where each name is in `bytes`: `ranges[segmentBases[segment] + field]`.
  private let ranges: UnsafeMutableBufferPointer<Range<Int>>
  private let segmentBases: UnsafeMutableBufferPointer<Int>

  init(_ schemas: [TreeSchema]) {
    var escaped = OutputBuffer(capacity: 4096)
    var ranges: [Range<Int>] = []
    var bases: [Int] = []
    for schema in schemas {
      bases.append(ranges.count)
      for var name in schema.names {
        let start = escaped.count
        name.withUTF8 { appendJSONString($0, to: &escaped) }
        ranges.append(start..<escaped.count)
      }
    }
    bytes = .allocate(capacity: escaped.count)
    _ = bytes.initialize(from: escaped.bytes)
    self.ranges = .allocate(capacity: ranges.count)
    _ = self.ranges.initialize(from: ranges)
    segmentBases = .allocate(capacity: bases.count)
    _ = segmentBases.initialize(from: bases)
  }

  deinit {
    bytes.deallocate()
    ranges.deallocate()
    segmentBases.deallocate()
  }

  @inline(__always)
  func key(segment: Int, field: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: bytes[ranges[segmentBases[segment] + field]])
  }
}

private struct JSONWriter: ~Copyable {
  /// The tree's segments, and those of the list parts being read.
  var tree: TreeReader
  /// The field names of `tree`'s segments.
  var keys: JSONKeys
  let lists: [any ListParts]
  let compactDepth: Int
  let chunkSize: Int
  let emit: (UnsafeBufferPointer<UInt8>) -> Void
  var output: OutputBuffer
  private var repeats = RepeatedObjects()
  /// The schemas of `tree`'s segments.
  private var schemas: [TreeSchema]

  init(
    tree: TreeReader, schemas: [TreeSchema], lists: [any ListParts], compactDepth: Int, chunkSize: Int,
    emit: @escaping (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    output = OutputBuffer(capacity: chunkSize + chunkSize / 4)
    self.tree = tree
    self.schemas = schemas
    keys = JSONKeys(schemas)
    self.lists = lists
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
        handOnFullChunk()
      }
      appendIndent(depth)
      output.append(UInt8(ascii: "]"))
    case .parts:
      guard value.count > 0 else {
        output.append("[]")
        return
      }
      output.append("[\n")
      forEachMember(of: lists[value.listNumber]) { writer, member, position in
        if position > 0 { writer.output.append(",\n") }
        writer.appendIndent(depth + 1)
        writer.encode(member, depth: depth + 1)
        writer.handOnFullChunk()
      }
      output.append(UInt8(ascii: "\n"))
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
    case .parts:
      output.append(UInt8(ascii: "["))
      forEachMember(of: lists[value.listNumber]) { writer, member, position in
        if position > 0 { writer.output.append(UInt8(ascii: ",")) }
        writer.encodeCompact(member)
      }
      output.append(UInt8(ascii: "]"))
    case .object:
      if let encoding = repeats.encoding(of: value) {
        output.append(encoding)
        return
      }
      let start = output.count
      output.append(UInt8(ascii: "{"))
      let (names, members) = tree.fields(of: value)
      for index in members.indices {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        output.append(keys.key(segment: value.segment, field: names.lowerBound + index))
        output.append(UInt8(ascii: ":"))
        encodeCompact(members[index])
      }
      output.append(UInt8(ascii: "}"))
      // Nothing is handed on inside a compact value, so its encoding lies whole in the buffer.
      repeats.met(value, encodedAs: UnsafeBufferPointer(rebasing: output.bytes[start...]))
    }
  }

  /// Hands the output on once it holds a chunk; only between values that are not inside compact ones.
  private mutating func handOnFullChunk() {
    if output.count >= chunkSize {
      emit(output.bytes)
      output.removeAll()
    }
  }

  /// Calls `body` with each member of a list built in parts, and its position in the list, holding one part
  /// at a time.
  private mutating func forEachMember(of list: any ListParts, _ body: (inout JSONWriter, TreeValue, Int) -> Void) {
    let (outer, outerSchemas) = (tree, schemas)
    var position = 0
    list.forEachPart(readAfter: outer) { part, reader in
      tree = reader
      schemas = outerSchemas + [part.segments[outer.segments.count].schema]
      keys = JSONKeys(schemas)
      // The segment held another part before, so remembered places in it name other objects now.
      repeats.removeAll()
      let members = reader.members(of: part.root)
      for index in members.indices {
        reader.prefetch(after: index, of: members)
        body(&self, members[index], position)
        position += 1
      }
    }
    (tree, schemas) = (outer, outerSchemas)
    keys = JSONKeys(schemas)
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

/// The encodings of objects the writer meets more than once, to copy rather than encode again.
///
/// A report's runs share their check, finding and count objects (the tree holds each once), which made more
/// than half the values report.json writes for 10k runs. An object's place in the tree identifies it, and its
/// encoding depends on nothing else. Objects are remembered in a small table by place: met once, only the
/// place; met again, the encoding too, while room lasts.
private struct RepeatedObjects: ~Copyable {
  private struct Entry {
    /// The object's place (its payload); `UInt64.max` for none.
    var place: UInt64
    var start: Int
    /// The encoding's length, or -1 while the object has been met only once.
    var count: Int
  }

  private static let entryCount = 4096
  /// Encodings longer than this are not kept: shared objects are small, and long ones would crowd them out.
  private static let longest = 1024
  private let entries = UnsafeMutableBufferPointer<Entry>.allocate(capacity: entryCount)
  private let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
  private var used = 0

  init() {
    entries.initialize(repeating: Entry(place: .max, start: 0, count: -1))
  }

  /// Forgets every object: their places now hold others.
  mutating func removeAll() {
    entries.update(repeating: Entry(place: .max, start: 0, count: -1))
    used = 0
  }

  deinit {
    entries.deallocate()
    bytes.deallocate()
  }

  @inline(__always)
  private func slot(of object: TreeValue) -> Int {
    Int(truncatingIfNeeded: (object.payload &* 0x9E37_79B9_7F4A_7C15) >> 52)
  }

  /// The kept encoding of `object`, if it has one.
  @inline(__always)
  func encoding(of object: TreeValue) -> UnsafeBufferPointer<UInt8>? {
    let entry = entries[slot(of: object)]
    guard entry.place == object.payload, entry.count >= 0 else { return nil }
    return UnsafeBufferPointer(rebasing: bytes[entry.start..<entry.start + entry.count])
  }

  /// Notes that `object` was just encoded as `encoding`, keeping the encoding when it was met before.
  @inline(__always)
  mutating func met(_ object: TreeValue, encodedAs encoding: UnsafeBufferPointer<UInt8>) {
    let slot = slot(of: object)
    guard entries[slot].place == object.payload else {
      entries[slot] = Entry(place: object.payload, start: 0, count: -1)
      return
    }
    guard encoding.count <= Self.longest, used + encoding.count <= bytes.count else { return }
    _ = UnsafeMutableBufferPointer(rebasing: bytes[used..<used + encoding.count]).initialize(from: encoding)
    entries[slot] = Entry(place: object.payload, start: used, count: encoding.count)
    used += encoding.count
  }
}

/// Appends an RFC 8259 string: quotes, backslashes and control characters escaped, everything else as UTF-8.
///
/// DEL and the C1 controls (U+0080–U+009F) are escaped too, though JSON allows them raw, so that no output holds
/// a control character a terminal would obey.
func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
  output.append(UInt8(ascii: "\""))
  var runStart = 0
  var index = firstSpecial(in: bytes, from: 0, jsonSpecialFlags)
  while index < bytes.count {
    var byte = bytes[index]
    if byte >= 0x80 {
      // Characters beyond ASCII stay in the run, but for a C1 control (C2 80–C2 9F), escaped as its second byte's
      // value.
      guard byte == 0xC2 && index + 1 < bytes.count && bytes[index + 1] < 0xA0 else {
        index = firstSpecial(in: bytes, from: index + 1, jsonSpecialFlags)
        continue
      }
      output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
      byte = bytes[index + 1]
      runStart = index + 2
    } else {
      output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
      runStart = index + 1
    }
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

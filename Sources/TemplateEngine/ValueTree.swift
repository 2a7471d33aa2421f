import CPrefetch

/// The value tree laid out flat, as templates render it and `report.json` encodes it.
///
/// Every value is a 12-byte `TreeValue`: scalars inline, a string as a range of shared bytes, a list or
/// object as the position of its members, which sit side by side. A report's tree holds millions of values;
/// walking this one is index arithmetic with no reference counting (which renderers on several cores would
/// otherwise contend on), and freeing it is freeing a few arrays.
///
/// A list too large to hold whole is one value whose rows a `LazyList` builds a part at a time, each part a
/// tree of its own. A tree is therefore read as segments: its own first, then one set aside for each part
/// being read, so a position names its segment as well as the offset within it.
public struct ValueTree: Sendable {
  /// The segments by number.
  private(set) var segments: [Segment]
  /// The outermost value.
  public let root: TreeValue
  /// The lists built in parts, by the number their values hold.
  let lists: [any LazyList]

  /// Values, string bytes and field names built by one `ValueTreeBuilder`.
  struct Segment: Sendable {
    /// The members of a list or object are consecutive, an object's in its shape's name order.
    var values: [TreeValue]
    var bytes: [UInt8]
    let schema: TreeSchema
  }

  /// The buffers of this tree's values and strings, emptied, for building another tree in memory that is
  /// already the process's (and likely in the cache) rather than fresh from the system.
  ///
  /// Only a tree nothing else holds gives its buffers; otherwise the builder allocates its own.
  consuming func storage() -> ValueTreeStorage {
    var storage = ValueTreeStorage()
    guard let last = segments.indices.last else { return storage }
    // Swapped out of the tree itself, so that the buffers are held once and emptying them keeps them.
    swap(&storage.values, &segments[last].values)
    swap(&storage.bytes, &segments[last].bytes)
    storage.values.removeAll(keepingCapacity: true)
    storage.bytes.removeAll(keepingCapacity: true)
    return storage
  }

  init(segments: [Segment], root: TreeValue, lists: [any LazyList] = []) {
    self.segments = segments
    self.root = root
    self.lists = lists
  }

  /// The parts of this tree's lazy lists, each built when its reader reaches it, for a reader of its own.
  func partsBuiltOnDemand() -> [any ListParts] {
    lists.map { LazyListParts($0) }
  }

  /// The tree of `value`.
  public init(_ value: TemplateValue) {
    var builder = ValueTreeBuilder()
    let root = builder.add(value)
    self = builder.finish(root: root)
  }

  /// `value` as a `TemplateValue`, for inspecting a tree.
  public func templateValue(_ value: TreeValue) -> TemplateValue {
    switch value.kind {
    case .null: return .null
    case .bool: return .bool(value.payload != 0)
    case .int: return .int(Int(truncatingIfNeeded: value.payload))
    case .double: return .double(Double(bitPattern: value.payload))
    case .string: return .string(String(decoding: segments[value.segment].bytes[value.range], as: UTF8.self))
    case .list: return .list(value.range.map { templateValue(segments[value.segment].values[$0]) })
    case .parts:
      let list = LazyListParts(lists[value.listNumber])
      return .list(
        (0..<list.partCount).flatMap { number in
          let part = list.part(number, segment: segments.count)
          return part.root.range.map { part.templateValue(part.segments[part.root.segment].values[$0]) }
        })
    case .object:
      let segment = segments[value.segment]
      var object: [String: TemplateValue] = [:]
      for (offset, field) in segment.schema.fields(of: value).enumerated() {
        object[segment.schema.names[field]] = templateValue(segment.values[value.offset + offset])
      }
      return .object(TemplateObject(object))
    }
  }

  /// Reads the tree through unsafe buffers, valid only inside `body`.
  func withReader<Result>(_ body: (TreeReader) -> Result) -> Result {
    var readers: [TreeReader.Segment] = []
    readers.reserveCapacity(segments.count)
    return withReaders(from: 0, into: &readers, body)
  }

  /// Reads this tree, a part of a list that `reader` reached, in the segment after `reader`'s; valid only
  /// inside `body`.
  func withReader<Result, Failure>(
    extending reader: TreeReader, _ body: (TreeReader) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    let number = reader.segments.count
    precondition(
      segments.count == number + 1 && lists.isEmpty && root.kind == .list && root.segment == number,
      "a list part is one list in the segment its reader sets aside")
    let segment = segments[number]
    let outcome = segment.values.withUnsafeBufferPointer { values in
      segment.bytes.withUnsafeBufferPointer { bytes in
        withExtendedLifetime(segment.schema) {
          let readers =
            Array(reader.segments) + [
              TreeReader.Segment(values: values, bytes: bytes, schema: segment.schema.storage)
            ]
          return readers.withUnsafeBufferPointer { readers in
            Swift.Result { () throws(Failure) in try body(TreeReader(segments: readers)) }
          }
        }
      }
    }
    return try outcome.get()
  }

  /// Opens the buffers of segment `number` and those after it, one level of nesting each.
  private func withReaders<Result>(
    from number: Int, into readers: inout [TreeReader.Segment], _ body: (TreeReader) -> Result
  ) -> Result {
    guard number < segments.count else {
      return readers.withUnsafeBufferPointer { body(TreeReader(segments: $0)) }
    }
    let segment = segments[number]
    return segment.values.withUnsafeBufferPointer { values in
      segment.bytes.withUnsafeBufferPointer { bytes in
        withExtendedLifetime(segment.schema) {
          readers.append(TreeReader.Segment(values: values, bytes: bytes, schema: segment.schema.storage))
          return withReaders(from: number + 1, into: &readers, body)
        }
      }
    }
  }
}

/// One value of a `ValueTree`.
public struct TreeValue: Sendable, Hashable {
  enum Kind: UInt8 {
    /// `parts` is a list that a `LazyList` builds a part at a time.
    case null, bool, int, double, string, list, object, parts
  }

  // Twelve bytes, not sixteen: a report's tree holds millions of values, every output reads them all, and the
  // memory is the largest part of the report's. The payload is kept in two halves, so that the alignment, and
  // with it the stride, is four bytes; the kind takes the top three bits of the count.
  private let payloadLow: UInt32
  private let payloadHigh: UInt32
  private let countAndKind: UInt32

  /// The bit pattern of a scalar, or a position: for a string its first byte's, for a list or object its
  /// first member's, with the segment number in the top byte.
  var payload: UInt64 { UInt64(payloadHigh) << 32 | UInt64(payloadLow) }
  /// A string's byte count, a list's member count, an object's shape number.
  var count: UInt32 { countAndKind & UInt32(Self.countLimit) }
  var kind: Kind { Kind(rawValue: UInt8(truncatingIfNeeded: countAndKind >> Self.countBits)) ?? .null }

  /// Positions keep their segment number above this many bits.
  static let offsetBits: UInt64 = 56
  /// How many segments a tree can have.
  static let segmentLimit = 1 << (64 - offsetBits)
  /// Counts take the low bits of their word, the kind the rest.
  private static let countBits: UInt32 = 29
  /// The largest count: a string's bytes, a list's members.
  static let countLimit = 1 << countBits - 1

  init(payload: UInt64, count: UInt32, kind: Kind) {
    precondition(count <= Self.countLimit, "a tree string, list or shape number is below 2^29")
    payloadLow = UInt32(truncatingIfNeeded: payload)
    payloadHigh = UInt32(truncatingIfNeeded: payload >> 32)
    countAndKind = UInt32(kind.rawValue) << Self.countBits | count
  }

  init(segment: Int, offset: Int, count: UInt32, kind: Kind) {
    self.init(payload: UInt64(segment) << Self.offsetBits | UInt64(offset), count: count, kind: kind)
  }

  /// Absent data: falsy, interpolates as the empty string.
  public static let null = TreeValue(payload: 0, count: 0, kind: .null)

  /// A boolean.
  public static func bool(_ flag: Bool) -> TreeValue { TreeValue(payload: flag ? 1 : 0, count: 0, kind: .bool) }

  /// An integer.
  public static func int(_ number: Int) -> TreeValue {
    TreeValue(payload: UInt64(bitPattern: Int64(number)), count: 0, kind: .int)
  }

  /// A floating-point number.
  public static func double(_ number: Double) -> TreeValue {
    TreeValue(payload: number.bitPattern, count: 0, kind: .double)
  }

  /// Whether a section renders for this value: everything except `null`, `false` and `[]` is truthy.
  var isTruthy: Bool {
    switch kind {
    case .null: false
    case .bool: payload != 0
    case .list, .parts: count > 0
    case .int, .double, .string, .object: true
    }
  }

  /// The segment of a string, list or object.
  var segment: Int { Int(truncatingIfNeeded: payload >> Self.offsetBits) }
  /// Where a string's bytes, or a list's or object's members, start in its segment.
  var offset: Int { Int(truncatingIfNeeded: payload & (1 << Self.offsetBits - 1)) }
  /// A string's bytes, or a list's members, in its segment.
  var range: Range<Int> { offset..<offset + Int(count) }
  /// A list built in parts: its place among its tree's `lists`.
  var listNumber: Int { Int(truncatingIfNeeded: payload) }
}

/// Unsafe views of a tree's buffers, for walking it; valid only inside `ValueTree.withReader`.
struct TreeReader {
  struct Segment {
    let values: UnsafeBufferPointer<TreeValue>
    let bytes: UnsafeBufferPointer<UInt8>
    let schema: TreeSchema.Storage
  }

  let segments: UnsafeBufferPointer<Segment>

  /// The UTF-8 of a string value.
  @inline(__always)
  func utf8(of string: TreeValue) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: segments[string.segment].bytes[string.range])
  }

  /// The members of a list value.
  @inline(__always)
  func members(of list: TreeValue) -> UnsafeBufferPointer<TreeValue> {
    UnsafeBufferPointer(rebasing: segments[list.segment].values[list.range])
  }

  /// The position among the fields of an object value's shape of the field `name` (whose FNV-1a hash is
  /// `hash`), or `nil` when the shape has none.
  @inline(__always)
  func field(hash: UInt64, name: UnsafeBufferPointer<UInt8>, of object: TreeValue) -> Int? {
    segments[object.segment].schema.field(hash: hash, name: name, inShape: Int(object.count))
  }

  /// The member in position `field` of an object value.
  @inline(__always)
  func member(at field: Int, of object: TreeValue) -> TreeValue {
    segments[object.segment].values[object.offset + field]
  }

  /// Starts loading what walking the members after `index` of `members` will read, while member `index` is
  /// walked: the values of the member after next, and the string bytes of the next one.
  ///
  /// A report's tree is far larger than the caches, and each output reads all of it; without this, the walk
  /// waits for memory one value at a time. A list or object built right after its neighbour in the same
  /// segment has its values (its nested ones too) between the two, and its strings' bytes together. The
  /// values are fetched a member earlier than the bytes, so that reading where the bytes are does not wait.
  @inline(__always)
  func prefetch(after index: Int, of members: UnsafeBufferPointer<TreeValue>) {
    if index == 0 && members.count > 1 { prefetchValues(of: members[1], after: members[0]) }
    if index + 2 < members.count { prefetchValues(of: members[index + 2], after: members[index + 1]) }
    if index + 1 < members.count { prefetchBytes(of: members[index + 1], after: members[index]) }
  }

  @inline(__always)
  private func prefetchValues(of next: TreeValue, after previous: TreeValue) {
    guard next.segment == previous.segment, let start = end(of: previous), let end = end(of: next), start < end,
      end - start <= Self.prefetchLimit, let base = segments[next.segment].values.baseAddress
    else { return }
    prefetch(from: UnsafeRawPointer(base + start), to: UnsafeRawPointer(base + end))
  }

  /// Fetches the bytes of the strings `next` holds itself, which lie together when it was built after its
  /// neighbour; its values were fetched a member earlier, so reading them does not wait.
  @inline(__always)
  private func prefetchBytes(of next: TreeValue, after previous: TreeValue) {
    guard next.kind == .object, next.segment == previous.segment, next.offset > previous.offset else { return }
    var (start, end) = (Int.max, 0)
    for value in fields(of: next).values where value.kind == .string {
      start = Swift.min(start, value.offset)
      end = Swift.max(end, value.offset + Int(value.count))
    }
    guard start < end, end - start <= Self.prefetchLimit * 8, let base = segments[next.segment].bytes.baseAddress
    else { return }
    prefetch(from: UnsafeRawPointer(base + start), to: UnsafeRawPointer(base + end))
  }

  @inline(__always)
  private func prefetch(from start: UnsafeRawPointer, to end: UnsafeRawPointer) {
    var line = start
    while line < end {
      prefetch_for_reading(line)
      line += 64
    }
  }

  /// The most values fetched ahead: a run's are about 180. Members further apart were not built one after the
  /// other (shared values, say); fetching what lies between them cost more than it saved.
  private static let prefetchLimit = 512

  /// Where the members of a list or object end in its segment.
  @inline(__always)
  private func end(of value: TreeValue) -> Int? {
    switch value.kind {
    case .object: value.offset + segments[value.segment].schema.shapes[Int(value.count)].fieldCount
    case .list: value.offset + Int(value.count)
    case .null, .bool, .int, .double, .string, .parts: nil
    }
  }

  /// An object value's shape (where its field names start in its schema, and how many there are) and members.
  @inline(__always)
  func fields(of object: TreeValue) -> (names: Range<Int>, values: UnsafeBufferPointer<TreeValue>) {
    let segment = segments[object.segment]
    let shape = segment.schema.shapes[Int(object.count)]
    let values = UnsafeBufferPointer(rebasing: segment.values[object.offset..<object.offset + shape.fieldCount])
    return (shape.fieldStart..<shape.fieldStart + shape.fieldCount, values)
  }
}

/// The field names of every kind of object in a tree, flat: each shape's names sorted, with its lookup table.
///
/// A class only so that the buffers are freed with the last tree that uses them.
final class TreeSchema: @unchecked Sendable {
  // @unchecked: the buffers are written once, in `init`, and only read after.
  let storage: Storage
  /// Every field name, shape after shape, each shape's in its sorted order.
  let names: [String]

  struct ShapeRecord {
    let fieldStart: Int
    let fieldCount: Int
    let tableStart: Int
    let mask: Int
  }

  struct FieldRecord {
    let hash: UInt64
    let nameStart: Int
    let nameCount: Int
  }

  struct Storage {
    let shapes: UnsafeMutableBufferPointer<ShapeRecord>
    let fields: UnsafeMutableBufferPointer<FieldRecord>
    let tables: UnsafeMutableBufferPointer<Int32>
    let nameBytes: UnsafeMutableBufferPointer<UInt8>

    /// The position of the field `name` (whose FNV-1a hash is `hash`) among the fields of `shape`, or `nil`
    /// when that shape has no such field.
    @inline(__always)
    func field(hash: UInt64, name: UnsafeBufferPointer<UInt8>, inShape shape: Int) -> Int? {
      let record = shapes[shape]
      var index = Int(truncatingIfNeeded: hash) & record.mask
      while true {
        let slot = Int(tables[record.tableStart + index])
        if slot < 0 { return nil }
        let field = fields[record.fieldStart + slot]
        if field.hash == hash && field.nameCount == name.count && sameBytes(field.nameStart, name) { return slot }
        index = (index + 1) & record.mask
      }
    }

    /// Whether the name bytes from `start` are `name`; names are short, so a plain loop beats a call.
    @inline(__always)
    private func sameBytes(_ start: Int, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
      for index in name.indices where nameBytes[start + index] != name[index] { return false }
      return true
    }
  }

  init(_ shapes: [TemplateShape]) {
    let fieldCount = shapes.reduce(0) { $0 + $1.names.count }
    let tableCount = shapes.reduce(0) { $0 + $1.table.count }
    let names = shapes.flatMap { $0.names.map(\.name) }
    let storage = Storage(
      shapes: .allocate(capacity: shapes.count), fields: .allocate(capacity: fieldCount),
      tables: .allocate(capacity: tableCount), nameBytes: .allocate(capacity: names.reduce(0) { $0 + $1.utf8.count }))
    var fieldStart = 0
    var tableStart = 0
    var nameStart = 0
    for (number, shape) in shapes.enumerated() {
      storage.shapes.initializeElement(
        at: number,
        to: ShapeRecord(
          fieldStart: fieldStart, fieldCount: shape.names.count, tableStart: tableStart, mask: shape.table.count - 1))
      for key in shape.names {
        let utf8 = Array(key.name.utf8)
        _ = storage.nameBytes[nameStart..<nameStart + utf8.count].initialize(from: utf8)
        storage.fields.initializeElement(
          at: fieldStart, to: FieldRecord(hash: key.hash, nameStart: nameStart, nameCount: utf8.count))
        fieldStart += 1
        nameStart += utf8.count
      }
      for slot in shape.table {
        storage.tables.initializeElement(at: tableStart, to: Int32(slot))
        tableStart += 1
      }
    }
    self.storage = storage
    self.names = names
  }

  deinit {
    storage.shapes.deallocate()
    storage.fields.deallocate()
    storage.tables.deallocate()
    storage.nameBytes.deallocate()
  }

  /// The positions in `names` of an object value's field names.
  func fields(of object: TreeValue) -> Range<Int> {
    let record = storage.shapes[Int(object.count)]
    return record.fieldStart..<record.fieldStart + record.fieldCount
  }
}

/// Empty buffers with room, for a `ValueTreeBuilder` to build in.
struct ValueTreeStorage: Sendable {
  var values: [TreeValue] = []
  var bytes: [UInt8] = []
}

/// Builds a `ValueTree` from the leaves up: a list or object is added after its members.
public struct ValueTreeBuilder: Sendable {
  /// This builder's segment number.
  let segment: Int
  private var values: [TreeValue] = []
  private var bytes: [UInt8] = []
  private var shapes: [TemplateShape] = []
  /// Each shape seen, kept alive so that its identifier cannot be reused by another.
  private var shapeNumbers: [ObjectIdentifier: (shape: TemplateShape, number: UInt32)] = [:]
  /// Shapes made apart (by two layouts, say) with the same names share a number.
  private var shapeNumbersByNames: [[String]: UInt32] = [:]
  private var lists: [any LazyList] = []

  /// An empty builder for a tree's first segment.
  public init() {
    self.init(segment: 0)
  }

  /// An empty builder for segment `number` of a tree, below 256: a list part is built in the segment its reader
  /// sets aside for it.
  init(segment number: Int) {
    precondition(number >= 0 && number < TreeValue.segmentLimit, "segment numbers are below 256")
    segment = number
  }

  /// An empty builder for segment `number` that builds in `storage`.
  init(segment number: Int, storage: consuming ValueTreeStorage) {
    self.init(segment: number)
    swap(&values, &storage.values)
    swap(&bytes, &storage.bytes)
  }

  /// Makes room for `values` values and `bytes` bytes of strings, so that building that much moves nothing.
  ///
  /// Room asked for but not used costs address space only: the system provides memory when it is first written.
  public mutating func reserveCapacity(values: Int, bytes: Int) {
    self.values.reserveCapacity(values)
    self.bytes.reserveCapacity(bytes)
  }

  /// A string.
  public mutating func string(_ text: String) -> TreeValue {
    let start = bytes.count
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
    // Lengths have 29 bits: a string of 512 MiB or more shows its first 512 MiB rather than wrapping around.
    let count = UInt32(Swift.min(bytes.count - start, TreeValue.countLimit))
    return TreeValue(segment: segment, offset: start, count: count, kind: .string)
  }

  /// A string of at most `capacity` bytes of UTF-8, which `write` puts in the buffer it is given and counts.
  ///
  /// For text made for the tree alone (dates, say), which then needs no `String` of its own.
  public mutating func string(capacity: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int) -> TreeValue {
    let start = bytes.count
    // Written on the stack and appended: the buffer would otherwise be grown, filled and cut back.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      let count = write(buffer)
      precondition((0...capacity).contains(count), "write must count the bytes it wrote")
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
    }
    return TreeValue(segment: segment, offset: start, count: UInt32(bytes.count - start), kind: .string)
  }

  /// A list whose rows `list` builds when a reader reaches them.
  public mutating func list(lazy list: some LazyList) -> TreeValue {
    lists.append(list)
    return TreeValue(payload: UInt64(lists.count - 1), count: UInt32(list.count), kind: .parts)
  }

  /// A list of `items`.
  public mutating func list(_ items: [TreeValue]) -> TreeValue {
    let start = values.count
    values.append(contentsOf: items)
    return TreeValue(segment: segment, offset: start, count: UInt32(items.count), kind: .list)
  }

  /// An object of `shape` with `fields`, given in the shape's (sorted) name order.
  public mutating func object(_ shape: TemplateShape, fields: [TreeValue]) -> TreeValue {
    precondition(fields.count == shape.names.count, "an object needs one value per field of its shape")
    return object(shapeNumber: number(of: shape), fieldCount: fields.count) { fields[$0] }
  }

  /// An object whose shape is number `shapeNumber` of this builder, with `fieldCount` fields.
  mutating func object(shapeNumber: UInt32, fieldCount: Int, field: (Int) -> TreeValue) -> TreeValue {
    let start = values.count
    for slot in 0..<fieldCount { values.append(field(slot)) }
    return TreeValue(segment: segment, offset: start, count: shapeNumber, kind: .object)
  }

  /// The number of `shape` among this builder's shapes, which is given one when first seen.
  mutating func number(of shape: TemplateShape) -> UInt32 {
    if let known = shapeNumbers[ObjectIdentifier(shape)] { return known.number }
    let names = shape.names.map(\.name)
    let number = shapeNumbersByNames[names] ?? UInt32(shapes.count)
    if number == shapes.count {
      shapes.append(shape)
      shapeNumbersByNames[names] = number
    }
    shapeNumbers[ObjectIdentifier(shape)] = (shape, number)
    return number
  }

  /// The tree with `root` outermost, its values in this builder's segment and the segments before it empty;
  /// the builder is left empty.
  public mutating func finish(root: TreeValue) -> ValueTree {
    defer { self = ValueTreeBuilder(segment: segment) }
    let empty = ValueTree.Segment(values: [], bytes: [], schema: TreeSchema([]))
    let own = ValueTree.Segment(values: values, bytes: bytes, schema: TreeSchema(shapes))
    return ValueTree(segments: Array(repeating: empty, count: segment) + [own], root: root, lists: lists)
  }

  /// Adds a `TemplateValue` and everything in it.
  public mutating func add(_ value: TemplateValue) -> TreeValue {
    switch value {
    case .null: return .null
    case .bool(let flag): return .bool(flag)
    case .int(let number): return .int(number)
    case .double(let number): return .double(number)
    case .string(let text): return string(text)
    case .list(let items): return list(items.map { add($0) })
    case .object(let object): return self.object(object.shape, fields: object.values.map { add($0) })
    }
  }
}

/// Builds tree objects of one kind, making their shape from the first object's names and sharing it after.
///
/// The names come from the literal at the call site, so they are written once; later objects with the
/// same names (checked, cheaply, since they are the same literals) reuse the shape.
public struct ObjectLayout: Sendable {
  private var shape: TemplateShape?
  /// For each slot of the shape, the position of its name in the literal.
  private var literalPositions: [Int] = []
  private var literalNames: [String] = []
  /// The shape's number in the segment last built into, which would otherwise be looked up for every object.
  private var shapeNumber: (segment: Int, number: UInt32)?

  /// A layout with no shape yet.
  public init() {}

  /// An object with `fields`, added to `tree`.
  public mutating func make(in tree: inout ValueTreeBuilder, _ fields: KeyValuePairs<String, TreeValue>) -> TreeValue {
    make(in: &tree, count: fields.count, name: { fields[$0].key }, value: { fields[$0].value })
  }

  /// An object with `fields` and then `last`: for a kind of object that is another kind with one field more,
  /// whose other fields are then written once, in a function both kinds call.
  public mutating func make(
    in tree: inout ValueTreeBuilder, _ fields: KeyValuePairs<String, TreeValue>, _ last: (String, TreeValue)
  ) -> TreeValue {
    make(
      in: &tree, count: fields.count + 1, name: { $0 < fields.count ? fields[$0].key : last.0 },
      value: { $0 < fields.count ? fields[$0].value : last.1 })
  }

  @inline(__always)
  private mutating func make(
    in tree: inout ValueTreeBuilder, count: Int, name: (Int) -> String, value: (Int) -> TreeValue
  ) -> TreeValue {
    if shape == nil || !sameNames(count: count, name: name) {
      let names = (0..<count).map(name)
      let newShape = TemplateShape(names)
      let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
      literalPositions = newShape.names.map { position[$0.name] ?? 0 }
      literalNames = names
      shape = newShape
      shapeNumber = nil
    }
    guard let shape else { return .null }
    if shapeNumber?.segment != tree.segment { shapeNumber = (tree.segment, tree.number(of: shape)) }
    // The names are distinct and the shape's own, so each slot takes exactly one field.
    return tree.object(shapeNumber: shapeNumber?.number ?? 0, fieldCount: literalPositions.count) { slot in
      value(literalPositions[slot])
    }
  }

  @inline(__always)
  private func sameNames(count: Int, name: (Int) -> String) -> Bool {
    guard count == literalNames.count else { return false }
    for index in 0..<count where name(index) != literalNames[index] { return false }
    return true
  }

}

/// A name as templates look it up: the text with its hash computed once, when the template is parsed.
public struct TemplateKey: Sendable, Hashable {
  /// The name.
  public let name: String
  /// FNV-1a of the name's UTF-8, so lookups in a shape never hash at render time.
  let hash: UInt64

  /// A key for `name`.
  public init(_ name: String) {
    self.name = name
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in name.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    self.hash = hash
  }
}

/// The field names of objects of one kind, sorted, with a lookup table: shared by every object of that kind.
///
/// A report holds tens of thousands of objects of a few kinds (runs, checks, …). Sharing their names
/// means building an object is one allocation, and iterating it in sorted order needs no sorting.
public final class TemplateShape: Sendable {
  /// The field names in UTF-8 byte order.
  public let names: [TemplateKey]
  /// Open-addressed table of slot numbers (`-1` for empty), indexed by hash.
  let table: [Int]
  private let mask: Int

  /// A shape with `names`, which must be distinct.
  public init(_ names: [String]) {
    let sorted = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(TemplateKey.init)
    var capacity = 4
    while capacity < sorted.count * 2 { capacity *= 2 }
    var table = [Int](repeating: -1, count: capacity)
    for (slot, key) in sorted.enumerated() {
      var index = Int(truncatingIfNeeded: key.hash) & (capacity - 1)
      while table[index] >= 0 { index = (index + 1) & (capacity - 1) }
      table[index] = slot
    }
    self.names = sorted
    self.table = table
    self.mask = capacity - 1
  }

  /// The slot of `key`, or `nil` when objects of this shape have no such field.
  @inline(__always)
  public func slot(of key: TemplateKey) -> Int? {
    var index = Int(truncatingIfNeeded: key.hash) & mask
    while true {
      let slot = table[index]
      if slot < 0 { return nil }
      let candidate = names[slot]
      if candidate.hash == key.hash && candidate.name == key.name { return slot }
      index = (index + 1) & mask
    }
  }
}

/// A keyed object of the value tree: a shape and one value per field, in the shape's sorted order.
///
/// One allocation holds the values (a report has hundreds of thousands of objects), and copying an object
/// copies one reference: renderers on several threads walk the same tree, and every reference count saved
/// is traffic saved between their caches.
public struct TemplateObject: @unchecked Sendable, Hashable {
  // @unchecked: the storage is written once, while it is made, and only read after.
  private let storage: Storage

  /// An object of `shape` with `values` in the shape's (sorted) order.
  public init(shape: TemplateShape, values: [TemplateValue]) {
    precondition(values.count == shape.names.count, "an object needs one value per field of its shape")
    let buffer = Storage.create(minimumCapacity: values.count) { _ in shape }
    buffer.withUnsafeMutablePointerToElements { elements in
      values.withUnsafeBufferPointer { source in
        if let base = source.baseAddress { elements.initialize(from: base, count: source.count) }
      }
    }
    storage = unsafeDowncast(buffer, to: Storage.self)
  }

  /// An object of `shape` whose values `initialize` writes, each slot exactly once, in place.
  init(shape: TemplateShape, initialize: (UnsafeMutableBufferPointer<TemplateValue>) -> Void) {
    let buffer = Storage.create(minimumCapacity: shape.names.count) { _ in shape }
    buffer.withUnsafeMutablePointerToElements {
      initialize(UnsafeMutableBufferPointer(start: $0, count: shape.names.count))
    }
    storage = unsafeDowncast(buffer, to: Storage.self)
  }

  /// An object with its own shape; for objects built once, such as in tests.
  public init(_ fields: [String: TemplateValue]) {
    let shape = TemplateShape(Array(fields.keys))
    self.init(shape: shape, values: shape.names.map { fields[$0.name] ?? .null })
  }

  /// The field names.
  public var shape: TemplateShape { storage.header }

  /// The number of fields.
  public var count: Int { storage.header.names.count }

  /// The value in `slot`, in the order of `shape.names`.
  @inline(__always)
  public subscript(slot slot: Int) -> TemplateValue {
    storage.withUnsafeMutablePointerToElements { $0[slot] }
  }

  /// The value of `key`, or `nil` when the object has no such field.
  @inline(__always)
  public subscript(key: TemplateKey) -> TemplateValue? {
    storage.header.slot(of: key).map { self[slot: $0] }
  }

  /// The value of `name`, or `nil` when the object has no such field.
  public subscript(name: String) -> TemplateValue? {
    self[TemplateKey(name)]
  }

  /// The values, in the order of `shape.names`.
  public var values: [TemplateValue] {
    storage.withUnsafeMutablePointerToElements { Array(UnsafeBufferPointer(start: $0, count: count)) }
  }

  public static func == (lhs: TemplateObject, rhs: TemplateObject) -> Bool {
    lhs.storage === rhs.storage || (lhs.shape.names == rhs.shape.names && lhs.values == rhs.values)
  }

  public func hash(into hasher: inout Hasher) {
    for key in shape.names { hasher.combine(key.name) }
    hasher.combine(values)
  }

  /// The shape, followed in the same allocation by the values.
  private final class Storage: ManagedBuffer<TemplateShape, TemplateValue> {
    deinit {
      _ = withUnsafeMutablePointers { shape, values in values.deinitialize(count: shape.pointee.names.count) }
    }
  }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
  /// An object from a literal; a repeated key keeps its last value.
  public init(dictionaryLiteral elements: (String, TemplateValue)...) {
    self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

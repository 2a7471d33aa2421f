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
/// A report holds tens of thousands of objects of a few kinds (runs, checks, …); a tree stores each kind's
/// names once, and iterating them in sorted order needs no sorting.
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

/// A keyed object of a `TemplateValue`: a shape and one value per field, in the shape's sorted order.
public struct TemplateObject: Sendable, Hashable {
  /// The field names.
  public let shape: TemplateShape
  /// The values, in the order of `shape.names`.
  public let values: [TemplateValue]

  /// An object of `shape` with `values` in the shape's (sorted) order.
  public init(shape: TemplateShape, values: [TemplateValue]) {
    precondition(values.count == shape.names.count, "an object needs one value per field of its shape")
    self.shape = shape
    self.values = values
  }

  /// An object with its own shape.
  public init(_ fields: [String: TemplateValue]) {
    let shape = TemplateShape(Array(fields.keys))
    self.init(shape: shape, values: shape.names.map { fields[$0.name] ?? .null })
  }

  /// The number of fields.
  public var count: Int { values.count }

  /// The value in `slot`, in the order of `shape.names`.
  public subscript(slot slot: Int) -> TemplateValue { values[slot] }

  /// The value of `key`, or `nil` when the object has no such field.
  public subscript(key: TemplateKey) -> TemplateValue? {
    shape.slot(of: key).map { values[$0] }
  }

  /// The value of `name`, or `nil` when the object has no such field.
  public subscript(name: String) -> TemplateValue? {
    self[TemplateKey(name)]
  }

  public static func == (lhs: TemplateObject, rhs: TemplateObject) -> Bool {
    lhs.shape.names == rhs.shape.names && lhs.values == rhs.values
  }

  public func hash(into hasher: inout Hasher) {
    for key in shape.names { hasher.combine(key.name) }
    hasher.combine(values)
  }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
  /// An object from a literal; a repeated key keeps its last value.
  public init(dictionaryLiteral elements: (String, TemplateValue)...) {
    self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

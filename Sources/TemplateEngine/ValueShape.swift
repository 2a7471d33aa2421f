/// What a template can find in the values it may be given: which keys an object has, what a list's elements hold.
///
/// A shape says which names may resolve without any value at hand, so a misspelt name is found when a template is
/// loaded rather than rendering as the empty string.
public indirect enum ValueShape: Sendable, Hashable {
  /// Text, a number, a boolean or null: nothing inside it has a name.
  case scalar
  /// An object with these keys and no others.
  case object([String: ValueShape])
  /// An object whose keys come from the data, so any key may be there; each value has this shape, or any shape
  /// when `nil` (no value was seen).
  case map(ValueShape?)
  /// A list; a section over it sees each element, which has this shape, or any shape when `nil` (no element was
  /// seen).
  case list(ValueShape?)
  /// Anything: every name may resolve inside it.
  case unknown

  /// A shape that allows what either allows: the shape of a value that may be either.
  public func merged(with other: ValueShape) -> ValueShape {
    switch (self, other) {
    case (.unknown, _), (_, .unknown): .unknown
    case (.scalar, let shape), (let shape, .scalar): shape
    case (.object(let keys), .object(let otherKeys)): .object(keys.merging(otherKeys) { $0.merged(with: $1) })
    case (.object(let keys), .map(let values)), (.map(let values), .object(let keys)):
      .map(keys.values.reduce(values) { Self.merge($0, $1) })
    case (.map(let values), .map(let otherValues)): .map(Self.merge(values, otherValues))
    case (.list(let elements), .list(let otherElements)): .list(Self.merge(elements, otherElements))
    case (.list, _), (_, .list): .unknown
    }
  }

  /// Two shapes merged, where `nil` is one not seen and allows nothing of its own.
  public static func merge(_ shape: ValueShape?, _ other: ValueShape?) -> ValueShape? {
    guard let shape else { return other }
    guard let other else { return shape }
    return shape.merged(with: other)
  }

  /// Whether a value of this shape has `key`: `.no`, `.yes` with the member's shape, or `.maybe` when the data
  /// decides.
  func member(_ key: Substring) -> Membership {
    switch self {
    case .object(let keys): keys[String(key)].map(Membership.yes) ?? .no
    case .map(let values): .maybe(values ?? .unknown)
    case .unknown: .maybe(.unknown)
    case .scalar, .list: .no
    }
  }

  /// The shape at the end of `keys` followed from this one, or `nil` when no value of this shape has them.
  func following(_ keys: ArraySlice<Substring>) -> ValueShape? {
    var shape = self
    for key in keys {
      switch shape.member(key) {
      case .no: return nil
      case .yes(let member), .maybe(let member): shape = member
      }
    }
    return shape
  }

  /// What a section over a value of this shape gives its body as the innermost context.
  var sectionContext: ValueShape {
    if case .list(let elements) = self { return elements ?? .unknown }
    return self
  }

  enum Membership {
    case no
    case yes(ValueShape)
    case maybe(ValueShape)
  }
}

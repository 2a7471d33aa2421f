/// A plain value tree written as literals, for tests and small contexts; templates render its flat form,
/// `ValueTree`, which is also what `report.json` encodes.
public enum TemplateValue: Sendable, Hashable {
  /// Absent data: falsy, interpolates as the empty string.
  case null
  /// A boolean: `false` is falsy, interpolates as `true`/`false`.
  case bool(Bool)
  /// An integer, interpolated in decimal.
  case int(Int)
  /// A floating-point number; whole values within ±2^53 interpolate without a fraction.
  case double(Double)
  /// Text, interpolated as is (escaped per the template's mode). The empty string is truthy.
  case string(String)
  /// A list: sections iterate it; the empty list is falsy; interpolates as the empty string.
  case list([TemplateValue])
  /// A keyed object: sections push it as a context; interpolates as the empty string.
  case object(TemplateObject)
}

extension TemplateValue {
  /// Whether a section renders for this value: everything except `null`, `false` and `[]` is truthy.
  public var isTruthy: Bool {
    switch self {
    case .null: false
    case .bool(let value): value
    case .list(let items): !items.isEmpty
    case .int, .double, .string, .object: true
    }
  }

  /// The value stored under `key` when this is an object, else `nil`.
  public subscript(key: String) -> TemplateValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }
}

extension TemplateValue: ExpressibleByStringLiteral {
  /// A `.string` from a literal.
  public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
  /// An `.int` from a literal.
  public init(integerLiteral value: Int) { self = .int(value) }
}

extension TemplateValue: ExpressibleByFloatLiteral {
  /// A `.double` from a literal.
  public init(floatLiteral value: Double) { self = .double(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
  /// A `.bool` from a literal.
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
  /// A `.list` from a literal.
  public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
  /// An `.object` from a literal; a repeated key keeps its last value.
  public init(dictionaryLiteral elements: (String, TemplateValue)...) {
    self = .object(TemplateObject(Dictionary(elements, uniquingKeysWith: { _, last in last })))
  }
}

extension TemplateValue {
  /// How a number interpolates: whole values within ±2^53 without a fraction (`131`), others in Swift's
  /// shortest round-trip form (`69.722`), so every number prints the same in every output.
  public static func text(of number: Double) -> String {
    // Checked by converting rather than with `rounded()`, which would need libm.
    if number.magnitude <= 9_007_199_254_740_992, Double(Int(number)) == number {
      return String(Int(number))
    }
    return number.description
  }
}

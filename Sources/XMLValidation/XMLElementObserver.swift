/// Checks rules that XML Schema 1.0 cannot express, while an ``XMLStreamValidator`` reads a document.
///
/// For example, that a JUnit `testsuite`'s `tests` attribute equals the number of its `testcase` children. The
/// observer sees the elements in document order, up to the first well-formedness error, and keeps whatever it
/// needs (a stack of counts, say); the validator keeps nothing for it.
public protocol XMLElementObserver: Sendable {
  /// Called once a start tag, or an empty-element tag, has been read.
  /// - Parameters:
  ///   - name: The element's local name, without any namespace prefix.
  ///   - attributes: The element's attributes in document order.
  /// - Returns: A message when the element breaks a rule; it becomes a diagnostic at the start tag.
  mutating func elementStarted(_ name: String, attributes: [XMLAttribute]) -> String?

  /// Called once an element's end tag has been read, or right after ``elementStarted(_:attributes:)`` for an
  /// empty-element tag.
  /// - Parameter name: The element's local name, without any namespace prefix.
  /// - Returns: A message when the element breaks a rule; it becomes a diagnostic at the element's start tag.
  mutating func elementEnded(_ name: String) -> String?
}

/// One attribute of an element, as an ``XMLElementObserver`` receives it.
public struct XMLAttribute: Sendable, Hashable {
  /// The attribute's local name, without any namespace prefix.
  public var name: String
  /// The value with its references replaced and its white space normalized, as XML defines it.
  public var value: String

  /// Creates an attribute.
  /// - Parameters:
  ///   - name: The attribute's local name.
  ///   - value: The attribute's value.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

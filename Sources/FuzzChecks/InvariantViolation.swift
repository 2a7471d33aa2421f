/// An input on which the product broke one of its promises; the fuzz target traps with it, a test fails with it.
public struct InvariantViolation: Error, Sendable, CustomStringConvertible {
  /// What was broken, and how.
  public var description: String

  init(_ description: String) {
    self.description = description
  }
}

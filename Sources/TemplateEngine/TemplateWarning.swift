/// Something in a template that is allowed but probably not meant, located at the tag.
public struct TemplateWarning: Sendable, Hashable, CustomStringConvertible {
  /// The name of the template holding the tag.
  public var name: String
  /// The 1-based line of the tag's opening delimiter.
  public var line: Int
  /// The 1-based column (in Unicode scalars) of the tag's opening delimiter.
  public var column: Int
  /// What is likely wrong, in a short sentence.
  public var message: String

  /// Creates a warning for the tag at `line`:`column` of template `name`.
  public init(name: String, line: Int, column: Int, message: String) {
    self.name = name
    self.line = line
    self.column = column
    self.message = message
  }

  /// `NAME:LINE:COL: warning: message`, as compilers print diagnostics.
  public var description: String { "\(name):\(line):\(column): warning: \(message)" }
}

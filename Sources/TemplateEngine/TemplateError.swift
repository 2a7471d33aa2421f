/// A template problem, located at the offending tag.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The name of the template holding the offending tag.
  public var name: String
  /// The 1-based line of the tag's opening delimiter.
  public var line: Int
  /// The 1-based column (in Unicode scalars) of the tag's opening delimiter.
  public var column: Int
  /// What is wrong, in a short sentence.
  public var message: String

  /// Creates an error for the tag at `line`:`column` of template `name`.
  public init(name: String, line: Int, column: Int, message: String) {
    self.name = name
    self.line = line
    self.column = column
    self.message = message
  }

  /// `NAME:LINE:COL: error: message`, as compilers print diagnostics.
  public var description: String { "\(name):\(line):\(column): error: \(message)" }
}

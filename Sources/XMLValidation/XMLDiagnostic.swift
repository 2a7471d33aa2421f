import Foundation

/// One problem found in a schema or document, located by line and column.
public struct XMLDiagnostic: Sendable, Hashable, CustomStringConvertible {
  /// The name of the checked schema or document, as the caller gave it.
  public var file: String
  /// The 1-based line, or 0 when unknown.
  public var line: Int
  /// The 1-based column in characters (as libxml2 counts them), or 0 when unknown.
  public var column: Int
  /// The message, without libxml2's trailing newline.
  public var message: String

  /// Creates a diagnostic.
  /// - Parameters:
  ///   - file: The name of the checked schema or document.
  ///   - line: The 1-based line, or 0 when unknown.
  ///   - column: The 1-based column, or 0 when unknown.
  ///   - message: What is wrong.
  public init(file: String, line: Int, column: Int, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// The compiler-style form `file:line:column: error: message`; an unknown line or column is left out.
  public var description: String {
    var location = file
    if line > 0 {
      location += ":\(line)"
      if column > 0 {
        location += ":\(column)"
      }
    }
    return "\(location): error: \(message)"
  }
}

/// Why an XML Schema could not be loaded.
public enum XMLValidationError: Error, LocalizedError, Sendable, Hashable {
  /// The schema file could not be read.
  case unreadableFile(path: String, reason: String)
  /// The schema is not well-formed XML or not a valid W3C XML Schema; the diagnostics say where.
  case invalidSchema(name: String, diagnostics: [XMLDiagnostic])

  /// A readable summary, one diagnostic per line.
  public var errorDescription: String? {
    switch self {
    case .unreadableFile(let path, let reason):
      return "cannot read XML Schema \(path): \(reason)"
    case .invalidSchema(let name, let diagnostics):
      let details = diagnostics.map { "\n\($0)" }.joined()
      return "invalid XML Schema \(name)\(details)"
    }
  }
}

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Why an input could not be read as snapshots; always names the input and the place in it.
public struct SnapshotError: Error, LocalizedError, Sendable, Hashable, CustomStringConvertible {
  /// Where the problem is.
  public var location: SourceLocation
  /// What is wrong, in a short sentence.
  public var message: String

  /// Creates an error at `location`.
  public init(_ message: String, at location: SourceLocation) {
    self.message = message
    self.location = location
  }

  /// `file:line:col: error: path: message`, as compilers print diagnostics, on one line: the file name, path
  /// and message come from inputs, so their control characters show as `\u001B` (see `TerminalText`).
  public var description: String {
    TerminalText.visible("\(location): error: \(pathAndMessage)")
  }

  /// `file:line:col: path: message`: the diagnostic without its `error:`, as a report's `inputs` check says it
  /// (each output escapes it its own way).
  var placedMessage: String {
    "\(location): \(pathAndMessage)"
  }

  /// `path: message`, or the message alone when the problem is at no JSON path.
  var pathAndMessage: String {
    location.path.isEmpty ? message : "\(location.path): \(message)"
  }

  public var errorDescription: String? { description }
}

import JSONReader

/// Resolves *now* from `--now` or `SOURCE_DATE_EPOCH`; without either the report uses its inputs' newest time.
public enum NowOption {
  /// *now* from the option, else from the environment, else `nil`.
  /// - Throws: `NowOptionError` when the given value is not a timestamp.
  public static func resolve(option: String?, environment: [String: String]) throws(NowOptionError) -> (
    Timestamp, NowSource
  )? {
    if let option {
      guard let instant = parse(option) else { throw NowOptionError(source: .option, value: option) }
      return (instant, .option)
    }
    if let value = environment["SOURCE_DATE_EPOCH"], !value.isEmpty {
      guard let instant = parse(value) else { throw NowOptionError(source: .environment, value: value) }
      return (instant, .environment)
    }
    return nil
  }

  /// Any form a snapshot may hold: ISO 8601, `str(datetime)`, or epoch seconds.
  public static func parse(_ text: String) -> Timestamp? {
    if let instant = Timestamp(parsing: text) { return instant }
    var reader = JSONReader(bytes: Array(text.utf8))
    guard (try? reader.peekKind()) == .number, let number = try? reader.readNumber(), reader.isAtEnd() else {
      return nil
    }
    return Timestamp(epochSeconds: number)
  }
}

/// A `--now` or `SOURCE_DATE_EPOCH` value that is not a timestamp.
public struct NowOptionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Which setting held it.
  public var source: NowSource
  /// The value.
  public var value: String

  public var description: String {
    "\(source.rawValue) '\(value)' is not a timestamp (use ISO 8601 such as 2026-05-20T00:00:00Z, or epoch seconds)"
  }
}

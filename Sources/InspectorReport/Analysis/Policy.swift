/// The most findings of each severity a run may have before its check fails.
public struct Policy: Sendable, Hashable {
  /// The maximum per severity; a severity without one is unlimited.
  public var maxima: [Severity: Int]

  /// High=0, the others unlimited: any High finding fails.
  public static let standard = Policy(maxima: [.high: 0])

  /// Creates a policy with `maxima`.
  public init(maxima: [Severity: Int]) {
    self.maxima = maxima
  }

  /// Applies a `--max` setting: `SEVERITY=N`, or `SEVERITY=none` to lift a limit.
  /// - Throws: `PolicyError` naming what is wrong with `setting`.
  public mutating func apply(_ setting: String) throws(PolicyError) {
    let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { throw PolicyError(setting: setting, reason: "expected SEVERITY=N") }
    let name = parts[0].trimmingWhitespace()
    guard let severity = Severity(caseInsensitive: name) else {
      let names = Severity.documented.map(\.name).joined(separator: ", ")
      throw PolicyError(setting: setting, reason: "unknown severity '\(name)' (one of \(names))")
    }
    let value = parts[1].trimmingWhitespace().lowercased()
    if ["none", "unlimited"].contains(value) {
      maxima[severity] = nil
    } else if let limit = Int(value), limit >= 0 {
      maxima[severity] = limit
    } else {
      throw PolicyError(setting: setting, reason: "N must be a whole number ≥ 0, or 'none'")
    }
  }
}

/// A `--max` setting that cannot be applied.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The setting as given.
  public var setting: String
  /// Why it was refused.
  public var reason: String

  public var description: String {
    "--max '\(setting)': \(reason)"
  }
}

extension StringProtocol {
  func trimmingWhitespace() -> String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}

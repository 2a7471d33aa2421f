/// What the checks require: the most findings of each severity a run may have, and the fewest runs a report may
/// have, before a check fails.
public struct Policy: Sendable, Hashable {
  /// The maximum per severity; a severity without one is unlimited.
  public var maxima: [Severity: Int]
  /// The fewest runs the inputs must hold: no evidence is not a pass.
  public var minimumRuns: Int

  /// High=0, the others unlimited, at least 1 run: any High finding fails, and so do inputs without runs.
  public static let standard = Policy(maxima: [.high: 0])

  /// Creates a policy with `maxima` that requires `minimumRuns` runs.
  public init(maxima: [Severity: Int], minimumRuns: Int = 1) {
    self.maxima = maxima
    self.minimumRuns = minimumRuns
  }

  /// The undocumented severities with a maximum, by name: each gets a check in every run, after the documented ones.
  public var undocumentedMaxima: [Severity] {
    maxima.keys.filter { $0.documentedIndex == nil }.sorted { $0.name < $1.name }
  }

  /// Applies a `--max` setting: `SEVERITY=N`, or `SEVERITY=none` to lift a limit.
  ///
  /// A documented severity matches in any case (`high`); any other name is a severity of its own, as written, since
  /// snapshots may hold keys Inspector does not document (`Critical`).
  /// - Throws: `PolicyError` naming what is wrong with `setting`.
  public mutating func apply(_ setting: String) throws(PolicyError) {
    let (severity, limit) = try Self.limit(in: setting, option: "--max")
    maxima[severity] = limit
  }

  /// Reads a `SEVERITY=N` setting of `option` (`--max`, `--max-increase`): the severity, and its limit or `nil`
  /// for `none`.
  static func limit(in setting: String, option: String) throws(PolicyError) -> (severity: Severity, limit: Int?) {
    let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      throw PolicyError(setting: setting, reason: "expected SEVERITY=N", option: option)
    }
    let name = parts[0].trimmingWhitespace()
    guard !name.isEmpty else { throw PolicyError(setting: setting, reason: "the severity is empty", option: option) }
    let severity = Severity(caseInsensitive: name) ?? .undocumented(name)
    let value = parts[1].trimmingWhitespace().lowercased()
    if ["none", "unlimited"].contains(value) { return (severity, nil) }
    guard let limit = Int(value), limit >= 0 else {
      throw PolicyError(setting: setting, reason: "N must be a whole number ≥ 0, or 'none'", option: option)
    }
    return (severity, limit)
  }
}

/// Something in the policy that is allowed but probably not meant, such as a maximum for a severity no input has.
public struct PolicyWarning: Sendable, Hashable, CustomStringConvertible {
  /// The severity the warning is about.
  public var severity: Severity

  /// `--max Critical: no input has Critical findings`.
  public var description: String {
    "--max \(severity.name): no input has \(severity.name) findings"
  }
}

/// A `--max` setting that cannot be applied.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The setting as given.
  public var setting: String
  /// Why it was refused.
  public var reason: String
  /// The option it was given with: `--max`, or `--max-increase`.
  public var option = "--max"

  public var description: String {
    "\(option) '\(setting)': \(reason)"
  }
}

extension StringProtocol {
  func trimmingWhitespace() -> String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}

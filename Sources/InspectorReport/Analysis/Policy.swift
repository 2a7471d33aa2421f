/// What the checks require: the most findings of each severity a run may have, and the fewest runs a report may
/// have, before a check fails.
public struct Policy: Sendable, Hashable {
  /// The maximum per severity; a severity without one is unlimited.
  public var maxima: [Severity: Int]
  /// The fewest runs the inputs must hold: no evidence is not a pass.
  public var minimumRuns: Int
  /// The policy file's name as given (`--policy`), or `nil` when there is none.
  public var source: String?
  /// The SHA-256 of the policy file's bytes, when there is one.
  public var sourceSHA256: String?
  /// The `--max` settings applied, in order, as `SEVERITY=N` or `SEVERITY=none`: what a report records to be made
  /// again, since a setting also lifts the overrides' maxima of its severity.
  public private(set) var settings: [String] = []
  /// Other maxima for some runs, from the policy file: the first that matches a run counts (see `PolicyOverride`).
  public var overrides: [PolicyOverride] = []
  /// Failures accepted for a while, from the policy file, in its order.
  public var waivers: [Waiver] = []

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

  /// Applies a `--max` setting: `SEVERITY=N`, or `SEVERITY=none` to lift a limit, for every run: the command line
  /// overrides the policy file, its overrides too.
  ///
  /// A documented severity matches in any case (`high`); any other name is a severity of its own, as written, since
  /// snapshots may hold keys Inspector does not document (`Critical`).
  /// - Throws: `PolicyError` naming what is wrong with `setting`.
  public mutating func apply(_ setting: String) throws(PolicyError) {
    let (severity, limit) = try Self.limit(in: setting, option: "--max")
    maxima[severity] = limit
    settings.append("\(severity.name)=\(limit.map(String.init) ?? "none")")
    for index in overrides.indices { overrides[index].maxima.removeValue(forKey: severity) }
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
    guard let limit = Self.maximum(parts[1].trimmingWhitespace()) else {
      throw PolicyError(setting: setting, reason: "N must be a whole number ≥ 0, or 'none'", option: option)
    }
    return (severity, limit)
  }

  /// A maximum as `--max` and the policy file write it: a whole number ≥ 0, or `none` (`unlimited`) for no limit;
  /// `nil` when it is neither.
  static func maximum(_ text: String) -> Int?? {
    let value = text.lowercased()
    if ["none", "unlimited"].contains(value) { return .some(nil) }
    guard let limit = Int(value), limit >= 0 else { return nil }
    return limit
  }
}

/// Something in the policy that is allowed but probably not meant, such as a maximum for a severity no input has,
/// or a waiver that waived nothing.
public struct PolicyWarning: Sendable, Hashable, CustomStringConvertible {
  /// Where in the policy file, when the warning is about it.
  public var location: SourceLocation?
  /// What is probably not meant: `--max Critical: no input has Critical findings`.
  public var message: String

  init(severity: Severity) {
    message = "--max \(severity.name): no input has \(severity.name) findings"
  }

  init(unusedWaiver outcome: WaiverOutcome) {
    let waiver = outcome.waiver
    location = waiver.location
    let subject =
      switch waiver.subject {
      case .templateArn(let arn): "the runs of template \(arn)"
      case .runArn(let arn): "run \(arn)"
      }
    message = "\(waiver.check.name) did not fail in \(subject): the waiver waives nothing"
  }

  /// `warning: message`, or `file:line:col: warning: path: message`, on one line: the policy file's names may hold
  /// control characters, shown as `\u001B` (see `TerminalText`).
  public var description: String {
    guard let location else { return TerminalText.visible("warning: \(message)") }
    let place = location.path.isEmpty ? "" : "\(location.path): "
    return TerminalText.visible("\(location): warning: \(place)\(message)")
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

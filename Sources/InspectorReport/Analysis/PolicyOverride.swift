/// Other maxima for the runs of one assessment template, or for runs named alike, from the policy file's
/// `templates`.
///
/// A run takes the maxima of the first override that matches it, in the file's order, on top of the policy's own:
/// the severities the override names change, the others stay. A `--max` on the command line sets its severity for
/// every run, overrides too (`Policy.apply(_:)`).
public struct PolicyOverride: Sendable, Hashable {
  /// Which runs an override is for.
  public enum Match: Sendable, Hashable {
    /// The runs of the assessment template with this ARN.
    case templateArn(String)
    /// The runs whose name matches this pattern.
    case runName(RunNamePattern)
  }

  /// Which runs it is for.
  public var match: Match
  /// The maxima it sets; a `nil` value lifts the limit.
  public var maxima: [Severity: Int?]

  /// Creates an override of `maxima` for the runs `match` matches.
  public init(match: Match, maxima: [Severity: Int?]) {
    self.match = match
    self.maxima = maxima
  }

  /// The maxima for the runs it matches, on top of `base`.
  func maxima(over base: [Severity: Int]) -> [Severity: Int] {
    var maxima = base
    for (severity, limit) in self.maxima { maxima[severity] = limit }
    return maxima
  }
}

/// A run name pattern: `*` stands for any run of characters, none too, `?` for exactly one; every other
/// character for itself, in any case exactly.
public struct RunNamePattern: Sendable, Hashable, CustomStringConvertible {
  /// The pattern as written.
  public let description: String
  private let scalars: [Unicode.Scalar]

  /// The pattern `text`.
  public init(_ text: String) {
    description = text
    scalars = Array(text.unicodeScalars)
  }

  /// Whether `name` matches, character for character (Unicode scalars).
  public func matches(_ name: String) -> Bool {
    // The classic one-star backtracking: on a mismatch, the last `*` takes one more character. Linear in
    // practice and never worse than the product of the two lengths; allocates nothing.
    let name = name.unicodeScalars
    var nameIndex = name.startIndex
    var patternIndex = 0
    var star: (pattern: Int, name: String.UnicodeScalarView.Index)?
    while nameIndex != name.endIndex {
      if patternIndex < scalars.count, scalars[patternIndex] == "*" {
        star = (patternIndex, nameIndex)
        patternIndex += 1
      } else if patternIndex < scalars.count, scalars[patternIndex] == "?" || scalars[patternIndex] == name[nameIndex] {
        patternIndex += 1
        nameIndex = name.index(after: nameIndex)
      } else if let last = star {
        patternIndex = last.pattern + 1
        let next = name.index(after: last.name)
        star = (last.pattern, next)
        nameIndex = next
      } else {
        return false
      }
    }
    return scalars[patternIndex...].allSatisfy { $0 == "*" }
  }
}

/// The count checks of every maxima a run may be judged by: the policy's own and each override's, one table per
/// distinct set of maxima, since making a table writes about 700 messages.
struct RunPolicies: Sendable {
  /// The policy's own, for every run no override matches.
  let standard: CountChecks
  /// By override, in the file's order.
  private let byOverride: [CountChecks]
  private let overrides: [PolicyOverride.Match]
  /// The first override for each template ARN, so that a run's template is looked up rather than compared with
  /// each.
  private let firstByTemplate: [String: Int]

  init(policy: Policy, waivers: WaiverTable?) {
    standard = CountChecks(policy: policy, waivers: waivers)
    var tables: [[Severity: Int]: CountChecks] = [policy.maxima: standard]
    byOverride = policy.overrides.map { override in
      var effective = policy
      effective.maxima = override.maxima(over: policy.maxima)
      if let table = tables[effective.maxima] { return table }
      let table = CountChecks(policy: effective, waivers: waivers)
      tables[effective.maxima] = table
      return table
    }
    overrides = policy.overrides.map(\.match)
    var firstByTemplate: [String: Int] = [:]
    for (index, match) in overrides.enumerated() {
      if case .templateArn(let arn) = match, firstByTemplate[arn] == nil { firstByTemplate[arn] = index }
    }
    self.firstByTemplate = firstByTemplate
  }

  /// The table of the first override that matches `run`, else the policy's own.
  func countChecks(for run: borrowing AssessmentRun) -> CountChecks {
    guard !overrides.isEmpty else { return standard }
    let byTemplate = firstByTemplate[run.templateArn] ?? overrides.count
    for index in 0..<byTemplate {
      if case .runName(let pattern) = overrides[index], pattern.matches(run.name) { return byOverride[index] }
    }
    return byTemplate < overrides.count ? byOverride[byTemplate] : standard
  }
}

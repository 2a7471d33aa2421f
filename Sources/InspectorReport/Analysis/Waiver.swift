/// A failure accepted for a while, from the policy file's `waivers`: a check of one run, or of every run of one
/// assessment template, that fails or errs is skipped instead, with the waiver's reason, until the waiver expires.
public struct Waiver: Sendable, Hashable {
  /// What a waiver is for.
  public enum Subject: Sendable, Hashable {
    /// Every run of the assessment template with this ARN.
    case templateArn(String)
    /// The run with this ARN.
    case runArn(String)

    /// `templateArn` or `runArn`, as the policy file and the reports name it.
    public var kind: String {
      switch self {
      case .templateArn: "templateArn"
      case .runArn: "runArn"
      }
    }

    /// The ARN.
    public var arn: String {
      switch self {
      case .templateArn(let arn), .runArn(let arn): arn
      }
    }
  }

  /// The check it waives.
  public var check: RunCheck
  /// What it is for.
  public var subject: Subject
  /// Why the failure is accepted.
  public var reason: String
  /// The first instant it no longer applies: the end of its expiry date (UTC), or its expiry timestamp.
  public var expiry: Timestamp
  /// When it expires as the file says it and the reports show it: `2026-12-31`, or a timestamp in ISO 8601.
  public var expiresText: String
  /// Where the policy file holds it (`waivers[1]`), for messages about it.
  public var location: SourceLocation?

  /// Creates a waiver of `check` for `subject` until `expiry` (its first instant out of force).
  public init(
    check: RunCheck, subject: Subject, reason: String, expiry: Timestamp, expiresText: String,
    location: SourceLocation? = nil
  ) {
    self.check = check
    self.subject = subject
    self.reason = reason
    self.expiry = expiry
    self.expiresText = expiresText
    self.location = location
  }

  /// Whether it applies as of `now`. Without a *now* nothing says it has not expired, so it does not: a failure is
  /// never waived on a guess.
  func isInForce(at now: Timestamp?) -> Bool {
    guard let now else { return false }
    return now < expiry
  }

  func covers(_ check: RunCheck, runArn: String, templateArn: String) -> Bool {
    guard check == self.check else { return false }
    switch subject {
    case .templateArn(let arn): return arn == templateArn
    case .runArn(let arn): return arn == runArn
    }
  }
}

/// What became of a waiver in a report.
public enum WaiverState: String, Sendable, Hashable, CaseIterable {
  /// In force, and it made at least one failed or errored check skipped.
  case applied
  /// Out of force at *now* (or with no *now* at all): the failures it names stay, saying so.
  case expired
  /// In force, but no check it names failed: it may be spelt wrong, or no longer needed.
  case unused
}

/// A waiver and what became of it.
public struct WaiverOutcome: Sendable, Hashable {
  /// The waiver.
  public var waiver: Waiver
  /// What became of it.
  public var state: WaiverState
  /// How many checks it made skipped.
  public var waivedChecks: Int
}

/// The policy's waivers as of the report's *now*, which every run's checks go through when there are any.
final class WaiverTable: Sendable {
  let waivers: [Waiver]
  private let inForce: [Bool]
  private let now: Timestamp?

  init?(_ waivers: [Waiver], now: Timestamp?) {
    guard !waivers.isEmpty else { return nil }
    self.waivers = waivers
    inForce = waivers.map { $0.isInForce(at: now) }
    self.now = now
  }

  /// The waiver that decides about a failed `check` of a run: the first in force that covers it, else the first
  /// out of force that does, which the check then names; `nil` when none covers it.
  func waiver(for check: RunCheck, runArn: String, templateArn: String) -> Int? {
    var expired: Int?
    for (index, waiver) in waivers.enumerated() where waiver.covers(check, runArn: runArn, templateArn: templateArn) {
      if inForce[index] { return index }
      if expired == nil { expired = index }
    }
    return expired
  }

  /// Makes each failed or errored check that a waiver in force covers skipped, saying why and what it would have
  /// said; one that only an expired waiver covers stays, saying the waiver expired.
  func apply(to results: inout [CheckResult], runArn: String, templateArn: String) {
    for position in results.indices where results[position].isProblem {
      let result = results[position]
      guard let index = waiver(for: result.check, runArn: runArn, templateArn: templateArn) else { continue }
      let waiver = waivers[index]
      if inForce[index] {
        results[position] = CheckResult(
          result.check, .skipped, "waived until \(waiver.expiresText) (\(waiver.reason)): \(result.message)",
          details: result.details, subject: result.subject)
      } else {
        let why =
          now == nil
          ? "waiver not applied, no time is known to judge its expiry \(waiver.expiresText) by"
          : "waiver expired \(waiver.expiresText)"
        results[position] = CheckResult(
          result.check, result.status, "\(result.message); \(why) (\(waiver.reason))", details: result.details,
          subject: result.subject)
      }
    }
  }

  /// What became of each waiver over `runs`, whose checks are judged again without waivers to find what each
  /// one waived.
  func outcomes(of runs: [AnalyzedRun]) -> [WaiverOutcome] {
    var waived = Array(repeating: 0, count: waivers.count)
    for run in runs {
      for result in run.checksBeforeWaivers where result.isProblem {
        guard let index = waiver(for: result.check, runArn: run.run.arn, templateArn: run.run.templateArn),
          inForce[index]
        else { continue }
        waived[index] += 1
      }
    }
    return waivers.indices.map { index in
      let state: WaiverState = !inForce[index] ? .expired : waived[index] > 0 ? .applied : .unused
      return WaiverOutcome(waiver: waivers[index], state: state, waivedChecks: waived[index])
    }
  }
}

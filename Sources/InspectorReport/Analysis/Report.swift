/// Where the report's *now* came from: it is never the wall clock, so the same inputs give the same report.
public enum NowSource: String, Sendable, Hashable {
  /// The `--now` option.
  case option = "--now"
  /// The `SOURCE_DATE_EPOCH` environment variable.
  case environment = "SOURCE_DATE_EPOCH"
  /// The newest timestamp found in the inputs.
  case inputs = "newest input timestamp"
  /// The inputs hold no timestamp at all.
  case none = "none"
}

/// One input as the report lists it.
public struct InputSummary: Sendable, Hashable {
  /// The input's name.
  public var name: RawPath
  /// Its size in bytes.
  public var byteCount: Int
  /// The SHA-256 of its bytes, in lowercase hex.
  public var sha256: String
  /// How many run entries it held.
  public var runEntries: Int
  /// How many failed items it held.
  public var failedItems: Int
}

/// The analysis of all inputs: what every output renders.
public struct Report: Sendable {
  /// The instant in-progress runs are measured to.
  public var now: Timestamp?
  /// Where `now` came from.
  public var nowSource: NowSource
  /// The maxima the finding checks applied.
  public var policy: Policy
  /// The inputs, sorted by name.
  public var inputs: [InputSummary]
  /// One entry per run ARN, ordered by creation time and ARN.
  public var runs: [AnalyzedRun]
  /// One entry per failed ARN, ordered by ARN.
  public var failedItems: [FailedItem]
  /// Run entries read in all, duplicates included.
  public var runEntries: Int
  /// The problems with the inputs that loading kept going past, by file, line and column.
  public let inputProblems: [SnapshotError]
  /// The checks of the report as a whole: whether it has any runs, and an error per input problem.
  public let checks: [CheckResult]
  /// What the runs add up to, with the report's checks and the failed items among the checks.
  public let totals: ReportTotals
  /// What in the policy is allowed but probably not meant, for the command to print.
  public let warnings: [PolicyWarning]
  /// What became of each of the policy's waivers, in the policy file's order.
  public let waivers: [WaiverOutcome]
  /// Each template's newest run against the baseline's, with a `baseline` check per template; `nil` without
  /// `--baseline`.
  public let baseline: BaselineComparison?

  /// Analyzes loaded inputs.
  /// - Parameters:
  ///   - inputs: the decoded inputs, in any order.
  ///   - policy: the finding maxima.
  ///   - now: `--now` or `SOURCE_DATE_EPOCH` with its source; `nil` to use the newest input timestamp.
  ///   - inputProblems: what could not be read of the inputs, from `SnapshotLoader.loadKeepingGoing(_:)`.
  ///   - baseline: an earlier report to compare each template's newest run with.
  ///   - maximumIncreases: how much each severity's findings may grow since `baseline` (`--max-increase`).
  public init(
    inputs: [LoadedInput], policy: Policy, now: (Timestamp, NowSource)? = nil, inputProblems: [SnapshotError] = [],
    baseline: Baseline? = nil, maximumIncreases: [Severity: Int] = [:]
  ) {
    var merger = RunMerger(expectedRuns: inputs.reduce(0) { $0 + $1.snapshot.runs.count })
    for input in inputs { merger.add(input.snapshot) }
    if let now {
      (self.now, self.nowSource) = now
    } else if let newest = inputs.compactMap(\.snapshot.newestTimestamp).max() {
      (self.now, self.nowSource) = (newest, .inputs)
    } else {
      (self.now, self.nowSource) = (nil, .none)
    }
    self.policy = policy
    self.inputs = inputs.map {
      InputSummary(
        name: $0.name, byteCount: $0.byteCount, sha256: $0.sha256, runEntries: $0.snapshot.runs.count,
        failedItems: $0.snapshot.failedItems.count)
    }.sorted { $0.name < $1.name }
    let now = self.now
    let waiverTable = WaiverTable(policy.waivers, now: now)
    let policies = RunPolicies(policy: policy, waivers: waiverTable)
    // The order below is total (ARNs are unique), so the merger's own order does not matter.
    let (analyzed, slices) = merger.mapRuns(state: { ReportTotals() }) { totals, run in
      let countChecks = policies.countChecks(for: run)
      let analyzed = AnalyzedRun(run, now: now, countChecks: countChecks)
      totals.add(analyzed)
      return analyzed
    }
    var totals = slices.reduce(into: ReportTotals()) { $0.add($1) }
    failedItems = merger.failedItems
    totals.add(failedItems: failedItems.count)
    // By place, as the inputs are listed: the reports must not depend on the order the inputs were named in.
    self.inputProblems = inputProblems.sorted { a, b in
      guard a.location.file == b.location.file else {
        return a.location.file.utf8.lexicographicallyPrecedes(b.location.file.utf8)
      }
      return (a.location.line, a.location.column, a.message) < (b.location.line, b.location.column, b.message)
    }
    checks = Self.checks(runs: analyzed.count, policy: policy, inputProblems: self.inputProblems)
    totals.add(reportChecks: checks)
    self.baseline = baseline.map {
      BaselineComparison(templates: totals.templates, baseline: $0, maximumIncreases: maximumIncreases)
    }
    if let comparison = self.baseline { totals.add(reportChecks: comparison.checks) }
    self.totals = totals
    // A maximum for a severity that no run has may be a misspelling (`Critcal`); the key is there when any run
    // has it, even with 0 findings.
    let counted = Set(totals.findings.entries.map(\.severity))
    let waivers = waiverTable?.outcomes(of: analyzed) ?? []
    self.waivers = waivers
    warnings =
      policy.undocumentedMaxima.filter { !counted.contains($0) }.map(PolicyWarning.init(severity:))
      + waivers.filter { $0.state == .unused }.map(PolicyWarning.init(unusedWaiver:))
    // The start of each run is read once: the sort compares about 14 times per run, on one core, and reading it
    // from each run (through two objects) every time took 5 ms for 10k runs.
    let starts = analyzed.map(Self.sortKey(of:))
    runs = analyzed.indices.sorted { a, b in
      starts[a] != starts[b] ? starts[a] < starts[b] : analyzed[a].run.arn < analyzed[b].run.arn
    }.map { analyzed[$0] }
    runEntries = merger.entries
  }

  /// What runs are ordered by, before their ARNs: when they began, and runs with no time at all first.
  static func sortKey(of run: AnalyzedRun) -> Int64 {
    (run.createdAt ?? Timestamp(microseconds: .min)).microseconds
  }

  /// Whether any check failed or errored; each failed item counts as an error.
  public var hasProblem: Bool {
    !failedItems.isEmpty || checks.contains(where: \.isProblem) || totals.runsWithProblems > 0
      || baseline?.checks.contains(where: \.isProblem) == true
  }

  /// Entries dropped because a newer record of the same run was kept.
  public var duplicatesDropped: Int {
    runEntries - runs.count
  }
}

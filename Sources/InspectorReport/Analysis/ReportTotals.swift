/// What the report's runs add up to, and its checks with the report's own and the failed items among them: what every output and
/// the console line say of the whole report.
///
/// Summed per slice of runs as they are analyzed, then over the slices. The sums are taken where each run is made,
/// while it is still in the cache: a pass over the finished runs of its own missed the cache at every run (6.5 ms
/// for 10k runs). The slices come in input order, not report order, so every sum here is one that any order
/// gives alike.
public struct ReportTotals: Sendable {
  /// The outcomes of every check; each failed item is a check with an error.
  public private(set) var checks = CheckCounts()
  /// Runs by final state.
  public private(set) var byState: [RunState: Int] = [:]
  /// Findings of all runs.
  public private(set) var findings = FindingCounts()
  /// Notifications of all runs.
  public private(set) var notifications = NotificationCounts()
  /// Time per phase of all runs.
  public private(set) var phases = PhaseDurations()
  /// Elapsed time of all runs.
  public private(set) var elapsed = TimeSpan.zero
  /// Runs still in progress at *now*.
  public private(set) var inProgress = 0
  /// Runs with a failed or errored check.
  public private(set) var runsWithProblems = 0
  /// Runs failing each check, by place in `RunCheckSet`: `RunCheck.all`'s order, then any other check.
  public private(set) var runsFailing = [Int](repeating: 0, count: RunCheckSet.places)
  /// What each assessment template's runs add up to, by template ARN.
  public private(set) var templates: [String: TemplateTotals] = [:]

  init() {}

  mutating func add(_ analyzed: AnalyzedRun) {
    checks.add(analyzed.checkCounts)
    byState[analyzed.run.state, default: 0] += 1
    findings.add(analyzed.findings)
    notifications.add(analyzed.notifications.counts)
    phases.add(analyzed.timeline.phaseDurations)
    elapsed += analyzed.timeline.elapsed
    if analyzed.timeline.inProgress { inProgress += 1 }
    if analyzed.hasProblem {
      runsWithProblems += 1
      for place in 0..<RunCheckSet.places where analyzed.problemChecks.contains(place: place) {
        runsFailing[place] += 1
      }
    }
    templates[analyzed.run.templateArn, default: TemplateTotals()].add(analyzed)
  }

  mutating func add(failedItems count: Int) {
    checks.add(failedItems: count)
  }

  /// Counts the checks of the report as a whole among the others.
  mutating func add(reportChecks: [CheckResult]) {
    checks.add(reportChecks)
  }

  mutating func add(_ other: ReportTotals) {
    checks.add(other.checks)
    byState.merge(other.byState, uniquingKeysWith: +)
    findings.add(other.findings)
    notifications.add(other.notifications)
    phases.add(other.phases)
    elapsed += other.elapsed
    inProgress += other.inProgress
    runsWithProblems += other.runsWithProblems
    for place in runsFailing.indices { runsFailing[place] += other.runsFailing[place] }
    templates.merge(other.templates) { first, second in
      var totals = first
      totals.add(second)
      return totals
    }
  }
}

/// What one assessment template's runs add up to.
public struct TemplateTotals: Sendable {
  /// How many runs the template has.
  public private(set) var runs = 0
  /// How many of them are in progress.
  public private(set) var inProgress = 0
  /// How many of them have a failed or errored check.
  public private(set) var runsWithProblems = 0
  /// Findings of all its runs.
  public private(set) var findings = FindingCounts()
  /// The template's latest run in report order: creation time, then ARN.
  public private(set) var latest: AnalyzedRun?

  mutating func add(_ analyzed: AnalyzedRun) {
    runs += 1
    if analyzed.timeline.inProgress { inProgress += 1 }
    if analyzed.hasProblem { runsWithProblems += 1 }
    findings.add(analyzed.findings)
    noteLatest(analyzed)
  }

  mutating func add(_ other: TemplateTotals) {
    runs += other.runs
    inProgress += other.inProgress
    runsWithProblems += other.runsWithProblems
    findings.add(other.findings)
    if let latest = other.latest { noteLatest(latest) }
  }

  private mutating func noteLatest(_ run: AnalyzedRun) {
    if let latest {
      let (start, latestStart) = (Report.sortKey(of: run), Report.sortKey(of: latest))
      if start < latestStart || start == latestStart && run.run.arn <= latest.run.arn { return }
    }
    latest = run
  }
}

/// Check counts by outcome, as JUnit's suite attributes need them.
public struct CheckCounts: Sendable, Hashable {
  /// All checks.
  public private(set) var tests = 0
  /// Checks that passed.
  public private(set) var passed = 0
  /// Checks that failed.
  public private(set) var failures = 0
  /// Checks that could not be made.
  public private(set) var errors = 0
  /// Checks skipped, as for a run in progress.
  public private(set) var skipped = 0

  mutating func add(_ other: CheckCounts) {
    tests += other.tests
    passed += other.passed
    failures += other.failures
    errors += other.errors
    skipped += other.skipped
  }

  mutating func add(_ checks: [CheckResult]) {
    for check in checks {
      tests += 1
      switch check.status {
      case .passed: passed += 1
      case .failed: failures += 1
      case .error: errors += 1
      case .skipped: skipped += 1
      }
    }
  }

  /// Counts each failed item as a check with an error: an ARN the service could not describe.
  mutating func add(failedItems count: Int) {
    tests += count
    errors += count
  }
}

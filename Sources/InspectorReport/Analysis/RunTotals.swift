/// What the report totals over its runs: summed per slice of runs as they are analyzed, then over the slices.
///
/// The sums are taken where each run is made, while it is still in the cache: a pass over the finished runs
/// of its own missed the cache at every run (6.5 ms for 10k runs). The slices come in input order, not report
/// order, so every sum here is one that any order gives alike.
struct RunTotals: Sendable {
  var checks = CheckCounts()
  var byState: [RunState: Int] = [:]
  var findings = FindingCounts()
  var notifications = NotificationCounts()
  var phases = PhaseDurations()
  var elapsed = TimeSpan.zero
  var inProgress = 0
  var problems = 0
  var templates: [String: TemplateTotals] = [:]

  mutating func add(_ analyzed: AnalyzedRun) {
    checks.add(analyzed.checkCounts)
    byState[analyzed.run.state, default: 0] += 1
    findings.add(analyzed.findings)
    notifications.add(analyzed.notifications.counts)
    phases.add(analyzed.timeline.phaseDurations)
    elapsed += analyzed.timeline.elapsed
    if analyzed.timeline.inProgress { inProgress += 1 }
    if analyzed.hasProblem { problems += 1 }
    templates[analyzed.run.templateArn, default: TemplateTotals()].add(analyzed)
  }

  mutating func add(_ other: RunTotals) {
    checks.add(other.checks)
    byState.merge(other.byState, uniquingKeysWith: +)
    findings.add(other.findings)
    notifications.add(other.notifications)
    phases.add(other.phases)
    elapsed += other.elapsed
    inProgress += other.inProgress
    problems += other.problems
    templates.merge(other.templates) { first, second in
      var totals = first
      totals.add(second)
      return totals
    }
  }
}

/// What the report says of one assessment template's runs.
struct TemplateTotals: Sendable {
  var runs = 0
  var inProgress = 0
  var problems = 0
  var findings = FindingCounts()
  /// The template's latest run in report order: creation time, then ARN.
  private var latest: AnalyzedRun?
  var latestName: String { latest?.run.name ?? "" }
  var latestState: RunState? { latest?.run.state }

  mutating func add(_ analyzed: AnalyzedRun) {
    runs += 1
    if analyzed.timeline.inProgress { inProgress += 1 }
    if analyzed.hasProblem { problems += 1 }
    findings.add(analyzed.findings)
    noteLatest(analyzed)
  }

  mutating func add(_ other: TemplateTotals) {
    runs += other.runs
    inProgress += other.inProgress
    problems += other.problems
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

/// Test counts by outcome, as JUnit's suite attributes need them.
struct CheckCounts: Sendable {
  var tests = 0
  var passed = 0
  var failures = 0
  var errors = 0
  var skipped = 0

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
}

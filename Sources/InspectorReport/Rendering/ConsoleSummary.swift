/// The one line the command prints after writing the reports.
public enum ConsoleSummary {
  /// `3 runs (1 in progress, 2 duplicate entries dropped), 1 failed item; 25 checks: 2 failed, 1 error → out/`,
  /// from the totals every output shows: the failed items are among the checks, as errors.
  public static func line(for report: Report, folder: String) -> String {
    let counts = report.totals.checks
    let inProgress = report.totals.inProgress
    let verdict = report.hasProblem ? "FAILED" : "PASSED"
    return "\(verdict): \(report.runs.count) runs (\(inProgress) in progress, \(report.duplicatesDropped) duplicate "
      + "entries dropped), \(report.failedItems.count) failed items; \(counts.tests) checks: \(counts.passed) passed, "
      + "\(counts.failures) failed, \(counts.errors) errors, \(counts.skipped) skipped "
      + "→ \(folder)"
  }
}

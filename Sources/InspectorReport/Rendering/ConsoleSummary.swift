/// The one line the command prints after writing the reports.
public enum ConsoleSummary {
  /// `FAILED: 2 of 3 runs have problems (1 in progress, 2 duplicate entries dropped), 1 failed item; 25 checks:
  /// 20 passed, 2 failed, 1 error, 2 skipped → out/`, from the totals every output shows: the report's own checks
  /// and the failed items are among the checks, the failed items as errors.
  public static func line(for report: Report, folder: String) -> String {
    let counts = report.totals.checks
    let runs = counted(report.runs.count, "run")
    let verdict: String
    if report.hasProblem {
      let withProblems = report.totals.runsWithProblems
      verdict = "FAILED: \(grouped(withProblems)) of \(runs) \(withProblems == 1 ? "has" : "have") problems"
    } else {
      verdict = "PASSED: \(runs)"
    }
    return "\(verdict) (\(grouped(report.totals.inProgress)) in progress, "
      + "\(counted(report.duplicatesDropped, "duplicate entry", "duplicate entries")) dropped), "
      + "\(counted(report.failedItems.count, "failed item")); \(counted(counts.tests, "check")): "
      + "\(grouped(counts.passed)) passed, \(grouped(counts.failures)) failed, \(counted(counts.errors, "error")), "
      + "\(grouped(counts.skipped)) skipped → \(folder)"
  }
}

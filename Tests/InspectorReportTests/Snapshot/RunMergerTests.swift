import Testing

@testable import InspectorReport

@Suite struct RunMergerTests {
  private func run(_ arn: String, changedAt: Int64?, changes: Int, file: String = "a.json") -> AssessmentRun {
    AssessmentRun(
      arn: arn, state: "COMPLETED", stateChangedAt: changedAt.map { Timestamp(microseconds: $0) },
      stateChanges: (0..<changes).map { StateChange(at: Timestamp(microseconds: Int64($0)), state: "CREATED") },
      source: SourceLocation(file: file, line: 1, column: 1))
  }

  private func merged(_ runs: [AssessmentRun]) -> [AssessmentRun] {
    var merger = RunMerger()
    for run in runs { merger.add(Snapshot(runs: [run])) }
    return merger.runs
  }

  @Test func keepsTheLatestStateChangeThenTheMostChanges() {
    let older = run("x", changedAt: 10, changes: 5)
    let newer = run("x", changedAt: 20, changes: 2)
    let longer = run("x", changedAt: 20, changes: 3)
    for order in [[older, newer, longer], [longer, newer, older], [newer, longer, older]] {
      #expect(merged(order) == [longer])
    }
  }

  @Test func fullTiesResolveTheSameWayInAnyOrder() {
    let a = run("x", changedAt: 20, changes: 3, file: "a.json")
    let b = run("x", changedAt: 20, changes: 3, file: "b.json")
    #expect(merged([a, b]) == merged([b, a]))
  }

  @Test func countsEntriesAndKeepsOnePerArn() {
    var merger = RunMerger()
    merger.add(Snapshot(runs: [run("x", changedAt: 1, changes: 1), run("y", changedAt: 1, changes: 1)]))
    merger.add(Snapshot(runs: [run("x", changedAt: 2, changes: 1)]))
    #expect(merger.entries == 3)
    #expect(merger.runs.map(\.arn).sorted() == ["x", "y"])
  }

  @Test func mapRunsSeesEachKeptRunOnce() {
    var merger = RunMerger()
    let runs = (0..<1000).map { run("arn-\($0 % 700)", changedAt: Int64($0), changes: 1) }
    for start in stride(from: 0, to: runs.count, by: 100) {
      merger.add(Snapshot(runs: Array(runs[start..<start + 100])))
    }
    let (mapped, slices) = merger.mapRuns(state: { 0 }) { count, run in
      count += 1
      return "\(run.arn) \(run.stateChangedAt?.microseconds ?? -1)"
    }
    #expect(mapped.sorted() == merger.runs.map { "\($0.arn) \($0.stateChangedAt?.microseconds ?? -1)" }.sorted())
    #expect(mapped.count == 700)
    // Each slice's state saw its own runs, so together they saw each run once.
    #expect(slices.count > 1 && slices.reduce(0, +) == 700)
    #expect(mapped.contains("arn-5 705") && !mapped.contains("arn-5 5"))
  }
}

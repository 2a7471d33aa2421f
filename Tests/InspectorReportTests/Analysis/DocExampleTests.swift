import Foundation
import Testing

@testable import InspectorReport

/// A form of the AWS documentation's example run and what it must give, as report.json writes it.
struct DocExampleForm: Sendable, CustomTestStringConvertible {
  /// The snapshot, relative to the repository root.
  let path: String
  let stateSeconds: [String: Double]
  let phases: [RunPhase: Double]
  let elapsedSeconds: Double

  var testDescription: String { path }

  /// The run as the boto3 documentation shows it, with whole-second times: the documented phases.
  static let wholeSeconds = DocExampleForm(
    path: "samples/aws-doc-example.json",
    stateSeconds: [
      "CREATED": 0, "START_DATA_COLLECTION_PENDING": 0, "START_DATA_COLLECTION_IN_PROGRESS": 0, "COLLECTING_DATA": 69,
      "STOP_DATA_COLLECTION_PENDING": 60, "DATA_COLLECTED": 1, "EVALUATING_RULES": 1, "COMPLETED": 0,
    ],
    phases: [.setup: 0, .collection: 69, .wrapup: 61, .evaluation: 1],
    elapsedSeconds: 131)

  /// The run with the documented epoch times and their milliseconds, as AWS CLI v1 prints them: the fractions stay,
  /// so collection is 69.722 s, not 69 s (only times truncated before subtracting give the documented phases).
  static let milliseconds = DocExampleForm(
    path: "Tests/InspectorReportTests/Inputs/aws-doc-example-epoch.json",
    stateSeconds: [
      "CREATED": 0.03, "START_DATA_COLLECTION_PENDING": 0.031, "START_DATA_COLLECTION_IN_PROGRESS": 0.065,
      "COLLECTING_DATA": 69.722, "STOP_DATA_COLLECTION_PENDING": 59.964, "DATA_COLLECTED": 0.252,
      "EVALUATING_RULES": 1.301, "COMPLETED": 0,
    ],
    phases: [.setup: 0.126, .collection: 69.722, .wrapup: 60.216, .evaluation: 1.301],
    elapsedSeconds: 131.365)
}

/// The AWS documentation's example run (botocore's `examples-1.json` for DescribeAssessmentRuns), whose phases are
/// known: setup 0 s, collection 69 s, wrapup 61 s, evaluation 1 s, elapsed 131 s.
@Suite struct DocExampleTests {
  private func analyze(_ relativePath: String) throws -> AnalyzedRun {
    let input = try SnapshotLoader.decode(try TestPaths.bytes(relativePath), name: RawPath(relativePath))
    let report = Report(inputs: [input], policy: .standard)
    #expect(report.runs.count == 1)
    return try #require(report.runs.first)
  }

  @Test func wholeSecondFormGivesTheDocumentedPhases() throws {
    let run = try analyze(DocExampleForm.wholeSeconds.path)
    #expect(RunPhase.allCases.map { run.timeline.duration(of: $0).seconds } == [0, 69, 61, 1])
    #expect(run.timeline.elapsed.seconds == 131)
    #expect(!run.timeline.inProgress)
    #expect(run.findings[.high] == 14)
    #expect(run.findings.total == 16)
  }

  /// Every state's seconds, the phases and the elapsed time, for both forms.
  @Test(arguments: [DocExampleForm.wholeSeconds, .milliseconds])
  func matchesTheExpectedSeconds(form: DocExampleForm) throws {
    let run = try analyze(form.path)
    let stateSeconds = Dictionary(
      run.timeline.stateDurations.map { ($0.state.name, $0.duration.seconds) }, uniquingKeysWith: +)
    #expect(stateSeconds == form.stateSeconds)
    for phase in RunPhase.allCases {
      #expect(run.timeline.duration(of: phase).seconds == form.phases[phase], "\(phase)")
    }
    #expect(run.timeline.elapsed.seconds == form.elapsedSeconds)
    #expect(!run.timeline.inProgress)
    #expect(run.findings[.high] == 14)
    #expect(run.findings.total == 16)
  }
}

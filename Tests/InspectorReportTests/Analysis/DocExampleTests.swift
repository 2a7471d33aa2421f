import Foundation
import Testing

@testable import InspectorReport

/// The AWS documentation's example run, whose phases are known (shared/samples/README.md).
@Suite struct DocExampleTests {
  private func analyze(_ path: URL) throws -> AnalyzedRun {
    let input = try SnapshotLoader.decode([UInt8](try Data(contentsOf: path)), name: path.lastPathComponent)
    let report = Report(inputs: [input], policy: .standard)
    return try #require(report.runs.first)
  }

  private func seconds(_ run: AnalyzedRun) -> [Double] {
    RunPhase.allCases.map { run.timeline.duration(of: $0).seconds } + [run.timeline.elapsed.seconds]
  }

  @Test func wholeSecondFormGivesTheDocumentedPhases() throws {
    let run = try analyze(TestPaths.root.appending(path: "samples/aws-doc-example.json"))
    #expect(seconds(run) == [0, 69, 61, 1, 131])
    #expect(!run.timeline.inProgress)
    #expect(run.findings[.high] == 14)
    #expect(run.findings.total == 16)
  }

  @Test func millisecondFormKeepsItsFractions() throws {
    let run = try analyze(TestPaths.shared.appending(path: "samples/aws-doc-example-epoch.json"))
    #expect(seconds(run) == [0.126, 69.722, 60.216, 1.301, 131.365])
  }

  /// Every number in the shared expectations file, for both forms, as report.json would write it.
  @Test(arguments: ["aws-doc-example.json", "aws-doc-example-epoch.json"])
  func matchesTheSharedExpectations(file: String) throws {
    let expectedURL = TestPaths.shared.appending(path: "samples/aws-doc-example.expected.json")
    let all = try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL)) as? [String: Any]
    let expected = try #require(all?[file] as? [String: Any])
    let run = try analyze(TestPaths.shared.appending(path: "samples/\(file)"))
    let states = try #require(expected["stateSeconds"] as? [String: Double])
    for (state, value) in states {
      #expect(run.timeline.stateDurations.first { $0.state.name == state }?.duration.seconds == value, "\(state)")
    }
    let phases = try #require(expected["phases"] as? [String: Double])
    for phase in RunPhase.allCases {
      #expect(run.timeline.duration(of: phase).seconds == phases[phase.rawValue])
    }
    #expect(run.timeline.elapsed.seconds == expected["elapsedSeconds"] as? Double)
  }
}

import Foundation
import FuzzChecks
import Testing

/// The fuzz target's checks on its seeds and on every input it found a bug with (`Inputs/fuzz/`), so a fixed bug
/// stays fixed without a fuzzing build.
@Suite struct FuzzInputTests {
  /// Every file under `Inputs/`, the fuzz target's seed corpus, by path from the repository root.
  static let inputs: [String] = {
    let folder = "Tests/InspectorReportTests/Inputs"
    let files = FileManager.default.enumerator(atPath: TestPaths.root.appending(path: folder).path)?.compactMap {
      $0 as? String
    }
    return (files ?? []).filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }.sorted().map { "\(folder)/\($0)" }
  }()

  @Test func theSeedsAndTheFoundInputsAreThere() {
    #expect(Self.inputs.contains { $0.contains("/fuzz/") })
    #expect(Self.inputs.contains { $0.contains("/hostile/") })
  }

  @Test(arguments: inputs)
  func inputKeepsEveryPromise(path: String) throws {
    try FuzzCheck.check(try TestPaths.bytes(path))
  }
}

import Foundation
import Testing

/// Compares output with a golden file in `Snapshots/`; `RECORD_SNAPSHOTS=1` writes the golden file instead.
///
/// Recording is deliberate: regenerate, then read the diff before committing it.
func expectMatchesGolden(
  _ actual: [UInt8], named name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let url = TestPaths.snapshots.appending(path: name)
  if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(actual).write(to: url)
    return
  }
  guard let expected = FileManager.default.contents(atPath: url.path) else {
    Issue.record("missing golden file \(name); run RECORD_SNAPSHOTS=1 swift test", sourceLocation: sourceLocation)
    return
  }
  if [UInt8](expected) != actual {
    let expectedLines = String(decoding: expected, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    let actualLines = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let first =
      zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? min(expectedLines.count, actualLines.count)
    let expectedLine = first < expectedLines.count ? String(expectedLines[first]) : "(end of file)"
    let actualLine = first < actualLines.count ? String(actualLines[first]) : "(end of file)"
    Issue.record(
      "\(name) differs from its golden file at line \(first + 1):\n  expected: \(expectedLine)\n  actual:   \(actualLine)",
      sourceLocation: sourceLocation)
  }
}

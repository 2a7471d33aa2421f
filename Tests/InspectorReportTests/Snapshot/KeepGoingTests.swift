import Foundation
import Testing

@testable import InspectorReport

/// Loading that keeps going: each unreadable input, text or run is one problem, said as the error that loading
/// without keeping going throws, and the rest still loads.
@Suite struct KeepGoingTests {
  /// A run on one line, named `name`, with an ARN of its own.
  static func run(_ name: String) -> String {
    SnapshotDecoderTests.run.replacingOccurrences(of: "\n", with: " ")
      .replacingOccurrences(of: "run/0-c", with: "run/0-\(name)")
      .replacingOccurrences(of: #""name": "r""#, with: #""name": "\#(name)""#)
  }

  /// A line of a polling job's JSON Lines: a response holding `runs`.
  static func line(_ runs: [String]) -> String {
    #"{"assessmentRuns": [\#(runs.joined(separator: ", "))], "failedItems": {}}"#
  }

  private func keepGoing(_ text: String, name: String = "in.jsonl", splitAbove: Int = 4 << 20) -> (
    names: [String], problems: [SnapshotError]
  ) {
    let (input, problems) = SnapshotLoader.decodeKeepingGoing(
      Array(text.utf8), name: RawPath(name), splitAbove: splitAbove)
    return (input?.snapshot.runs.map(\.name) ?? [], problems)
  }

  /// The error loading `text` without keeping going stops at.
  private func strictError(_ text: String, name: String = "in.jsonl") -> SnapshotError? {
    do {
      _ = try SnapshotLoader.decode(Array(text.utf8), name: RawPath(name))
      return nil
    } catch {
      return error
    }
  }

  @Test func aTruncatedLastLineIsOneProblemAndTheLinesBeforeItLoad() throws {
    let whole = Self.line([Self.run("b"), Self.run("c")])
    let text = [Self.line([Self.run("a")]), whole, String(whole.prefix(120))].joined(separator: "\n")
    let (names, problems) = keepGoing(text)
    #expect(names == ["a", "b", "c"])
    #expect(problems == [try #require(strictError(text))])
    #expect(problems.first?.location.line == 3)
    #expect(problems.first?.description.hasPrefix("in.jsonl:3:121: error: ") == true)
  }

  @Test(arguments: [
    ("cut short", String(Self.line([Self.run("x")]).prefix(80))),
    ("cut short in a string", String(Self.line([Self.run("x")]).prefix(42))),
    ("not JSON", "garbage"),
    ("a stray closer", "}"),
    ("not a response", #"{"assessmentRunArns": []}"#),
    ("a number", "42"),
  ])
  func aBadLineInTheMiddleIsOneProblemAndTheLinesAroundItLoad(kind: String, bad: String) throws {
    let text = [Self.line([Self.run("a")]), bad, Self.line([Self.run("b")]), Self.run("c")].joined(separator: "\n")
    let (names, problems) = keepGoing(text)
    #expect(names == ["a", "b", "c"], "\(kind)")
    #expect(problems == [try #require(strictError(text))], "\(kind)")
  }

  @Test(arguments: [
    ("a missing member", #""stateChanges": ["#, #""noStateChanges": ["#),
    ("a bad timestamp deep inside", #""stateChangedAt": 1458680170,"#, #""stateChangedAt": "soon","#),
    ("a duplicate member", #""name": "bad","#, #""name": "bad", "name": "again","#),
    ("a count out of range", #""High": 1"#, #""High": -1"#),
    ("a wrong kind", #""notifications": []"#, #""notifications": {"a": [1, {"b": [2]}]}"#),
  ])
  func aBadRunIsOneProblemAndTheRunsBesideItLoad(kind: String, good: String, bad: String) throws {
    let badRun = Self.run("bad").replacingOccurrences(of: good, with: bad)
    #expect(badRun != Self.run("bad"), "\(kind)")
    let text = Self.line([Self.run("a"), badRun, Self.run("b")]) + "\n" + "[\(badRun), \(Self.run("c"))]"
    let (names, problems) = keepGoing(text)
    #expect(names == ["a", "b", "c"], "\(kind)")
    #expect(problems.count == 2, "\(kind)")
    #expect(problems.first == strictError(text), "\(kind)")
    #expect(problems.first?.location.path.hasPrefix("assessmentRuns[1]") == true, "\(kind): \(problems)")
    #expect(problems.last?.location.path.hasPrefix("[0]") == true, "\(kind): \(problems)")
  }

  @Test func aRunThatIsNotAnObjectIsOneProblem() throws {
    let text = Self.line([Self.run("a"), #""run/0-x""#, Self.run("b")])
    let (names, problems) = keepGoing(text)
    #expect(names == ["a", "b"])
    #expect(problems == [try #require(strictError(text))])
  }

  @Test func aLineThatFailsAfterABadRunIsLeftOutWhole() throws {
    let badRun = Self.run("bad").replacingOccurrences(of: #""High": 1"#, with: #""High": -1"#)
    let text = [String(Self.line([Self.run("x"), badRun, Self.run("y")]).dropLast(3)), Self.run("a")]
      .joined(separator: "\n")
    let (names, problems) = keepGoing(text)
    #expect(names == ["a"])
    #expect(problems.map(\.location.line) == [1, 2])
    #expect(problems.first == strictError(text))
  }

  @Test func aProblemInALargeInputDecodedInPartsKeepsItsPlace() throws {
    let badRun = Self.run("bad").replacingOccurrences(of: #""High": 1"#, with: #""High": -1"#)
    let lines = (0..<40).map { Self.line([$0 == 30 ? badRun : Self.run("r\($0)")]) }
    let text = lines.joined(separator: "\n") + "\n" + String(lines[0].prefix(50))
    #expect(InputSplitter.parts(of: Array(text.utf8), count: 16).count > 1)
    let (names, problems) = keepGoing(text, splitAbove: 1000)
    #expect(names.count == 39)
    #expect(problems.map(\.location.line) == [31, 41])
    #expect(problems.first == strictError(text))
  }

  @Test func timestampsOfWhatWasLeftOutDoNotSetNow() throws {
    let late = Self.run("late").replacingOccurrences(of: "1458680301.4", with: "1900000000")
    let text =
      Self.line([Self.run("a"), late.replacingOccurrences(of: #""High": 1"#, with: #""High": -1"#)])
      + "\n" + String(Self.line([late]).dropLast(2))
    let (input, problems) = SnapshotLoader.decodeKeepingGoing(Array(text.utf8), name: "in.jsonl")
    #expect(problems.count == 2)
    #expect(input?.snapshot.newestTimestamp == Timestamp(microseconds: 1_458_680_301_400_000))
  }

  @Test func anEmptyInputIsAProblemAndNoInput() throws {
    let (input, problems) = SnapshotLoader.decodeKeepingGoing(Array(" \n".utf8), name: "in.json")
    #expect(input == nil)
    #expect(problems.map(\.message) == ["the input is empty"])
  }

  @Test func everyUnreadableFileIsAProblemAndTheOthersLoad() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = folder.appending(path: "good.json")
    let broken = folder.appending(path: "broken.json")
    try Data(Self.line([Self.run("a")]).utf8).write(to: good)
    try Data("{\"assessmentRuns\": [}".utf8).write(to: broken)
    let names = [broken.path, folder.appending(path: "folder").path, good.path].map { RawPath($0) }
    try FileManager.default.createDirectory(at: folder.appending(path: "folder"), withIntermediateDirectories: true)
    let (inputs, problems) = SnapshotLoader.loadKeepingGoing(names)
    #expect(inputs.map(\.name) == [RawPath(broken.path), RawPath(good.path)])
    #expect(inputs.map(\.snapshot.runs.count) == [0, 1])
    #expect(throws: InputErrors(errors: problems)) { try SnapshotLoader.load(names) }
    #expect(problems.map(\.location.file) == [broken.path, folder.appending(path: "folder").path])
  }

  @Test func ourOwnReportIsStillNamedForWhatItIs() throws {
    let report = #"{"checks": [], "tool": {"name": "inspector-report", "version": "0.1.0"}}"#
    let (input, problems) = SnapshotLoader.decodeKeepingGoing(Array(report.utf8), name: "report.json")
    #expect(input == nil)
    #expect(problems == [try #require(strictError(report, name: "report.json"))])
  }
}

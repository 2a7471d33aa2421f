import SeededRandom
import Testing

@testable import InspectorReport

@Suite struct SnapshotDecoderTests {
  static let run = """
    {"arn": "arn:aws:inspector:us-west-2:123456789012:target/0-a/template/0-b/run/0-c", "name": "r",
     "assessmentTemplateArn": "arn:aws:inspector:us-west-2:123456789012:target/0-a/template/0-b",
     "state": "COMPLETED", "durationInSeconds": 3600, "dataCollected": true,
     "createdAt": 1458680170, "stateChangedAt": 1458680301.4,
     "stateChanges": [{"stateChangedAt": 1458680170, "state": "CREATED"},
                      {"stateChangedAt": 1458680301.4, "state": "COMPLETED"}],
     "notifications": [], "findingCounts": {"High": 1}}
    """

  private func decode(_ text: String, name: String = "in.json") throws -> Snapshot {
    try SnapshotLoader.decode(Array(text.utf8), name: RawPath(name)).snapshot
  }

  private func error(_ text: String) -> SnapshotError? {
    do {
      _ = try SnapshotLoader.decode(Array(text.utf8), name: "in.json")
      return nil
    } catch {
      return error
    }
  }

  @Test(arguments: [
    ("response", #"{"assessmentRuns": [RUN], "failedItems": {}}"#),
    ("boto3 response", #"{"assessmentRuns": [RUN], "failedItems": {}, "ResponseMetadata": {"HTTPStatusCode": 200}}"#),
    ("bare run", "RUN"),
    ("array of runs", "[RUN]"),
    ("JSON Lines", "RUN\n"),
    ("BOM and CRLF", "\u{FEFF}{\"assessmentRuns\": [RUN],\r\n \"failedItems\": {}}\r\n"),
  ])
  func readsEveryWrapper(form: String, text: String) throws {
    let snapshot = try decode(text.replacingOccurrences(of: "RUN", with: Self.run))
    #expect(snapshot.runs.count == 1, "\(form)")
    #expect(snapshot.runs.first?.stateChanges.count == 2)
    #expect(snapshot.runs.first?.findingCounts == [SeverityCount(severity: "High", count: 1)])
  }

  @Test func readsConcatenatedAndLineSeparatedTexts() throws {
    let texts = [
      Self.run + Self.run,
      Self.run.replacingOccurrences(of: "\n", with: " ") + "\n" + "["
        + Self.run.replacingOccurrences(of: "\n", with: " ") + "]\n",
      "{\"assessmentRuns\": [\(Self.run)], \"failedItems\": {}}{\"assessmentRuns\": [], \"failedItems\": {}}"
        + Self.run,
    ]
    for text in texts {
      #expect(try decode(text).runs.count == 2)
    }
  }

  @Test(
    arguments: [
      ("1458680170.035", 1_458_680_170_035_000),
      ("1458680170", 1_458_680_170_000_000),
      ("1.458680170035E9", 1_458_680_170_035_000),
      ("\"2016-03-22T20:56:10.035Z\"", 1_458_680_170_035_000),
      ("\"2016-03-22T20:56:10.035000+00:00\"", 1_458_680_170_035_000),
      ("\"2016-03-22T21:56:10.035+01:00\"", 1_458_680_170_035_000),
      ("\"2016-03-22T20:56:10Z\"", 1_458_680_170_000_000),
      ("\"2016-03-22 20:56:10.035000+00:00\"", 1_458_680_170_035_000),
      ("\"2016-03-22 20:56:10+00:00\"", 1_458_680_170_000_000),
    ] as [(String, Int64)])
  func readsEveryTimestampForm(text: String, micros: Int64) throws {
    let run = """
      {"arn": "a", "state": "CREATED", "stateChanges": [{"stateChangedAt": \(text), "state": "CREATED"}]}
      """
    let snapshot = try decode(run)
    #expect(snapshot.runs.first?.stateChanges.first?.at.microseconds == micros)
    #expect(snapshot.newestTimestamp?.microseconds == micros)
  }

  @Test func keepsUnknownValuesAndIgnoresUnknownMembers() throws {
    let text = """
      {"arn": "a", "state": "PAUSED", "futureMember": {"x": [1, 2]},
       "stateChanges": [{"stateChangedAt": 0, "state": "PAUSED", "reason": "?"}],
       "notifications": [{"date": 1, "event": "NEW_EVENT", "error": false, "snsPublishStatusCode": "THROTTLED"}],
       "findingCounts": {"Critical": 3}}
      """
    let run = try #require(try decode(text).runs.first)
    #expect(run.state == "PAUSED")
    #expect(run.notifications.counts.byEvent.entries.last.map { [$0.name.name: $0.count] } == ["NEW_EVENT": 1])
    #expect(run.notifications.counts.bySNSStatus["THROTTLED"] == 1)
    #expect(run.notifications.failedDeliveries.map(\.status) == ["THROTTLED"])
    let counts = run.notifications.counts.bySNSStatus.entries
    #expect(
      counts.map(\.name.name) == ["SUCCESS", "TOPIC_DOES_NOT_EXIST", "ACCESS_DENIED", "INTERNAL_ERROR", "THROTTLED"])
    #expect(counts.map(\.count) == [0, 0, 0, 0, 1])
    #expect(run.findingCounts == [SeverityCount(severity: "Critical", count: 3)])
  }

  @Test func readsRulesPackagesAndUserAttributesInOrder() throws {
    let text = """
      {"arn": "a", "state": "COMPLETED", "stateChanges": [],
       "rulesPackageArns": ["arn:p/2", "arn:p/\\u0031"],
       "userAttributesForFindings": [{"key": "team", "value": "<b>"}, {"key": "bare"}, {"value": null, "key": "null"}]}
      """
    let run = try #require(try decode(text).runs.first)
    #expect(run.rulesPackageArns == ["arn:p/2", "arn:p/1"])
    #expect(
      run.userAttributesForFindings == [
        UserAttribute(key: "team", value: "<b>"), UserAttribute(key: "bare"), UserAttribute(key: "null"),
      ])
    #expect(
      run
        == AssessmentRun(
          arn: "a", state: .completed, rulesPackageArns: ["arn:p/2", "arn:p/1"],
          userAttributesForFindings: run.userAttributesForFindings, source: run.source))
    // An attribute with a member of another name is read the slow way, and read all the same.
    let extra = try #require(
      try decode(
        #"{"arn": "a", "state": "X", "stateChanges": [], "userAttributesForFindings": [{"key": "k", "v": 1}]}"#
      ).runs.first)
    #expect(extra.userAttributesForFindings == [UserAttribute(key: "k")])
    let bare = try #require(
      try decode(#"{"arn": "a", "state": "X", "stateChanges": [], "rulesPackageArns": null}"#).runs.first)
    #expect(bare.rulesPackageArns.isEmpty && bare.userAttributesForFindings.isEmpty)
  }

  @Test func readsFailedItems() throws {
    let text = """
      {"assessmentRuns": [], "failedItems": {"arn:x": {"failureCode": "ITEM_DOES_NOT_EXIST", "retryable": false},
       "arn:y": {"failureCode": "SOMETHING_NEW", "retryable": true}}}
      """
    let items = try decode(text).failedItems
    #expect(items.map(\.arn) == ["arn:x", "arn:y"])
    #expect(items.map(\.failureCode) == ["ITEM_DOES_NOT_EXIST", "SOMETHING_NEW"])
    #expect(items.map(\.retryable) == [false, true])
  }

  @Test func errorsNameTheFileLineColumnAndPath() {
    let text = """
      {"assessmentRuns": [
        {"arn": "a", "state": "CREATED", "stateChanges": [
          {"state": "CREATED"}
        ]}
      ], "failedItems": {}}
      """
    let found = error(text)
    #expect(found?.location.file == "in.json")
    #expect(found?.location.line == 3)
    #expect(found?.location.column == 5)
    #expect(found?.location.path == "assessmentRuns[0].stateChanges[0]")
    #expect(found?.description == "in.json:3:5: error: assessmentRuns[0].stateChanges[0]: 'stateChangedAt' is missing")
  }

  @Test(arguments: [
    (
      #"{"assessmentRuns": [{"arn": "a", "state": "X", "stateChanges": [{"stateChangedAt": true, "state": "X"}]}]}"#,
      "1:84", "expected a timestamp"
    ),
    (
      #"{"assessmentRuns": [{"arn": "a", "state": "X", "stateChanges": [{"stateChangedAt": "noon", "state": "X"}]}]}"#,
      "1:84", "is not an ISO 8601 timestamp"
    ),
    (
      #"{"assessmentRuns": [{"arn": "a", "state": "X", "stateChanges": [], "findingCounts": {"High": 1.5}}]}"#,
      "1:94", "expected a whole number"
    ),
    (
      #"{"assessmentRuns": [{"arn": "a", "state": "X", "stateChanges": [], "findingCounts": {"High": -1}}]}"#,
      "1:94", "from 0 to 2147483647"
    ),
    (
      #"{"arn": "a", "state": "X", "stateChanges": [], "findingCounts": {"High": 9223372036854775807, "Low": 1}}"#,
      "1:74", "from 0 to 2147483647, found 9223372036854775807"
    ),
    (#"{"arn": "a", "state": "X", "stateChanges": [], "durationInSeconds": 1e300}"#, "1:69", "whole number"),
    (#"{"assessmentRuns": [{"arn": "a", "state": "X", "stateChanges": []},]}"#, "1:68", "trailing comma"),
    (#"{"assessmentRuns": {"arn": "a"}}"#, "1:20", "expected an array of assessment runs"),
    (#"{"assessmentRuns": [{"state": "X", "stateChanges": []}]}"#, "1:21", "'arn' is missing"),
    (
      #"{"arn": "a", "state": "X", "stateChanges": [], "userAttributesForFindings": [{"value": "v"}]}"#, "1:78",
      "'key' is missing"
    ),
    (
      #"{"arn": "a", "state": "X", "stateChanges": [], "userAttributesForFindings": [{"key": 1}]}"#, "1:86",
      "expected a string"
    ),
    (#"{"arn": "a", "state": "X", "stateChanges": [], "rulesPackageArns": [1]}"#, "1:69", "expected a string"),
    (#"{"arn": "a", "state": "X", "stateChanges": [], "rulesPackageArns": "arn:p"}"#, "1:68", "expected an array"),
    ("", "1:1", "empty"),
    ("   \n  ", "2:3", "empty"),
    (#"{"assessmentRunArns": ["arn:x"], "nextToken": "t"}"#, "1:1", "list-assessment-runs"),
    (#"{"__type": "AccessDeniedException", "message": "no"}"#, "1:1", "error message"),
    (#"{"findings": []}"#, "1:1", "findings"),
    (#"{"hello": 1}"#, "1:1", "keys: 'hello'"),
    ("42", "1:1", "found a number"),
  ])
  func rejectsBadInputWithItsPlace(text: String, place: String, message: String) throws {
    let found = try #require(error(text))
    #expect("\(found.location.line):\(found.location.column)" == place, "\(found)")
    #expect(found.message.contains(message), "\(found)")
  }

  @Test(arguments: [
    (
      #"{"arn": "a", "state": "COMPLETED", "state": "FAILED", "stateChanges": []}"#,
      "1:36: error: duplicate member 'state'"
    ),
    (#"[{"arn": "a", "stateChanges": [], "arn": "b"}]"#, "1:35: error: [0]: duplicate member 'arn'"),
    (#"{"arn": "a", "stateChanges": [], "x": 1,"x": 2}"#, "1:41: error: duplicate member 'x'"),
    (#"{"arn": "a", "state": "X", "st\u0061te": "Y", "stateChanges": []}"#, "1:28: error: duplicate member 'state'"),
    (
      #"{"assessmentRuns": [], "failedItems": {}, "assessmentRuns": []}"#,
      "1:43: error: duplicate member 'assessmentRuns'"
    ),
    (
      #"{"assessmentRuns": [{"arn": "a", "stateChanges": [{"state": "X", "stateChangedAt": 0, "state": "Y"}]}]}"#,
      "1:87: error: assessmentRuns[0].stateChanges[0]: duplicate member 'state'"
    ),
    (
      #"{"arn": "a", "stateChanges": [], "findingCounts": {"High": 1,\#n "High": 2}}"#,
      "2:2: error: findingCounts: duplicate member 'High'"
    ),
    (
      #"{"assessmentRuns": [], "failedItems": {"arn:x": {"failureCode": "A"}, "arn:x": {"failureCode": "B"}}}"#,
      "1:71: error: failedItems: duplicate member 'arn:x'"
    ),
    (
      #"{"assessmentRuns": [], "failedItems": {"arn:x": {"failureCode": "A", "retryable": true, "retryable": false}}}"#,
      #"1:89: error: failedItems["arn:x"]: duplicate member 'retryable'"#
    ),
    (
      #"{"arn": "a", "stateChanges": [], "userAttributesForFindings": [{"key": "a", "key": "b"}]}"#,
      "1:77: error: userAttributesForFindings[0]: duplicate member 'key'"
    ),
  ])
  func aDuplicateMemberIsAnErrorAtItsSecondName(text: String, expected: String) throws {
    let found = try #require(error(text))
    #expect(found.description == "in.json:" + expected)
  }

  @Test func theSameNameInDifferentObjectsIsNoDuplicate() throws {
    let text = """
      [{"arn": "a", "stateChanges": [{"state": "X", "stateChangedAt": 0}, {"state": "Y", "stateChangedAt": 1}],
        "x": {"x": 1}}, {"arn": "b", "state": "X", "stateChanges": [], "x": 2}]
      """
    #expect(try decode(text).runs.count == 2)
  }

  @Test func syntaxErrorsKeepTheReadersPosition() throws {
    let found = try #require(error("{\"assessmentRuns\": [\n  {\"arn\": \"a\" \"state\": 1}]}"))
    #expect(found.location.line == 2)
    #expect(found.location.column == 15)
  }

  @Test func runsRememberWhereTheyAre() throws {
    let text = "{\"assessmentRuns\": [\n" + Self.run + ",\n  " + Self.run + "]}"
    let runs = try decode(text, name: "runs/a.json").runs
    #expect(runs.map(\.source.description) == ["runs/a.json:2:1", "runs/a.json:9:3"])
    #expect(runs.map(\.source.path) == ["assessmentRuns[0]", "assessmentRuns[1]"])
  }

  @Test func aBareRunAfterItsOwnFailedItemsIsPlacedRight() throws {
    let text = """
      {"failedItems": {
        "arn:x": {"failureCode": "ACCESS_DENIED", "retryable": false}},
       "arn": "arn:r", "state": "COMPLETED", "stateChanges": []}
      """
    let snapshot = try decode(text, name: "bare.json")
    #expect(snapshot.failedItems.map(\.source.description) == ["bare.json:2:12"])
    #expect(snapshot.runs.map(\.source.description) == ["bare.json:1:1"])
  }

  /// Runs far apart, after blank lines and padding of every length: the counting goes in blocks of 16 bytes and
  /// counters emptied every 255 blocks, so each remainder and boundary is met.
  @Test func runLinesAndColumnsHoldFarIntoAnInput() throws {
    var text = "["
    var expected: [String] = []
    var line = 1
    var column = 2
    for number in 0..<300 {
      // Now and then more newlines in a row than a byte counter holds (255 blocks of 16).
      let newlines = number % 50 == 49 ? 5000 : number % 7 == 0 ? number * 3 : number % 3
      let spaces = (number * 37) % 5000
      text += String(repeating: "\n", count: newlines) + String(repeating: " ", count: spaces)
      line += newlines
      column = (newlines > 0 ? 1 : column) + spaces
      expected.append("big.json:\(line):\(column)")
      let run = #"{"arn": "a\#(number)", "state": "COMPLETED", "stateChanges": []}"#
      text += run + ","
      column += run.utf8.count + 1
    }
    text.removeLast()
    text += "]"
    let runs = try decode(text, name: "big.json").runs
    #expect(runs.map(\.source.description) == expected)
  }
}

@Suite struct InputSplitterTests {
  /// The sample polling job's JSON Lines, decoded whole and in parts, give the same runs at the same places.
  @Test func decodingInPartsGivesWhatDecodingWholeGives() throws {
    let bytes = try TestPaths.bytes("samples/runs/polling.jsonl")
    let whole = try SnapshotLoader.decode(bytes, name: "p.jsonl", splitAbove: .max).snapshot
    let parts = InputSplitter.parts(of: bytes, count: 4)
    #expect(parts.count >= 3)
    #expect(parts.first?.range.lowerBound == 0 && parts.last?.range.upperBound == bytes.count)
    let split = try SnapshotLoader.decode(bytes, name: "p.jsonl", splitAbove: 0).snapshot
    #expect(split == whole)
    #expect(split.runs.map(\.source.line) == [2, 4, 4, 5, 5, 6])
  }

  @Test func errorsInALaterPartKeepTheirLine() throws {
    var text = ""
    for _ in 0..<8 { text += SnapshotDecoderTests.run.replacingOccurrences(of: "\n", with: " ") + "\n" }
    text += "{\"arn\": \"x\", \"state\": 1, \"stateChanges\": []}\n"
    do {
      _ = try SnapshotLoader.decode(Array(text.utf8), name: "p.jsonl", splitAbove: 0)
      Issue.record("expected an error")
    } catch {
      #expect(error.location.line == 9)
      #expect(error.location.column == 23)
    }
  }

  @Test func aSingleTextOrAnInputBrokenBeforeItsFirstCutIsNotCut() {
    #expect(InputSplitter.parts(of: Array("{\"a\": 1}".utf8), count: 4).count <= 1)
    #expect(InputSplitter.parts(of: Array("{\"a\": }\n{\"a\": 1}\n".utf8), count: 4).isEmpty)
  }

  @Test func afterASyntaxErrorTheRestIsOneLastPart() throws {
    let text = "{\"a\": 1}\n{\"a\": }\n{\"a\": 2}\n"
    let parts = InputSplitter.parts(of: Array(text.utf8), count: 4)
    #expect(parts.map(\.range) == [0..<9, 9..<text.utf8.count])
    #expect(parts.map(\.linesBefore) == [0, 1])
  }

  @Test func aLastLineCutShortFailsAtTheSamePlaceWholeOrInParts() throws {
    let line = SnapshotDecoderTests.run.replacingOccurrences(of: "\n", with: " ")
    let bytes = Array((String(repeating: line + "\n", count: 8) + line.prefix(100)).utf8)
    #expect(InputSplitter.parts(of: bytes, count: 4).count > 1)
    let whole = try #require(throws: SnapshotError.self) {
      try SnapshotLoader.decode(bytes, name: "p.jsonl", splitAbove: .max)
    }
    let split = try #require(throws: SnapshotError.self) {
      try SnapshotLoader.decode(bytes, name: "p.jsonl", splitAbove: 0)
    }
    #expect(split == whole)
    #expect(split.location.line == 9)
  }
}

/// Broken input is normal input: mangled snapshots are either read or refused with a position, never a crash,
/// and whatever is read renders.
@Suite struct MangledInputTests {
  @Test(arguments: 0..<300)
  func mangledSnapshotsAreReadOrRefused(seed: Int) throws {
    var random = SeededGenerator(seed: UInt64(seed))
    var bytes = try TestPaths.bytes(seed % 2 == 0 ? "samples/aws-doc-example.json" : "samples/runs/snapshot-00003.json")
    let replacements = Array(#"{}[]:,"\ 0123456789.eE+-tfnul"#.utf8) + [0x00, 0x0A, 0xC3, 0xFF]
    for _ in 0..<Int.random(in: 1...4, using: &random) {
      let index = Int.random(in: 0..<bytes.count, using: &random)
      switch Int.random(in: 0..<3, using: &random) {
      case 0: bytes[index] = replacements.randomElement(using: &random) ?? 0
      case 1: bytes.remove(at: index)
      default: bytes.insert(replacements.randomElement(using: &random) ?? 0, at: index)
      }
    }
    var strictError: SnapshotError?
    do {
      let input = try SnapshotLoader.decode(bytes, name: "mangled.json")
      let files = try ReportJob.render(Report(inputs: [input], policy: .standard), with: TemplateSet())
      #expect(files.count == OutputFormat.allCases.count)
    } catch let error as SnapshotError {
      #expect(error.location.line >= 1 && error.location.column >= 1, "\(error)")
      strictError = error
    }
    // Keeping going, the first problem is the error, and what is read beside the problems renders.
    let (input, problems) = SnapshotLoader.decodeKeepingGoing(bytes, name: "mangled.json")
    #expect(problems.first == strictError)
    let report = Report(inputs: input.map { [$0] } ?? [], policy: .standard, inputProblems: problems)
    #expect(try ReportJob.render(report, with: TemplateSet()).count == OutputFormat.allCases.count)
  }
}

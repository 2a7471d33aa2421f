import JSONReader

/// What the comparison needs of an earlier `report.json` given with `--baseline`: its *now* and, per assessment
/// template, its newest run's findings and check outcomes.
public struct Baseline: Sendable {
  /// The file's name as given.
  public var source: RawPath
  /// The SHA-256 of the file's bytes.
  public var sha256: String
  /// The baseline's *now* as it wrote it, `nil` when it knew no time.
  public var now: String?
  /// Each template's newest run in the baseline, by template ARN.
  public var newestRuns: [String: BaselineRun]

  /// Creates a baseline; `read(_:)` makes one from a file.
  init(source: RawPath, sha256: String, now: String?, newestRuns: [String: BaselineRun]) {
    self.source = source
    self.sha256 = sha256
    self.now = now
    self.newestRuns = newestRuns
  }
}

/// A run as the baseline recorded it: what the comparison reads of it.
public struct BaselineRun: Sendable, Hashable {
  /// The run's ARN.
  public var arn: String
  /// Its findings by severity.
  public var findings: FindingCounts
  /// Its checks' outcomes by check name.
  public var checks: [String: CheckResult.Status]

  /// Creates a run.
  init(arn: String, findings: FindingCounts, checks: [String: CheckResult.Status]) {
    self.arn = arn
    self.findings = findings
    self.checks = checks
  }
}

extension Baseline {
  /// Reads the `report.json` at `path`.
  /// - Throws: `SnapshotError` naming the file and the place: a file that cannot be read, text that is not JSON,
  ///   JSON that is not a `report.json` of this tool, or one written by another version of it, whose fields may
  ///   mean something else.
  public static func read(_ path: RawPath) throws(SnapshotError) -> Baseline {
    switch SnapshotLoader.readFile(path) {
    case .success(let bytes): return try parse(bytes, source: path)
    case .failure(let reason): throw SnapshotError("--baseline: \(reason)", at: SourceLocation(file: path.description))
    }
  }

  /// Reads a `report.json`'s bytes: `tool`, `now` and, of each run, `arn`, `template`, `findings` and the `name`
  /// and `status` of its `checks`; every other value is skipped unread, so a baseline of 10,000 runs costs little
  /// more than a pass over its bytes.
  ///
  /// Keys come sorted, so `runs` comes before `tool`: what is wrong with the runs is said only once `tool` shows
  /// that the file is a report of this version at all, since another file's mismatch says nothing useful. A
  /// file that is not JSON is said to be so at once, where it stops being JSON.
  /// - Throws: `SnapshotError` as `read(_:)` says.
  static func parse(_ bytes: [UInt8], source: RawPath) throws(SnapshotError) -> Baseline {
    let file = source.description
    var reader = JSONReader(bytes: bytes)
    var parser = BaselineParser()
    do {
      try parser.parse(&reader)
    } catch {
      throw SnapshotError(
        "--baseline: \(error.message)",
        at: SourceLocation(file: file, line: error.position.line, column: error.position.column))
    }
    let start = SourceLocation(file: file, line: 1, column: 1)
    guard parser.toolName == ToolView.name else {
      let hint = parser.looksLikeSnapshot ? " (it looks like a snapshot: give the report.json of an earlier run)" : ""
      throw SnapshotError("--baseline: not an inspector-report report.json\(hint)", at: start)
    }
    guard parser.toolVersion == ToolView.version else {
      let version =
        parser.toolVersion.map { "\(ToolView.name) \($0)" } ?? "a version of \(ToolView.name) it does not name"
      throw SnapshotError(
        "--baseline: written by \(version); this is \(ToolView.version), and a report's fields may change between "
          + "versions: compare with a report.json this version wrote",
        at: start)
    }
    if let problem = parser.problem {
      throw SnapshotError(
        "--baseline: \(problem.path): \(problem.message)",
        at: SourceLocation(file: file, line: problem.position.line, column: problem.position.column))
    }
    return Baseline(
      source: source, sha256: InspectorReport.sha256(of: bytes), now: parser.now, newestRuns: parser.newestRuns)
  }
}

/// Reads a `report.json` for `Baseline.parse`: syntax errors are thrown, what is not as a report has it is kept
/// in `problem` (the first such) for once `tool` is known.
private struct BaselineParser {
  var toolName: String?
  var toolVersion: String?
  var now: String?
  var newestRuns: [String: BaselineRun] = [:]
  var looksLikeSnapshot = false
  var problem: (path: String, message: String, position: JSONPosition)?

  mutating func parse(_ reader: inout JSONReader) throws(JSONSyntaxError) {
    let kind = try reader.peekKind()
    guard kind == .object else {
      // An array is what `--query assessmentRuns` writes; an object is checked for `tool` below.
      looksLikeSnapshot = kind == .array
      try reader.skipValue()
      try reader.expectEnd()
      return
    }
    try reader.beginObject()
    while let key = try reader.nextKey() {
      switch key {
      case "tool": try tool(&reader)
      case "now":
        if try !reader.readNullIfPresent() { now = try string(&reader, at: "now") }
      case "runs": try runs(&reader)
      case "assessmentRuns", "failedItems":
        looksLikeSnapshot = true
        try reader.skipValue()
      default: try reader.skipValue()
      }
    }
    try reader.expectEnd()
  }

  private mutating func tool(_ reader: inout JSONReader) throws(JSONSyntaxError) {
    guard try reader.peekKind() == .object else { return try reader.skipValue() }
    try reader.beginObject()
    while let key = try reader.nextKey() {
      let isString = try reader.peekKind() == .string
      switch key {
      case "name" where isString: toolName = try reader.readString()
      case "version" where isString: toolVersion = try reader.readString()
      default: try reader.skipValue()
      }
    }
  }

  /// Each template's newest run: the last in `runs`, which are in report order (creation time, then ARN).
  ///
  /// Only the newest runs are read in full: the others are passed over once, for their template, and their keys
  /// are matched without making strings (at 10,000 runs, reading every run's checks took most of the time).
  private mutating func runs(_ reader: inout JSONReader) throws(JSONSyntaxError) {
    guard try expect(.array, &reader, at: "runs") else { return }
    try reader.beginArray()
    var newest: [String: (index: Int, offset: Int)] = [:]
    var index = 0
    while try reader.nextElement() {
      defer { index += 1 }
      guard try expect(.object, &reader, at: "runs[\(index)]") else { continue }
      let offset = reader.offset
      try reader.beginObject()
      var template: String?
      while let key = try reader.nextKey(matching: Self.runKey) {
        if key == "template" {
          template = try string(&reader, at: "runs[\(index)].template")
        } else {
          try reader.skipValue()
        }
      }
      guard let template else {
        note(path: "runs[\(index)]", message: "'template' is missing", at: offset, in: reader)
        continue
      }
      newest[template] = (index, offset)
    }
    // In the order of the runs, so that the problem said is the first one.
    for (template, run) in newest.sorted(by: { $0.value.index < $1.value.index }) {
      var runReader = reader
      runReader.resume(at: run.offset)
      if let read = try self.run(&runReader, at: "runs[\(run.index)]") { newestRuns[template] = read }
    }
  }

  /// The keys of a run the comparison reads, as constants; every other key is "", and made no string of.
  private static func runKey(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    // By length first: nearly every key is one of the others, and comparing it with each name took a tenth of the
    // time.
    for key in runKeys where key.bytes.count == bytes.count && key.bytes.elementsEqual(bytes) { return key.name }
    return ""
  }

  private static let runKeys = ["arn", "template", "findings", "checks", "name", "status"].map {
    (bytes: Array($0.utf8), name: $0)
  }

  private mutating func run(
    _ reader: inout JSONReader, at path: @autoclosure () -> String
  ) throws(JSONSyntaxError) -> BaselineRun? {
    let start = reader.offset
    try reader.beginObject()
    var arn: String?
    var findings: FindingCounts?
    var checks: [String: CheckResult.Status]?
    while let key = try reader.nextKey(matching: Self.runKey) {
      switch key {
      case "arn": arn = try string(&reader, at: "\(path()).arn")
      case "findings": findings = try findingCounts(&reader, at: "\(path()).findings")
      case "checks": checks = try checkOutcomes(&reader, at: "\(path()).checks")
      default: try reader.skipValue()
      }
    }
    for (name, value) in [("arn", arn != nil), ("findings", findings != nil), ("checks", checks != nil)] where !value {
      note(path: path(), message: "'\(name)' is missing", at: start, in: reader)
      return nil
    }
    guard let arn, let findings, let checks else { return nil }
    return BaselineRun(arn: arn, findings: findings, checks: checks)
  }

  /// `{SEVERITY: count, …, "total": n}`; `total` is the sum, not a severity.
  private mutating func findingCounts(
    _ reader: inout JSONReader, at path: @autoclosure () -> String
  ) throws(JSONSyntaxError) -> FindingCounts? {
    guard try expect(.object, &reader, at: path()) else { return nil }
    try reader.beginObject()
    var counts: [SeverityCount] = []
    while let key = try reader.nextKey() {
      guard key != "total" else {
        try reader.skipValue()
        continue
      }
      guard try expect(.number, &reader, at: "\(path()).\(key)") else { continue }
      let start = reader.offset
      guard let count = try reader.readNumber().intValue, count >= 0 else {
        note(path: "\(path()).\(key)", message: "expected a whole number ≥ 0", at: start, in: reader)
        continue
      }
      counts.append(SeverityCount(severity: Severity(caseInsensitive: key) ?? .undocumented(key), count: count))
    }
    return FindingCounts(counts)
  }

  private mutating func checkOutcomes(
    _ reader: inout JSONReader, at path: @autoclosure () -> String
  ) throws(JSONSyntaxError) -> [String: CheckResult.Status]? {
    guard try expect(.array, &reader, at: path()) else { return nil }
    try reader.beginArray()
    var outcomes: [String: CheckResult.Status] = [:]
    var index = 0
    while try reader.nextElement() {
      defer { index += 1 }
      guard try expect(.object, &reader, at: "\(path())[\(index)]") else { continue }
      let start = reader.offset
      try reader.beginObject()
      var name: String?
      var status: String?
      while let key = try reader.nextKey(matching: Self.runKey) {
        switch key {
        case "name": name = try string(&reader, at: "\(path())[\(index)].name")
        case "status": status = try string(&reader, at: "\(path())[\(index)].status")
        default: try reader.skipValue()
        }
      }
      guard let name, let status, let outcome = CheckResult.Status(rawValue: status) else {
        note(
          path: "\(path())[\(index)]", message: "expected a 'name' and a 'status' of passed, failed, error or skipped",
          at: start, in: reader)
        continue
      }
      outcomes[name] = outcome
    }
    return outcomes
  }

  private mutating func string(
    _ reader: inout JSONReader, at path: @autoclosure () -> String
  ) throws(JSONSyntaxError) -> String? {
    guard try expect(.string, &reader, at: path()) else { return nil }
    return try reader.readString()
  }

  /// Whether the next value is of `kind`; if not, it is skipped and noted as the problem at `path`, which is made
  /// only then.
  private mutating func expect(
    _ kind: JSONKind, _ reader: inout JSONReader, at path: @autoclosure () -> String
  ) throws(JSONSyntaxError) -> Bool {
    let found = try reader.peekKind()
    guard found == kind else {
      note(path: path(), message: "expected \(kind), found \(found)", at: reader.offset, in: reader)
      try reader.skipValue()
      return false
    }
    return true
  }

  /// Keeps the first problem; its place is found only then, since finding a line and column reads the text from
  /// its start.
  private mutating func note(path: String, message: String, at offset: Int, in reader: JSONReader) {
    if problem == nil { problem = (path, message, reader.position(ofOffset: offset)) }
  }
}

import CYaml
import Yams

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Policy {
  /// The policy a policy file (`--policy`) sets, YAML or JSON: the standard one with the file's maxima,
  /// `minimumRuns`, overrides and waivers; the file's name is its `source`.
  /// - Throws: `PolicyFileError` with every problem in the file, each at its line and column.
  public static func read(file path: RawPath) throws(PolicyFileError) -> Policy {
    let name = path.description
    let bytes: [UInt8]
    switch readPolicyFile(path) {
    case .success(let contents): bytes = contents
    case .failure(let reason): throw PolicyFileError(problem: reason.description, at: SourceLocation(file: name))
    }
    var policy = try parse(bytes, name: name)
    policy.sourceSHA256 = sha256(of: bytes)
    return policy
  }

  /// The policy the text of a policy file named `name` sets.
  /// - Throws: `PolicyFileError` with every problem in it.
  static func parse(_ bytes: [UInt8], name: String) throws(PolicyFileError) -> Policy {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw PolicyFileError(problem: "not UTF-8 text", at: SourceLocation(file: name))
    }
    if let problem = PolicyFileReader.firstStructureProblem(in: text, file: name) { throw PolicyFileError(problem) }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      throw PolicyFileError(PolicyFileReader.syntaxProblem(error, in: text, file: name))
    }
    var reader = PolicyFileReader(file: name)
    let policy = reader.policy(of: root)
    guard reader.problems.isEmpty else {
      // By place, as an editor lists them; the sort is stable, so problems at one place keep their order.
      let problems = reader.problems.enumerated().sorted {
        ($0.element.location.line, $0.element.location.column, $0.offset)
          < ($1.element.location.line, $1.element.location.column, $1.offset)
      }
      throw PolicyFileError(problems: problems.map(\.element))
    }
    return policy
  }

  /// The most bytes a policy file may hold, far more than any needs: the end of an endless one.
  static let maximumFileSize = 1 << 20
}

/// Why a policy file cannot be used: every problem in it, each as `file:line:col: error: path: message`.
public struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The problems, in the file's order.
  public var problems: [SnapshotError]

  init(problems: [SnapshotError]) {
    self.problems = problems
  }

  init(_ problem: SnapshotError) {
    problems = [problem]
  }

  init(problem: String, at location: SourceLocation) {
    problems = [SnapshotError(problem, at: location)]
  }

  public var description: String {
    problems.map(\.description).joined(separator: "\n")
  }
}

/// Reads the composed YAML tree of a policy file into a policy, collecting a problem for every value that is not
/// what its key requires rather than stopping at the first.
private struct PolicyFileReader {
  let file: String
  var problems: [SnapshotError] = []

  init(file: String) {
    self.file = file
  }

  static let topKeys = ["maxima", "minimumRuns", "templates", "waivers"]
  static let overrideKeys = ["templateArn", "runName", "maxima"]
  static let waiverKeys = ["check", "templateArn", "runArn", "reason", "expires"]

  mutating func policy(of root: Node?) -> Policy {
    var policy = Policy.standard
    policy.source = file
    guard let root else {
      problem("the file holds nothing; expected a mapping of \(Self.topKeys.joined(separator: ", "))", at: nil, "")
      return policy
    }
    guard let entries = mapping(root, "", keys: Self.topKeys) else { return policy }
    for (key, _, value) in entries {
      switch key {
      case "maxima":
        for (severity, limit) in maxima(value, "maxima") { policy.maxima[severity] = limit }
      case "minimumRuns":
        if let count = count(value, "minimumRuns") { policy.minimumRuns = count }
      case "templates":
        policy.overrides = sequence(value, "templates").compactMap { override($0.node, $0.path) }
      default:
        policy.waivers = sequence(value, "waivers").compactMap { waiver($0.node, $0.path) }
      }
    }
    return policy
  }

  private mutating func override(_ node: Node, _ path: String) -> PolicyOverride? {
    guard let entries = mapping(node, path, keys: Self.overrideKeys) else { return nil }
    let subject = oneOf(["templateArn", "runName"], in: entries, of: node, path)
    guard let maxima = entries.first(where: { $0.key == "maxima" })?.value else {
      problem("'maxima' is missing", at: node, path)
      return nil
    }
    let limits = self.maxima(maxima, "\(path).maxima")
    guard let subject else { return nil }
    let match: PolicyOverride.Match =
      subject.key == "templateArn" ? .templateArn(subject.text) : .runName(RunNamePattern(subject.text))
    return PolicyOverride(match: match, maxima: limits)
  }

  private mutating func waiver(_ node: Node, _ path: String) -> Waiver? {
    guard let entries = mapping(node, path, keys: Self.waiverKeys) else { return nil }
    let subject = oneOf(["templateArn", "runArn"], in: entries, of: node, path)
    var check: RunCheck?
    var reason: String?
    var expires: (instant: Timestamp, text: String)?
    for (key, _, value) in entries {
      let valuePath = "\(path).\(key)"
      switch key {
      case "check": check = string(value, valuePath).flatMap { self.check($0, at: value, valuePath) }
      case "reason": reason = string(value, valuePath)
      case "expires": expires = string(value, valuePath).flatMap { expiry($0, at: value, valuePath) }
      default: break
      }
    }
    for (key, found) in [("check", check != nil), ("reason", reason != nil), ("expires", expires != nil)]
    where !found && !entries.contains(where: { $0.key == key }) {
      problem("'\(key)' is missing", at: node, path)
    }
    guard let check, let subject, let reason, let expires else { return nil }
    return Waiver(
      check: check, subject: subject.key == "templateArn" ? .templateArn(subject.text) : .runArn(subject.text),
      reason: reason, expiry: expires.instant, expiresText: expires.text,
      location: location(of: node, path))
  }

  /// The one of `keys` that `entries` holds, with its text: a problem when it holds none or more than one.
  private mutating func oneOf(
    _ keys: [String], in entries: [(key: String, keyNode: Node, value: Node)], of node: Node, _ path: String
  ) -> (key: String, text: String)? {
    let given = entries.filter { keys.contains($0.key) }
    guard let first = given.first else {
      problem("'\(keys[0])' or '\(keys[1])' is missing", at: node, path)
      return nil
    }
    guard given.count == 1 else {
      problem("give '\(keys[0])' or '\(keys[1])', not both", at: given[1].keyNode, path)
      return nil
    }
    return string(first.value, "\(path).\(first.key)").map { (first.key, $0) }
  }

  /// The maxima of a `maxima` mapping: severity names as `--max` takes them, values a whole number or `none`.
  private mutating func maxima(_ node: Node, _ path: String) -> [Severity: Int?] {
    guard let entries = mapping(node, path, keys: nil) else { return [:] }
    var maxima: [Severity: Int?] = [:]
    for (name, keyNode, value) in entries {
      let valuePath = "\(path).\(name)"
      guard !name.isEmpty else {
        problem("the severity is empty", at: keyNode, path)
        continue
      }
      let severity = Severity(caseInsensitive: name) ?? .undocumented(name)
      guard maxima[severity] == nil else {
        problem("\(severity.name) is given twice", at: keyNode, valuePath)
        continue
      }
      guard let text = string(value, valuePath) else { continue }
      guard let limit = isNull(value) ? .some(nil) : Policy.maximum(text) else {
        problem("expected a whole number ≥ 0 or none, found '\(text)'", at: value, valuePath)
        continue
      }
      maxima[severity] = .some(limit)
    }
    return maxima
  }

  private mutating func count(_ node: Node, _ path: String) -> Int? {
    guard let text = string(node, path) else { return nil }
    guard let count = Int(text), count >= 0 else {
      problem("expected a whole number ≥ 0, found '\(text)'", at: node, path)
      return nil
    }
    return count
  }

  /// A check of a run by the name reports give it, severities in any case as `--max` takes them.
  private mutating func check(_ name: String, at node: Node, _ path: String) -> RunCheck? {
    if let check = RunCheck.all.first(where: { $0.name == name }) { return check }
    let findings = "findings-"
    if name.hasPrefix(findings), name.count > findings.count {
      let severity = String(name.dropFirst(findings.count))
      return .findings(Severity(caseInsensitive: severity) ?? .undocumented(severity))
    }
    let expected = "run-state, data-collected, findings-SEVERITY (findings-High), notifications"
    if name == RunCheck.runs.name || name == RunCheck.inputs.name {
      problem("'\(name)' is a check of the report, not of a run; a waiver is for \(expected)", at: node, path)
    } else {
      problem("unknown check '\(name)'; expected \(expected)", at: node, path)
    }
    return nil
  }

  /// When a waiver stops applying: after the day of a date (`2026-12-31`, in UTC), at the instant of a timestamp
  /// in any form `--now` takes.
  private mutating func expiry(_ text: String, at node: Node, _ path: String) -> (instant: Timestamp, text: String)? {
    let day: Int64 = 86_400_000_000
    if text.utf8.count == 10, let start = Timestamp(parsing: text + "T00:00:00Z") {
      return (Timestamp(microseconds: start.microseconds + day), text)
    }
    if let instant = NowOption.parse(text) { return (instant, instant.description) }
    problem(
      "'\(text)' is not a date (2026-12-31, the waiver applies to its end, UTC) or a timestamp (2026-12-31T12:00:00Z)",
      at: node, path)
    return nil
  }

  // MARK: - Shapes

  /// The entries of a mapping with their keys as text, in the file's order; each key not in `keys` (unless `nil`,
  /// any key) is a problem, and the entry is left out.
  private mutating func mapping(
    _ node: Node, _ path: String, keys: [String]?
  ) -> [(key: String, keyNode: Node, value: Node)]? {
    guard case .mapping(let mapping) = node else {
      problem("expected a mapping\(keys.map { " of \($0.joined(separator: ", "))" } ?? "")", at: node, path)
      return nil
    }
    var entries: [(key: String, keyNode: Node, value: Node)] = []
    for (keyNode, value) in mapping {
      guard case .scalar(let key) = keyNode else {
        problem("a key must be a plain name", at: keyNode, path)
        continue
      }
      if let keys, !keys.contains(key.string) {
        problem("unknown key '\(key.string)'; expected \(keys.joined(separator: ", "))", at: keyNode, path)
        continue
      }
      entries.append((key.string, keyNode, value))
    }
    return entries
  }

  private mutating func sequence(_ node: Node, _ path: String) -> [(node: Node, path: String)] {
    guard case .sequence(let sequence) = node else {
      problem("expected a list", at: node, path)
      return []
    }
    return sequence.enumerated().map { ($1, "\(path)[\($0)]") }
  }

  /// The text of a scalar; a problem when it is empty or not a scalar (a mapping, a list).
  private mutating func string(_ node: Node, _ path: String) -> String? {
    guard case .scalar(let scalar) = node else {
      problem("expected a single value, not a \(node.isMapping ? "mapping" : "list")", at: node, path)
      return nil
    }
    guard !scalar.string.isEmpty else {
      problem("the value is empty", at: node, path)
      return nil
    }
    return scalar.string
  }

  /// Whether `node` is YAML's (and JSON's) `null`, unquoted.
  private func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
    return ["null", "Null", "NULL", "~"].contains(scalar.string)
  }

  private func location(of node: Node?, _ path: String) -> SourceLocation {
    let mark = node?.mark
    return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path)
  }

  private mutating func problem(_ message: String, at node: Node?, _ path: String) {
    problems.append(SnapshotError(message, at: location(of: node, path)))
  }

  /// The place and words of a YAML syntax error, as libyaml gives them (`mapping values are not allowed in this
  /// context`). Keys given twice never get here: `firstStructureProblem` finds them first.
  static func syntaxProblem(_ error: any Error, in text: String, file: String) -> SnapshotError {
    guard let error = error as? YamlError else { return SnapshotError("\(error)", at: SourceLocation(file: file)) }
    func at(_ mark: Mark) -> SourceLocation {
      SourceLocation(file: file, line: mark.line, column: mark.column)
    }
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return SnapshotError(problem + (context.map { " (\($0.text))" } ?? ""), at: at(mark))
    case .reader(let problem, let offset, _, _):
      return SnapshotError(problem, at: location(ofByte: offset ?? 0, in: text, file: file))
    default:
      return SnapshotError("\(error)", at: SourceLocation(file: file))
    }
  }

  /// The first anchor (`&name`), alias (`*name`) or key given twice in one mapping in `text`, found from
  /// libyaml's events before Yams composes the text. A policy file needs no anchors or aliases, and Yams compares
  /// keys by hashing them whole, so a key that is an alias of nested aliases takes it exponential time (nine levels
  /// of nine took 25 s). Yams finds a key given twice too, but says the first place, and without the path.
  static func firstStructureProblem(in text: String, file: String) -> SnapshotError? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return nil }
    defer { yaml_parser_delete(&parser) }
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer { buffer -> SnapshotError? in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var nodes = NodePath()
      var event = yaml_event_t()
      // A syntax error ends the walk here; composing the text then reports it.
      while yaml_parser_parse(&parser, &event) == 1 {
        defer { yaml_event_delete(&event) }
        let mark = event.start_mark
        func problem(_ message: String, path: String = "") -> SnapshotError {
          SnapshotError(
            message, at: SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1, path: path))
        }
        let anchorOrAlias = "anchors and aliases (&name, *name) are not allowed in a policy file"
        switch event.type {
        case YAML_STREAM_END_EVENT:
          return nil
        case YAML_ALIAS_EVENT:
          return problem(anchorOrAlias)
        case YAML_SCALAR_EVENT:
          if event.data.scalar.anchor != nil { return problem(anchorOrAlias) }
          let value = String(
            decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length),
            as: UTF8.self)
          if nodes.isKeyGivenTwice(value) { return problem("duplicate key '\(value)'", path: nodes.mappingPath) }
          nodes.scalar(value)
        case YAML_MAPPING_START_EVENT:
          if event.data.mapping_start.anchor != nil { return problem(anchorOrAlias) }
          nodes.begin(mapping: true)
        case YAML_SEQUENCE_START_EVENT:
          if event.data.sequence_start.anchor != nil { return problem(anchorOrAlias) }
          nodes.begin(mapping: false)
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
          nodes.end()
        default:
          continue
        }
      }
      return nil
    }
  }

  private static func location(ofByte offset: Int, in text: String, file: String) -> SourceLocation {
    var line = 1
    var column = 1
    for byte in text.utf8.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return SourceLocation(file: file, line: line, column: column)
  }
}

/// Where libyaml's events are in the tree: the open mappings and lists, the keys each mapping has had, and the path
/// to the node the next event begins.
private struct NodePath {
  private enum Level {
    /// `key` is `nil` while a key is expected, else the key whose value comes next.
    case mapping(keys: Set<String>, key: String?)
    case sequence(count: Int)
  }

  private var levels: [Level] = []

  /// Whether the next node is a key its mapping has had already.
  func isKeyGivenTwice(_ key: String) -> Bool {
    guard case .mapping(let keys, nil)? = levels.last else { return false }
    return keys.contains(key)
  }

  /// The path of the innermost open mapping or list, as messages write it: `waivers[1]`.
  var mappingPath: String {
    var path = ""
    for level in levels.dropLast() {
      switch level {
      case .mapping(_, let key): path += path.isEmpty ? key ?? "?" : ".\(key ?? "?")"
      case .sequence(let count): path += "[\(count)]"
      }
    }
    return path
  }

  mutating func scalar(_ text: String) {
    completed(text)
  }

  mutating func begin(mapping: Bool) {
    levels.append(mapping ? .mapping(keys: [], key: nil) : .sequence(count: 0))
  }

  mutating func end() {
    levels.removeLast()
    // A mapping or list as a key has no name a message could give; the reader refuses it.
    completed("?")
  }

  private mutating func completed(_ text: String) {
    switch levels.last {
    case .mapping(var keys, nil)?:
      keys.insert(text)
      levels[levels.count - 1] = .mapping(keys: keys, key: text)
    case .mapping(let keys, _)?:
      levels[levels.count - 1] = .mapping(keys: keys, key: nil)
    case .sequence(let count)?:
      levels[levels.count - 1] = .sequence(count: count + 1)
    case nil:
      break
    }
  }
}

extension Node {
  fileprivate var isMapping: Bool {
    if case .mapping = self { return true }
    return false
  }
}

/// The whole policy file, but no more than one byte past `Policy.maximumFileSize`.
private func readPolicyFile(_ path: RawPath) -> Result<[UInt8], FileReadError> {
  let descriptor = open(path.cString, O_RDONLY | O_CLOEXEC)
  guard descriptor >= 0 else { return .failure(FileReadError(errno: errno)) }
  defer { close(descriptor) }
  let limit = Policy.maximumFileSize
  var contents: [UInt8] = []
  while contents.count <= limit {
    let piece: [UInt8]
    switch SnapshotLoader.readPiece(descriptor, size: 1 << 16) {
    case .success(let bytes): piece = bytes
    case .failure(let error): return .failure(error)
    }
    if piece.isEmpty { return .success(contents) }
    contents += piece
  }
  return .failure(FileReadError(description: "larger than the \(limit >> 20) MiB a policy file may be"))
}

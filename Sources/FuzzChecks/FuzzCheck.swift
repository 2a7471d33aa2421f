import InspectorReport
import JSONReader

/// What the fuzz target promises of every input, in a library so that a test can replay the inputs it saved.
///
/// Bytes go through the JSON reader, then the snapshot loader, strict and keeping going; what keeping going keeps,
/// with its problems, through the analysis and every renderer. A refusal must be the loader's error; keeping going
/// must begin with it, or keep what the strict load loads; nothing may trap, and the outputs must be deterministic,
/// free of raw control characters, and readable: report.json as JSON, junit.xml and report.xml valid against their
/// schemas (`ReportJob.render` checks them).
public enum FuzzCheck {
  /// Runs one input through the JSON reader and the whole pipeline.
  /// - Throws: `InvariantViolation` for the first promise broken.
  public static func check(_ input: [UInt8]) throws(InvariantViolation) {
    try JSONReaderCheck.check(input)
    let kept = try keptGoing(input, agreeingWith: try strictLoad(input))
    try checkOutputs(of: kept.inputs, problems: kept.problems)
  }

  /// The input as the command loads it from standard input, or the loader's error.
  ///
  /// Decoding it as JSON Lines cut into parts, as a large input is, must give the same snapshot or the same error;
  /// a refusal is printed, so its message holds no raw control character.
  static func strictLoad(_ input: [UInt8]) throws(InvariantViolation) -> Result<LoadedInput, SnapshotError> {
    let whole = Result { () throws(InputErrors) in try SnapshotLoader.load(["-"], standardInput: { input }) }
    let inParts = Result { () throws(SnapshotError) in
      try SnapshotLoader.decode(input, name: SnapshotLoader.standardInputName, splitAbove: 0)
    }
    switch (whole, inParts) {
    case (.success(let loaded), .success(let part)) where loaded == [part]:
      return .success(part)
    case (.failure(let error), .failure(let partError)) where error.errors == [partError]:
      try checkNoRawControlCharacter(in: Array(error.description.utf8), of: "the loader's message")
      return .failure(partError)
    default:
      throw InvariantViolation("decoding whole and in parts disagree: \(whole) and \(inParts)")
    }
  }

  /// The input as `--keep-going` loads it from standard input: what it keeps and its problems.
  ///
  /// Decoding it in parts must keep the same. Keeping going only goes past what the strict load refuses: its first
  /// problem is the strict load's error, and without one it keeps the strict load's input and has no problem. Each
  /// problem is printed, so its message holds no raw control character.
  static func keptGoing(
    _ input: [UInt8], agreeingWith strict: Result<LoadedInput, SnapshotError>
  ) throws(InvariantViolation) -> (inputs: [LoadedInput], problems: [SnapshotError]) {
    let whole = SnapshotLoader.loadKeepingGoing(["-"], standardInput: { input })
    let inParts = SnapshotLoader.decodeKeepingGoing(input, name: SnapshotLoader.standardInputName, splitAbove: 0)
    guard whole.inputs == (inParts.input.map { [$0] } ?? []), whole.problems == inParts.problems else {
      throw InvariantViolation("keeping going whole and in parts disagree: \(whole) and \(inParts)")
    }
    switch strict {
    case .success(let loaded):
      guard whole.inputs == [loaded], whole.problems.isEmpty else {
        throw InvariantViolation("keeping going differs from the strict load \(loaded): \(whole)")
      }
    case .failure(let error):
      guard whole.problems.first == error else {
        throw InvariantViolation("keeping going's first problem is not the strict error \(error): \(whole.problems)")
      }
    }
    for problem in whole.problems {
      try checkNoRawControlCharacter(in: Array(problem.description.utf8), of: "a problem's message")
    }
    return whole
  }

  /// Renders the report of `inputs` with `problems`, and of them each twice under two names in both orders, and
  /// checks every output.
  ///
  /// The two orders also render the same report twice, which must give the same bytes.
  static func checkOutputs(of inputs: [LoadedInput], problems: [SnapshotError]) throws(InvariantViolation) {
    let copies = inputs.map { input in
      var copy = input
      copy.name = "copy.json"
      return copy
    }
    guard try render(inputs + copies, problems: problems) == render(copies + inputs, problems: problems) else {
      throw InvariantViolation("the outputs depend on the order of the inputs")
    }
    let outputs = try render(inputs, problems: problems)
    for format in OutputFormat.allCases {
      try checkNoRawControlCharacter(in: outputs[format.fileName] ?? [], of: format.fileName)
    }
    do {
      _ = try JSONValue(parsing: outputs[OutputFormat.json.fileName] ?? [])
    } catch {
      throw InvariantViolation("report.json does not read as JSON: \(error)")
    }
  }

  private static let builtInTemplates = Result { () throws(TemplateSetError) in try TemplateSet() }

  /// Every output of the report of `inputs` with `problems` under the standard policy, by file name.
  static func render(
    _ inputs: [LoadedInput], problems: [SnapshotError]
  ) throws(InvariantViolation) -> [String: [UInt8]] {
    do {
      let report = Report(inputs: inputs, policy: .standard, inputProblems: problems)
      return try ReportJob.render(report, with: builtInTemplates.get())
    } catch {
      throw InvariantViolation("what loaded does not render: \(error)")
    }
  }

  /// Fails at the first control character written raw: C0 except tab, LF and CR; DEL; C1 (U+0080–U+009F, which
  /// UTF-8 writes `C2 80`–`C2 9F`, and `C2` only ever begins a character).
  static func checkNoRawControlCharacter(in bytes: [UInt8], of name: String) throws(InvariantViolation) {
    for (offset, byte) in bytes.enumerated() {
      let isRaw =
        switch byte {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F: true
        case 0xC2: offset + 1 < bytes.count && (0x80...0x9F).contains(bytes[offset + 1])
        default: false
        }
      if isRaw { throw InvariantViolation("\(name) has a raw control character at byte \(offset)") }
    }
  }
}

import Dispatch
import TemplateEngine

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The whole pipeline: load snapshots, analyze them, render the chosen reports, write them.
public struct ReportJob: Sendable {
  /// Files, folders or `-`.
  public var inputs: [RawPath]
  /// Where the reports go that have no path of their own; `nil` when every chosen output has one.
  public var outputFolder: RawPath?
  /// The finding maxima.
  public var policy: Policy
  /// *now* and its source, when given by `--now` or `SOURCE_DATE_EPOCH`.
  public var now: (Timestamp, NowSource)?
  /// A folder of `*.mustache` files that replace built-in templates of the same name.
  public var templateFolder: String?
  /// Whether the reports are written from what can be read when an input, a text in one or a run cannot be, with
  /// each problem an error in them; an input that is also an output still stops the job.
  public var keepGoing: Bool
  /// Whether the XML outputs of the built-in templates are checked against their schemas too, as those of
  /// override templates always are.
  public var validate: Bool
  /// What JUnit names its testcases after.
  public var junitIdentity: JUnitIdentity
  /// An earlier `report.json` to compare each template's newest run with (`--baseline`).
  public var baseline: RawPath?
  /// How much each severity's findings may grow since `baseline` (`--max-increase`).
  public var maximumIncreases: [Severity: Int]
  /// Reads standard input for the input `-`.
  public var standardInput: @Sendable () -> [UInt8]
  /// The most bytes `summary.md` may have, at least `smallestSummaryLimit`: past it, the end of its list is left out
  /// (see `SummaryLimit`).
  public var summaryLimit = Self.standardSummaryLimit
  /// GitHub's limit for a step summary, 1 MiB.
  public static let standardSummaryLimit = 1 << 20
  /// The smallest `summaryLimit`: room for the verdict, the totals and a few entries.
  public static let smallestSummaryLimit = 4096
  /// What to do for a GitHub Actions job, when the job is one: annotations and the step summary.
  public var gitHubActions: GitHubActions?
  /// Called once for a folder, before waiting, when another process is writing reports into it.
  public var whileWaitingForOutputFolder: @Sendable (RawPath) -> Void = { _ in }

  // Choosing the outputs (`--format`, `--FORMAT-output`).
  /// The outputs to render and write; each is rendered only when chosen. Default: all five.
  public var formats: Set<OutputFormat> = Set(OutputFormat.allCases)
  /// Paths of outputs written elsewhere than into the output folder under their own names.
  public var outputPaths: [OutputFormat: RawPath] = [:]
  /// The chosen outputs in rendering order.
  private var chosenFormats: [OutputFormat] { OutputFormat.allCases.filter(formats.contains) }

  /// Creates a job.
  public init(
    inputs: [RawPath], outputFolder: RawPath?, policy: Policy = .standard, now: (Timestamp, NowSource)? = nil,
    templateFolder: String? = nil, keepGoing: Bool = false, validate: Bool = false,
    junitIdentity: JUnitIdentity = .run, baseline: RawPath? = nil, maximumIncreases: [Severity: Int] = [:],
    standardInput: @escaping @Sendable () -> [UInt8] = { SnapshotLoader.readStandardInput() }
  ) {
    self.inputs = inputs
    self.outputFolder = outputFolder
    self.policy = policy
    self.now = now
    self.templateFolder = templateFolder
    self.keepGoing = keepGoing
    self.validate = validate
    self.junitIdentity = junitIdentity
    self.baseline = baseline
    self.maximumIncreases = maximumIncreases
    self.standardInput = standardInput
  }

  /// Runs the pipeline. No report changes unless every input loaded (keeping going, unless no input is an output)
  /// and every report rendered.
  /// - Returns: the analysis, which says whether any check failed, and the templates' warnings.
  /// - Throws: `ReportJobError` for unreadable input, a bad template or an unwritable output.
  public func run() throws(ReportJobError) -> ReportJobOutcome {
    let templates: TemplateSet
    do {
      templates = try TemplateSet(overrides: templateFolder)
    } catch {
      throw .template(error)
    }
    // Read before the output folder is touched, so a baseline that is one of the reports (`--baseline
    // report/report.json --output-dir report`) is the previous run's, whatever this run then writes.
    let baseline: Baseline?
    do {
      baseline = try self.baseline.map { path throws(SnapshotError) in try Baseline.read(path) }
    } catch {
      throw .input(InputErrors(errors: [error]))
    }
    let formats = chosenFormats
    let destinations: ReportDestinations
    do {
      destinations = try ReportDestinations(formats: formats, outputFolder: outputFolder, paths: outputPaths)
    } catch {
      throw .output(error)
    }
    // The decoded inputs are freed on another thread once the reports are out: freeing them sooner would take
    // a core from rendering, and a command exits before it would finish anyway.
    let (loaded, problems) = try load(writingTo: destinations.targets)
    let inputs = ReleasedInBackground(loaded)
    let report = Report(
      inputs: inputs.value, policy: policy, now: now, inputProblems: problems, baseline: baseline,
      maximumIncreases: maximumIncreases)
    defer { inputs.release(leaving: []) }
    let staging: StagedReports
    do {
      staging = try destinations.stage(whileWaiting: whileWaitingForOutputFolder)
    } catch {
      throw .output(error)
    }
    let gates = try zip(formats, destinations.paths).map { format, path throws(ReportJobError) in
      try Self.gate(for: format, at: path.description, templates: templates, checkingBuiltIn: validate)
    }
    let sizes = CountedBytes(outputs: formats.count)
    let write: @Sendable (Int, UnsafeBufferPointer<UInt8>) -> Void = { index, bytes in
      staging[index].write(bytes)
      gates[index]?.feed(bytes)
      sizes.add(bytes.count, to: index)
    }
    // summary.md goes through its limit, which writes what it keeps as the other outputs are written.
    let summaryIndex = formats.firstIndex(of: .markdown)
    let summary = summaryIndex.map { index in SummaryLimit(limit: summaryLimit) { bytes in write(index, bytes) } }
    let model = ReportView(report, junitIdentity: junitIdentity, provenance: provenance(templates: templates))
    try Self.render(model, formats: formats, with: templates) { index, bytes in
      if index == summaryIndex, let summary {
        summary.feed(bytes)
      } else {
        write(index, bytes)
      }
    }
    summary?.finish()
    let invalid = gates.compactMap { $0?.finish() }.flatMap { $0 }
    guard invalid.isEmpty else { throw .validation(OutputValidationError(problems: invalid)) }
    do {
      try staging.commit()
    } catch {
      throw .output(error)
    }
    let markdownPath = formats.firstIndex(of: .markdown).map { destinations.paths[$0] }
    var sizeWarnings = zip(formats, zip(sizes.counts, destinations.paths)).compactMap { format, written in
      format.sizeWarning(size: written.0, path: written.1.description)
    }
    if let summaryIndex, let markdownPath, sizes.counts[summaryIndex] > summaryLimit {
      sizeWarnings.append(
        "\(markdownPath) is \(grouped(sizes.counts[summaryIndex])) "
          + "bytes, more than --summary-limit \(grouped(summaryLimit)): its verdict and totals are never left out")
    }
    var outcome = ReportJobOutcome(report: report, templateWarnings: templates.warnings, sizeWarnings: sizeWarnings)
    if let gitHubActions {
      outcome.annotations = GitHubActions.annotations(for: report)
      if let markdownPath, let warning = gitHubActions.appendToStepSummary(from: markdownPath) {
        outcome.stepSummaryWarning = warning
      }
    }
    return outcome
  }

  /// The schema check of `format`'s output, written to `path`, when it is XML and either its template is an
  /// override or `checkingBuiltIn`.
  private static func gate(
    for format: OutputFormat, at path: String, templates: TemplateSet, checkingBuiltIn: Bool
  ) throws(ReportJobError) -> XMLOutputGate? {
    guard format.schemaName != nil, let name = format.templateName, let template = templates.templates[name],
      checkingBuiltIn || templates.overridden.contains(name)
    else { return nil }
    do {
      return try XMLOutputGate(for: format, path: path, templateName: template.name)
    } catch {
      throw .validation(error)
    }
  }

  /// Every input, or every problem with them: a missing file does not hide a broken one. Keeping going, what can
  /// be read and the problems with the rest; only inputs that are outputs still stop the job, since writing the
  /// reports would replace them.
  private func load(writingTo targets: [RawPath]) throws(ReportJobError) -> (
    inputs: [LoadedInput], problems: [SnapshotError]
  ) {
    let (found, problems) = SnapshotLoader.expandAll(inputs)
    let clashes = Self.inputsThatAreOutputs(found, targets: targets)
    let names = found.filter { !clashes.contains($0) }
    let clashErrors = found.filter(clashes.contains).map {
      SnapshotError(
        "\($0) is both an input and an output; write the reports elsewhere", at: SourceLocation(file: $0.description))
    }
    if keepGoing {
      guard clashErrors.isEmpty else { throw .input(InputErrors(errors: problems + clashErrors)) }
      let (loaded, unreadable) = SnapshotLoader.loadKeepingGoing(names, standardInput: standardInput)
      return (loaded, problems + unreadable)
    }
    var errors = problems + clashErrors
    var loaded: [LoadedInput] = []
    do {
      loaded = try SnapshotLoader.load(names, standardInput: standardInput)
    } catch {
      errors += error.errors
    }
    guard errors.isEmpty else { throw .input(InputErrors(errors: errors)) }
    return (loaded, [])
  }

  /// The inputs that are also one of the reports at `targets`, and would be replaced or removed: compared by
  /// the file they are, however they are spelled (`d/./report.json`, a link to it, another name for the folder).
  ///
  /// A target that is a symbolic link counts both as itself, which is what gets replaced, and as the file it
  /// points to, which a reader of the folder would take for the report.
  static func inputsThatAreOutputs(_ names: [RawPath], targets: [RawPath]) -> Set<RawPath> {
    var outputs = Set<FileIdentity>()
    for target in targets {
      for following in [true, false] {
        if let identity = FileIdentity(path: target, following: following) { outputs.insert(identity) }
      }
    }
    guard !outputs.isEmpty else { return [] }
    return Set(names.filter { name in name != "-" && FileIdentity(path: name).map(outputs.contains) == true })
  }

  /// Renders every output of `report` into memory, keyed by file name, each XML output checked against its schema;
  /// for tests and callers that want bytes. Their provenance names the templates and, as the command it records,
  /// `arguments` (none by default).
  /// - Throws: `ReportJobError.template` when a template cannot be rendered, `.validation` when an XML output
  ///   breaks its schema.
  public static func render(
    _ report: Report, with templates: TemplateSet, junitIdentity: JUnitIdentity = .run, arguments: [String] = []
  ) throws(ReportJobError) -> [String: [UInt8]] {
    let formats = OutputFormat.allCases
    let outputs = formats.map { _ in CollectedBytes() }
    let provenance = Provenance(templates: templates, arguments: arguments)
    let model = ReportView(report, junitIdentity: junitIdentity, provenance: provenance)
    try render(model, formats: formats, with: templates) { index, bytes in
      outputs[index].bytes += bytes
    }
    var problems: [String] = []
    for (format, output) in zip(formats, outputs) {
      guard let gate = try gate(for: format, at: format.fileName, templates: templates, checkingBuiltIn: true)
      else { continue }
      // In the pieces the command feeds, since libxml2 2.9 refuses one piece of more than 10 MB ("Huge input
      // lookup").
      output.bytes.withUnsafeBufferPointer { bytes in
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
          gate.feed(UnsafeBufferPointer(rebasing: bytes[start..<min(start + chunkSize, bytes.count)]))
        }
      }
      problems += gate.finish()
    }
    guard problems.isEmpty else { throw .validation(OutputValidationError(problems: problems)) }
    return Dictionary(uniqueKeysWithValues: zip(formats, outputs).map { ($0.fileName, $1.bytes) })
  }

  /// Bytes go out in pieces of this size, so no report is ever held whole.
  private static let chunkSize = 1 << 20

  /// Renders each format of `model` on a thread of its own, handing its bytes to `emit` with the format's index.
  ///
  /// The outputs read the runs side by side, so the whole tree of runs is never held (`TreeOutput.render`).
  private static func render(
    _ model: ReportView, formats: [OutputFormat], with templates: TemplateSet,
    emit: @escaping @Sendable (Int, UnsafeBufferPointer<UInt8>) -> Void
  ) throws(ReportJobError) {
    let outputs: [TreeOutput]
    do {
      outputs = try formats.map { format throws(TemplateSetError) in try templates.output(for: format) }
    } catch {
      throw .template(error)
    }
    do {
      try TreeOutput.render(
        outputs, list: RunRows(model.runs),
        tree: { tree, runs in ReportEncoding.root(of: model, runs: runs, in: &tree) }, chunkSize: chunkSize, emit: emit)
    } catch {
      throw .template(TemplateSetError(message: TerminalText.visible("\(error)")))
    }
  }
}

/// Owns a large structure so that its last reference can be dropped, and the structure freed, on another thread.
///
/// Freeing a tree of a million nodes takes a tenth of a second that nobody needs to wait for.
private final class ReleasedInBackground<Value: Sendable>: @unchecked Sendable {
  // @unchecked: `value` is replaced once, by `release`, after everything reading it has finished.
  private(set) var value: Value

  init(_ value: Value) {
    self.value = value
  }

  /// Replaces the value with `empty` on another thread, which so frees the old one.
  func release(leaving empty: Value) {
    DispatchQueue.global(qos: .utility).async { self.value = empty }
  }
}

/// One output's bytes as they arrive; each is appended to by the one task rendering it.
private final class CollectedBytes: @unchecked Sendable {
  var bytes: [UInt8] = []
}

/// How many bytes each output has; each count is added to by the one task rendering its output.
private final class CountedBytes: @unchecked Sendable {
  private(set) var counts: [Int]

  init(outputs: Int) {
    counts = Array(repeating: 0, count: outputs)
  }

  func add(_ count: Int, to output: Int) {
    counts[output] += count
  }
}

/// What a job that wrote its reports leaves for the command to say.
public struct ReportJobOutcome: Sendable {
  /// The analysis, which says whether any check failed.
  public var report: Report
  /// What in the templates is allowed but probably not meant, such as a name that never resolves.
  public var templateWarnings: [TemplateWarning]
  /// Outputs larger than a consumer accepts, such as a junit.xml over GitLab's 30 MB.
  public var sizeWarnings: [String]
  /// The GitHub Actions workflow commands to print on standard output; empty outside GitHub Actions.
  public var annotations: [String] = []
  /// Why `summary.md` could not be appended to GitHub's step summary; the reports stand all the same.
  public var stepSummaryWarning: String?
}

/// Why a job stopped before writing its reports (or while writing them).
public enum ReportJobError: Error, Sendable, CustomStringConvertible {
  /// Inputs that could not be read or decoded.
  case input(InputErrors)
  /// A template that could not be loaded, parsed or rendered.
  case template(TemplateSetError)
  /// A report that could not be written.
  case output(OutputError)
  /// An XML output that breaks its schema, so that no report was written.
  case validation(OutputValidationError)

  public var description: String {
    switch self {
    case .input(let error): error.description
    case .template(let error): error.description
    case .output(let error): error.description
    case .validation(let error): error.description
    }
  }
}

import ArgumentParser
import InspectorReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `inspector-report`: parses options, runs the library's pipeline, prints, and maps outcomes to exit codes.
@main
struct InspectorReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspector-report",
    abstract: "Turn Amazon Inspector (Classic) assessment-run snapshots into compliance reports.",
    discussion: """
      Reads describe-assessment-runs snapshots and writes report.html, junit.xml, report.xml, report.json and \
      summary.md (or those --format chooses) into the output folder, or each to its own --FORMAT-output path.

      Exit status: 0 every check passed; 1 reports written, some check failed (or, with --keep-going, some input \
      could not be read); 2 bad usage or unreadable input, and then no report file is written or changed.
      """,
    version: "\(ToolView.name) \(ToolView.version)"
  )

  // Upper-case extensions too, since a snapshot may be named in any case (`A.JSON`).
  @Argument(
    help: ArgumentHelp("Snapshot files, folders (read recursively) or - for standard input.", valueName: "INPUT"),
    completion: .file(extensions: ["json", "jsonl", "JSON", "JSONL"]))
  var inputs: [String]

  @Option(
    name: .customLong("output-dir"),
    help: ArgumentHelp(
      "Folder to write the reports into; needed unless every chosen output has a path of its own.", valueName: "DIR"),
    completion: .directory)
  var outputFolder: String?

  // Choosing the outputs.
  @Option(
    name: .customLong("format"),
    help: ArgumentHelp(
      "The outputs to write, comma-separated (repeatable): html, junit, xml, json, markdown. Default: all five.",
      valueName: "LIST"))
  var formatLists: [String] = []

  @Option(
    name: .customLong("html-output"),
    help: ArgumentHelp("Write report.html to PATH, not into the output folder.", valueName: "PATH"), completion: .file()
  )
  var htmlPath: String?

  @Option(
    name: .customLong("junit-output"),
    help: ArgumentHelp("Write junit.xml to PATH, not into the output folder.", valueName: "PATH"), completion: .file())
  var junitPath: String?

  @Option(
    name: .customLong("xml-output"),
    help: ArgumentHelp("Write report.xml to PATH, not into the output folder.", valueName: "PATH"), completion: .file())
  var xmlPath: String?

  @Option(
    name: .customLong("json-output"),
    help: ArgumentHelp("Write report.json to PATH, not into the output folder.", valueName: "PATH"), completion: .file()
  )
  var jsonPath: String?

  @Option(
    name: .customLong("markdown-output"),
    help: ArgumentHelp("Write summary.md to PATH, not into the output folder.", valueName: "PATH"), completion: .file())
  var markdownPath: String?

  @Option(
    help: ArgumentHelp(
      "The instant unfinished runs are measured to (ISO 8601 or epoch seconds). Default: SOURCE_DATE_EPOCH, else the newest timestamp in the inputs.",
      valueName: "TIMESTAMP"))
  var now: String?

  @Option(
    name: .customLong("max"),
    help: ArgumentHelp(
      "Most findings of a severity a run may have (repeatable; N or 'none'; any findingCounts key, e.g. Critical). Default: High=0, the others unlimited.",
      valueName: "SEVERITY=N"))
  var maxima: [String] = []

  @Option(
    name: .customLong("min-runs"),
    help: ArgumentHelp(
      "The fewest assessment runs the inputs must hold; 0 allows a report without runs. Default: the policy file's minimumRuns, else 1.",
      valueName: "N"))
  var minimumRuns: Int?

  @Option(
    name: .customLong("policy"),
    help: ArgumentHelp(
      "A policy file (YAML or JSON) with maxima, --min-runs, per-template overrides and waivers; --max and --min-runs override it.",
      valueName: "FILE"), completion: .file(extensions: ["yml", "yaml", "json"]))
  var policyFile: String?

  @Option(
    name: .customLong("templates"),
    help: ArgumentHelp(
      "Folder of *.mustache files that replace the built-in templates of the same name.", valueName: "DIR"),
    completion: .directory)
  var templateFolder: String?

  @Flag(help: "Exit 0 whenever the reports were written, even if a check failed.")
  var exitZero = false

  @Flag(
    help:
      "Report what can be read when an input, a line of JSON Lines or a run cannot be; each problem is an error in every report and on standard error."
  )
  var keepGoing = false

  @Option(
    name: .customLong("junit-identity"),
    help: ArgumentHelp(
      "What JUnit names testcases after, for CI test history: 'run' (every run) or 'template' (each assessment template's newest run, named after the template). Default: run.",
      valueName: "run|template"))
  var junitIdentity: JUnitIdentity = .run

  @Flag(
    name: .customLong("validate"),
    help:
      "Check junit.xml and report.xml against their schemas before writing, as those of --templates files always are; about three times slower for large reports."
  )
  var validatesBuiltInXML = false

  @Option(
    help: ArgumentHelp(
      "An earlier report.json to compare each assessment template's newest run with, as written by this version.",
      valueName: "PATH"), completion: .file(extensions: ["json"]))
  var baseline: String?

  @Option(
    name: .customLong("max-increase"),
    help: ArgumentHelp(
      "Most a severity's findings may grow since --baseline in a template's newest run (repeatable; N or 'none'). Default: no maximum.",
      valueName: "SEVERITY=N"))
  var maximumIncreases: [String] = []

  @Option(
    name: .customLong("summary-limit"),
    help: ArgumentHelp(
      "The most bytes summary.md may have; past it, the end of its list of runs is left out. Default: 1048576, GitHub's step summary limit.",
      valueName: "BYTES"))
  var summaryLimit = ReportJob.standardSummaryLimit

  func validate() throws {
    guard summaryLimit >= ReportJob.smallestSummaryLimit else {
      throw ValidationError("--summary-limit must be at least \(ReportJob.smallestSummaryLimit) bytes")
    }
    guard minimumRuns.map({ $0 >= 0 }) ?? true else { throw ValidationError("--min-runs must be a whole number ≥ 0") }
  }

  static func main() {
    let arguments = RawArguments()
    let command: InspectorReportCommand
    do {
      command = try parse(arguments.shown)
    } catch {
      // Help and version exit 0; every other parse problem is a usage error, the product's status 2, said in the
      // tool's own `error: …` form rather than ArgumentParser's `Error: …`.
      if exitCode(for: error) == .success { exit(withError: error) }
      printToStandardError("error: \(message(for: error))\nUsage: \(usageString())")
      terminate(2)
    }
    command.execute(arguments)
  }

  /// Runs the job and exits with the product's status.
  func execute(_ arguments: RawArguments) -> Never {
    var job: ReportJob
    do {
      job = try makeJob(environment: ProcessInfo.processInfo.environment, arguments: arguments)
    } catch let error as PolicyFileError {
      // A problem in a file, said at its place as the inputs' problems are, not a usage error.
      printToStandardError(error.description)
      terminate(2)
    } catch {
      printToStandardError("error: \(error)\nUsage: \(Self.usageString())")
      terminate(2)
    }
    job.whileWaitingForOutputFolder = { folder in
      printToStandardError("note: waiting for another inspector-report to finish writing to \(folder)")
    }
    do {
      let outcome = try job.run()
      let report = outcome.report
      for problem in report.inputProblems { printToStandardError(problem.description) }
      for warning in outcome.templateWarnings { printToStandardError("\(warning)") }
      for warning in report.warnings { printToStandardError("\(warning)") }
      for warning in outcome.sizeWarnings { printToStandardError("warning: \(warning)") }
      if let warning = outcome.stepSummaryWarning { printToStandardError("warning: \(warning)") }
      for annotation in outcome.annotations { print(annotation) }
      print(TerminalText.visible(ConsoleSummary.line(for: report, folder: Self.destination(of: job))))
      // Exiting while the analysis is still alive spares freeing it piece by piece; the system takes it back whole.
      terminate(report.hasProblem && !exitZero ? 1 : 0)
    } catch {
      printToStandardError(error.description)
      terminate(2)
    }
  }

  func makeJob(environment: [String: String], arguments: RawArguments) throws -> ReportJob {
    // An empty name would otherwise mean the current folder to some calls and nothing to others.
    guard outputFolder?.isEmpty != true else { throw OptionError(message: "--output-dir: the folder name is empty") }
    var policy = try policyFile.map { try Policy.read(file: arguments.path($0)) } ?? .standard
    if let minimumRuns { policy.minimumRuns = minimumRuns }
    for setting in maxima { try policy.apply(setting) }
    var increases: [Severity: Int] = [:]
    for setting in maximumIncreases { try BaselineComparison.apply(setting, to: &increases) }
    guard baseline != nil || maximumIncreases.isEmpty else {
      throw OptionError(message: "--max-increase: there is no --baseline to compare with")
    }
    var job = ReportJob(
      inputs: inputs.map(arguments.path), outputFolder: outputFolder.map(arguments.path), policy: policy,
      now: try NowOption.resolve(option: now, environment: environment), templateFolder: templateFolder,
      keepGoing: keepGoing, validate: validatesBuiltInXML, junitIdentity: junitIdentity,
      baseline: baseline.map(arguments.path), maximumIncreases: increases)
    job.summaryLimit = summaryLimit
    job.gitHubActions = GitHubActions(environment: environment)
    try chooseOutputs(of: &job, arguments: arguments)
    return job
  }

  /// Applies `--format` and the per-output paths to `job`.
  private func chooseOutputs(of job: inout ReportJob, arguments: RawArguments) throws {
    if !formatLists.isEmpty {
      let names = formatLists.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
      let valid = OutputFormat.allCases.map(\.rawValue).sorted().joined(separator: ", ")
      job.formats = Set(
        try names.map { name in
          guard let format = OutputFormat(rawValue: String(name)) else {
            throw OptionError(message: "--format: unknown output '\(name)'; the outputs are \(valid)")
          }
          return format
        })
    }
    let paths: [(OutputFormat, String?)] = [
      (.html, htmlPath), (.junit, junitPath), (.xml, xmlPath), (.json, jsonPath), (.markdown, markdownPath),
    ]
    for case (let format, let path?) in paths {
      guard !path.isEmpty else { throw OptionError(message: "--\(format)-output: the file name is empty") }
      job.outputPaths[format] = arguments.path(path)
    }
    let homeless = OutputFormat.allCases.filter { job.formats.contains($0) && job.outputPaths[$0] == nil }
    if job.outputFolder == nil, !homeless.isEmpty {
      throw OptionError(
        message: "--output-dir is needed for "
          + homeless.map { "\($0.fileName) (or --\($0)-output)" }.joined(separator: ", "))
    }
  }

  /// Where the reports went, for the line the command prints: the output folder, or the outputs' own paths.
  private static func destination(of job: ReportJob) -> String {
    if let folder = job.outputFolder { return folder.description }
    return OutputFormat.allCases.compactMap { job.formats.contains($0) ? job.outputPaths[$0]?.description : nil }
      .joined(separator: ", ")
  }

}

/// The command's arguments as the system passed them: bytes, which need not be UTF-8.
///
/// ArgumentParser takes Strings, and a String would turn each byte that is not UTF-8 into U+FFFD, which names no
/// file. So it is given each argument as messages show it (`bad\xFF.json`, `RawPath.description`), and the values
/// it hands back are looked up here to get the bytes again. Matching its values to the raw arguments by position
/// instead would have to repeat its rules for which argument is an option's value; the lookup only needs to know
/// that `--option=value` gives `value`. The one ambiguity: an argument that is UTF-8 and spelled like another one's
/// escapes (`bad\xFF.json` typed out beside `bad<FF>.json`) is taken for that other one.
struct RawArguments {
  /// Every argument after the command's name, as messages show it.
  let shown: [String]
  /// The arguments that are not UTF-8, by how they are shown.
  private let pathsByShownName: [String: RawPath]

  /// The arguments of this process.
  init() {
    let paths = (1..<max(Int(CommandLine.argc), 1)).map { index in
      CommandLine.unsafeArgv[index].map { RawPath(bytes: UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
        ?? ""
    }
    shown = paths.map(\.description)
    let values = paths.map { path in
      let bytes = path.bytes
      guard bytes.starts(with: "--".utf8), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return path }
      return RawPath(bytes: bytes[(equals + 1)...])
    }
    pathsByShownName = Dictionary(
      (paths + values).filter { RawPath($0.description) != $0 }.map { ($0.description, $0) },
      uniquingKeysWith: { first, _ in first })
  }

  /// The bytes of the argument ArgumentParser gave as `value`.
  func path(_ value: String) -> RawPath {
    pathsByShownName[value] ?? RawPath(value)
  }
}

extension JUnitIdentity: ExpressibleByArgument {}

/// An option's value that the command refuses before the job starts.
private struct OptionError: Error, CustomStringConvertible {
  var description: String

  init(message: String) {
    description = message
  }
}

/// Writes `text` and a line break to standard error, with the characters a terminal would obey (other than line
/// breaks) shown visibly: messages quote file names, JSON keys and values from the inputs.
private func printToStandardError(_ text: String) {
  var line = TerminalText.visible(text, keepingLineBreaks: true) + "\n"
  line.withUTF8 { bytes in
    var offset = 0
    while offset < bytes.count {
      let written = write(STDERR_FILENO, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return }
      offset += written
    }
  }
}

/// Ends the process with `status`; a function outside the command, where `exit` means ArgumentParser's.
private func terminate(_ status: Int32) -> Never {
  exit(status)
}

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

/// What the tool adds when it runs in a GitHub Actions job: an `::error` annotation per failed check, pointing at
/// the run in its snapshot, and `summary.md` appended to the job's step summary.
///
/// Made from the environment the caller passes, so that nothing deep in the library reads the process's own.
public struct GitHubActions: Sendable {
  /// The most annotations printed: GitHub shows 10 errors a step and 50 a job, and drops the rest unseen.
  public static let annotationLimit = 50

  /// The file `GITHUB_STEP_SUMMARY` names, to which `summary.md` is appended; `nil` when it is not set.
  public var stepSummary: String?

  /// The job's settings when `environment` says it is GitHub Actions (`GITHUB_ACTIONS=true`), else `nil`.
  public init?(environment: [String: String]) {
    guard environment["GITHUB_ACTIONS"] == "true" else { return nil }
    stepSummary = environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The workflow commands to print, one a line: an `::error` for each failed or errored check in report order
  /// (the report's own checks, each run's, then the failed items), at most `annotationLimit`, then a line saying
  /// how many more there are.
  public static func annotations(for report: Report) -> [String] {
    var lines: [String] = []
    var more = 0
    func add(_ make: @autoclosure () -> String) {
      if lines.count < annotationLimit { lines.append(make()) } else { more += 1 }
    }
    for check in report.checks where check.isProblem && check.check != .inputs {
      add(error(at: nil, title: check.name, message: check.message))
    }
    // The `inputs` checks, one per problem, in the same order, pointing at the problem.
    for problem in report.inputProblems {
      add(error(at: problem.location, title: RunCheck.inputs.name, message: problem.pathAndMessage))
    }
    for run in report.runs where run.hasProblem {
      guard lines.count < annotationLimit else {
        more += run.checkCounts.failures + run.checkCounts.errors
        continue
      }
      for check in run.checks where check.isProblem {
        add(error(at: run.run.source, title: "\(check.name): \(run.run.name)", message: check.message))
      }
    }
    for item in report.failedItems {
      add(error(at: item.source, title: "failed-items: \(item.arn)", message: FailedItemView(item).message))
    }
    if more > 0 { lines.append("\(counted(more, "more failed check")) not annotated; see report.html") }
    return lines
  }

  /// `::error file=…,line=…,col=…,title=…::message`, every value escaped so that it stays on its line and in its
  /// place: a name from an input cannot end the command or start another.
  static func error(at location: SourceLocation?, title: String, message: String) -> String {
    var properties: [String] = []
    if let location, !location.file.isEmpty {
      properties.append("file=\(escapedProperty(location.file))")
      if location.line > 0 { properties += ["line=\(location.line)", "col=\(location.column)"] }
    }
    properties.append("title=\(escapedProperty(title))")
    return "::error \(properties.joined(separator: ","))::\(escapedData(message))"
  }

  /// A command's message, escaped as GitHub's toolkit does (`%`, CR, LF), with every control character shown
  /// visibly first (see `TerminalText`), so that none reaches the runner's log raw.
  static func escapedData(_ text: String) -> String {
    var escaped = ""
    for character in TerminalText.visible(text).unicodeScalars {
      switch character {
      case "%": escaped += "%25"
      case "\r": escaped += "%0D"
      case "\n": escaped += "%0A"
      default: escaped.unicodeScalars.append(character)
      }
    }
    return escaped
  }

  /// A command's property value: escaped as its message is, and `:` and `,`, which end a value, too.
  static func escapedProperty(_ text: String) -> String {
    var escaped = ""
    for character in escapedData(text).unicodeScalars {
      switch character {
      case ":": escaped += "%3A"
      case ",": escaped += "%2C"
      default: escaped.unicodeScalars.append(character)
      }
    }
    return escaped
  }

  /// Appends the file at `path` (the `summary.md` just written) to the step summary, never replacing what is there.
  /// - Returns: a warning when the step summary cannot be written; the reports stand all the same.
  func appendToStepSummary(from path: RawPath) -> String? {
    guard let stepSummary else { return nil }
    let source = open(path.cString, O_RDONLY | O_CLOEXEC)
    guard source >= 0 else { return "GITHUB_STEP_SUMMARY: cannot read \(path): \(String(cString: strerror(errno)))" }
    defer { close(source) }
    let target = open(stepSummary, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard target >= 0 else {
      return "GITHUB_STEP_SUMMARY: cannot append to \(stepSummary): \(String(cString: strerror(errno)))"
    }
    defer { close(target) }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      var offset = 0
      while offset < count {
        let written = buffer.withUnsafeBytes { write(target, $0.baseAddress.map { $0 + offset }, count - offset) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else {
          return "GITHUB_STEP_SUMMARY: cannot append to \(stepSummary): \(String(cString: strerror(errno)))"
        }
        offset += written
      }
    }
    return nil
  }
}

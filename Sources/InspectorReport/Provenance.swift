import Crypto

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where a report came from beyond its inputs, which it lists with their SHA-256, and *now*, which it states with
/// its source: the command that makes the same report again, and the templates it was rendered with.
///
/// An auditor checks a report by running `command` on files with the recorded hashes and comparing bytes.
public struct Provenance: Sendable, Hashable {
  /// The environment the command read, as `NAME=value`: `SOURCE_DATE_EPOCH` when *now* came from it.
  public var environment: [String]
  /// The command's arguments that decide what the reports say: the inputs as given, sorted, then each option in
  /// effect that is not its default, in a fixed order and form. Where the reports go is left out, so that the
  /// same command into another folder gives the same bytes.
  public var arguments: [String]
  /// The files the reports were rendered with, by name: each template, built-in or from `--templates`, and each
  /// XML schema.
  public var templateFiles: [TemplateFile]
  /// The SHA-256 of the template set: of the listing `sha256sum` prints for `templateFiles`, in their order.
  public var templateSetSHA256: String

  /// The command as a shell line: the environment, the tool's name and the arguments, each quoted where a shell
  /// would read it otherwise.
  public var command: String {
    (environment + [ToolView.name] + arguments.map(shellQuoted)).joined(separator: " ")
  }
}

extension Provenance {
  /// The provenance of reports rendered with `templates` by the command that `environment` and `arguments` are
  /// of; without them, of a library caller's.
  init(templates: TemplateSet, environment: [String] = [], arguments: [String] = []) {
    self.init(
      environment: environment, arguments: arguments, templateFiles: templates.files,
      templateSetSHA256: templates.sha256)
  }
}

/// One file of a template set.
public struct TemplateFile: Sendable, Hashable {
  /// Its file name, such as `report.html.mustache` or `junit.xsd`.
  public var name: String
  /// The folder it was read from (`--templates`), or `nil` for a built-in one.
  public var folder: String?
  /// The SHA-256 of its bytes.
  public var sha256: String

  /// `sha256sum`'s line for the file: its digest, two spaces and its name.
  var listingLine: String { "\(sha256)  \(name)\n" }
}

/// The SHA-256 of `bytes`, in lowercase hex as `sha256sum` prints it.
func sha256(of bytes: some DataProtocol) -> String {
  let hexDigits = Array("0123456789abcdef".utf8)
  var text: [UInt8] = []
  text.reserveCapacity(64)
  for byte in SHA256.hash(data: bytes) {
    text.append(hexDigits[Int(byte >> 4)])
    text.append(hexDigits[Int(byte & 0xF)])
  }
  return String(decoding: text, as: UTF8.self)
}

/// `argument` as a POSIX shell reads it back: as it is when it holds only characters no shell treats specially,
/// else in single quotes.
private func shellQuoted(_ argument: String) -> String {
  let plain =
    !argument.isEmpty
    && argument.utf8.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
      default: "-_./=:,+@%".utf8.contains(byte)
      }
    }
  return plain ? argument : "'" + argument.replacing("'", with: #"'\''"#) + "'"
}

extension ReportJob {
  /// What the reports record of how they were made, rendered with `templates`.
  func provenance(templates: TemplateSet) -> Provenance {
    Provenance(templates: templates, environment: recordedEnvironment, arguments: recordedArguments)
  }

  /// `SOURCE_DATE_EPOCH`, when *now* came from it: in whole seconds as the variable is usually set, else in a form
  /// it also takes that keeps the microseconds.
  private var recordedEnvironment: [String] {
    guard let (instant, source) = now, source == .environment else { return [] }
    let (seconds, fraction) = instant.microseconds.quotientAndRemainder(dividingBy: 1_000_000)
    return ["SOURCE_DATE_EPOCH=\(fraction == 0 ? String(seconds) : instant.description)"]
  }

  /// The inputs as given, sorted, so that their order, which changes nothing, changes no byte either; then every
  /// option that is not its default, as the policy and the other settings hold it rather than as it was spelt.
  private var recordedArguments: [String] {
    var arguments = inputs.sorted().map(\.description)
    if let (instant, source) = now, source == .option { arguments += ["--now", instant.description] }
    if let source = policy.source { arguments += ["--policy", source] }
    for setting in policy.settings { arguments += ["--max", setting] }
    // A policy file may require another number of runs than the default: stated whenever there is one.
    if policy.minimumRuns != Policy.standard.minimumRuns || policy.source != nil {
      arguments += ["--min-runs", String(policy.minimumRuns)]
    }
    if let templateFolder { arguments += ["--templates", templateFolder] }
    if junitIdentity != .run { arguments += ["--junit-identity", junitIdentity.rawValue] }
    if keepGoing { arguments.append("--keep-going") }
    if validate { arguments.append("--validate") }
    if summaryLimit != Self.standardSummaryLimit { arguments += ["--summary-limit", String(summaryLimit)] }
    if let baseline { arguments += ["--baseline", baseline.description] }
    for (severity, limit) in maximumIncreases.sorted(by: { $0.key.precedes($1.key) }) {
      arguments += ["--max-increase", "\(severity.name)=\(limit)"]
    }
    return arguments
  }
}

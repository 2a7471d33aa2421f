import TemplateEngine

/// The reports the tool writes, each with its file name and how it is rendered; the job writes every case.
///
/// The cases are in rendering order, the longest first: the outputs render side by side, each on a thread of
/// its own, and report.json takes as long as the rest together.
public enum OutputFormat: String, Sendable, CaseIterable {
  case json, xml, junit, html, markdown

  /// The file written into the output folder.
  public var fileName: String {
    switch self {
    case .html: "report.html"
    case .junit: "junit.xml"
    case .xml: "report.xml"
    case .json: "report.json"
    case .markdown: "summary.md"
    }
  }

  /// The template that renders it, named by file name without `.mustache`; `nil` for the JSON encoding.
  public var templateName: String? {
    self == .json ? nil : fileName
  }

  /// The escaping a template gets unless it declares its own with `{{% CONTENT_TYPE: … }}`.
  var defaultEscaping: Escaping {
    switch self {
    case .html: .html
    case .junit, .xml: .xml
    case .markdown: .markdown
    case .json: .text
    }
  }

  /// GitLab refuses a JUnit report over 30 MB (JUNIT.md), about 14,000 runs at 2.1 KB a run.
  static let gitLabJUnitLimit = 30_000_000

  /// A warning when an output of `size` bytes, written to `path`, is larger than a consumer accepts.
  func sizeWarning(size: Int, path: String) -> String? {
    guard self == .junit, size > Self.gitLabJUnitLimit else { return nil }
    let megabytes = (Double(size) / 1_000_000 * 10).rounded(.down) / 10
    return "\(path) is \(megabytes) MB, more than the 30 MB GitLab accepts in one JUnit report; "
      + "GitLab will not show its tests (other consumers will)"
  }
}

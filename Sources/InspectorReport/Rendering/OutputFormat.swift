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
}

import TemplateEngine

/// The reports the tool writes, each with its file name and how it is rendered.
public enum OutputFormat: String, Sendable, CaseIterable {
  case html, junit, xml, json, markdown

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

/// Turns the report context into one output's bytes, handed over in pieces so no output need be held whole.
protocol ReportRenderer: Sendable {
  /// Renders `context`, calling `emit` with about `chunkSize` bytes at a time, which it must use before
  /// returning.
  /// - Throws: `TemplateError` when a template cannot be rendered.
  func render(_ context: ValueTree, chunkSize: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void) throws
}

/// Renders a Mustache template, with every template of its set available as a partial.
struct TemplateRenderer: ReportRenderer {
  let template: Template
  let partials: [String: Template]

  func render(_ context: ValueTree, chunkSize: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void) throws {
    try template.render(context, partials: partials, chunkSize: chunkSize, emit: emit)
  }
}

/// Encodes the context itself as `report.json`.
struct JSONReportRenderer: ReportRenderer {
  func render(_ context: ValueTree, chunkSize: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void) throws {
    // Each run is one line: a diff of two reports shows the runs that changed, and the file is a third
    // smaller than fully indented.
    context.encodeJSON(compactDepth: 2, chunkSize: chunkSize, emit: emit)
  }
}

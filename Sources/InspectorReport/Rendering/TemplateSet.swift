import TemplateEngine

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The templates a report is rendered with: the built-in ones, each replaceable by a file of the same name.
public struct TemplateSet: Sendable {
  /// Every template by name; all of them are partials of each other.
  public let templates: [String: Template]
  /// The names in the override templates that never resolve against the report model, such as a misspelt
  /// `{{totals.rnus}}`, which would otherwise render as nothing; none without overrides (the built-in templates
  /// have none, as a test shows).
  public let warnings: [TemplateWarning]
  /// The names of the templates that a file of the override folder replaces or adds.
  public let overridden: Set<String>
  /// Every file the reports are rendered with, by name: the templates as used, and the XML schemas.
  public let files: [TemplateFile]
  /// The SHA-256 of the set: of the listing `sha256sum` prints for `files`, in their order.
  public let sha256: String

  /// The built-in templates, overridden by the `*.mustache` files in `overrides` when given.
  /// - Throws: `TemplateSetError` for an unreadable override folder or a template that does not parse.
  public init(overrides folder: String? = nil) throws(TemplateSetError) {
    // A built-in template has no folder: the override folder may well be called templates/ too.
    var sources = EmbeddedTemplates.sources.mapValues {
      (text: $0, folder: String?.none, sha256: InspectorReport.sha256(of: Array($0.utf8)))
    }
    if let folder {
      let names: [String]
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: folder)
      } catch {
        throw TemplateSetError(message: "\(folder): error: cannot read the templates folder")
      }
      let suffix = ".mustache"
      for name in names where name.hasSuffix(suffix) && name.count > suffix.count {
        let path = path(name, in: folder)
        guard let data = FileManager.default.contents(atPath: path) else {
          throw TemplateSetError(message: "\(path): error: cannot read the template")
        }
        // The digest is of the bytes, as `sha256sum` reads the file, not of the text they decode to.
        sources[String(name.dropLast(suffix.count))] = (
          String(decoding: data, as: UTF8.self), folder, InspectorReport.sha256(of: data)
        )
      }
    }
    var templates: [String: Template] = [:]
    for (name, source) in sources {
      let escaping = OutputFormat.allCases.first { $0.templateName == name }?.defaultEscaping ?? .text
      do {
        templates[name] = try Template(
          source: source.text, name: (source.folder ?? "templates") + "/" + name + ".mustache",
          defaultEscaping: escaping)
      } catch {
        // One line: the name and the quoted tag come from the template folder.
        throw TemplateSetError(message: TerminalText.visible(error.description))
      }
    }
    if let folder { try Self.checkEveryOverrideIsUsed(in: folder, templates: templates) }
    self.templates = templates
    overridden = Set(sources.filter { $0.value.folder != nil }.keys)
    let templateFiles = sources.map { name, source in
      TemplateFile(name: name + ".mustache", folder: source.folder, sha256: source.sha256)
    }
    let schemaFiles = EmbeddedTemplates.schemas.map { name, text in
      TemplateFile(name: name, folder: nil, sha256: InspectorReport.sha256(of: Array(text.utf8)))
    }
    files = (templateFiles + schemaFiles).sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    sha256 = InspectorReport.sha256(of: Array(files.map(\.listingLine).joined().utf8))
    warnings = folder == nil ? [] : ReportShape.warnings(for: templates)
  }

  /// Fails for a file in `folder` that replaces no built-in template and that no template includes: a misspelt
  /// name such as `sumary.md.mustache` would otherwise be ignored without a word.
  private static func checkEveryOverrideIsUsed(
    in folder: String, templates: [String: Template]
  ) throws(TemplateSetError) {
    let builtIn = EmbeddedTemplates.sources.keys.sorted()
    let included = templates.values.reduce(into: Set<String>()) { $0.formUnion($1.includedNames) }
    let unused = templates.keys.filter { !builtIn.contains($0) && !included.contains($0) }.sorted()
    guard !unused.isEmpty else { return }
    let messages = unused.map { name in
      TerminalText.visible(
        "\(path(name + ".mustache", in: folder)): error: replaces no template and no template includes it "
          + "(the templates are \(builtIn.joined(separator: ", ")))")
    }
    throw TemplateSetError(message: messages.joined(separator: "\n"))
  }

  /// How `format` is rendered from the report context: its template, with every template of the set as a
  /// partial, or the context itself encoded.
  func output(for format: OutputFormat) throws(TemplateSetError) -> TreeOutput {
    // Each run is one line: a diff of two reports shows the runs that changed, and the file is a third smaller
    // than fully indented.
    guard let name = format.templateName else { return .json(compactDepth: 2) }
    guard let template = templates[name] else {
      throw TemplateSetError(message: "error: no template named '\(name).mustache'")
    }
    return .template(template, partials: templates)
  }
}

/// A template that cannot be loaded or parsed; the message is a whole diagnostic, `TEMPLATE:line:col: error:
/// message` where line and column are known.
public struct TemplateSetError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The message.
  public var message: String

  public var description: String { message }
}

import XMLValidation

extension OutputFormat {
  /// The XML Schema in `templates/` the output must be valid against; `nil` for the outputs that are not XML.
  var schemaName: String? {
    switch self {
    case .junit: "junit.xsd"
    case .xml: "report.xsd"
    case .html, .json, .markdown: nil
    }
  }
}

/// Checks an XML output against its schema while it is rendered, fed the same pieces the file is written from, so
/// that no document is held whole: a report that breaks its schema is never committed.
///
/// Every output rendered from a `--templates` file is checked, and with `--validate` the built-in ones too (the
/// README gives the cost). Besides the schema, a JUnit suite's counts must equal its testcases' outcomes, which
/// XML Schema 1.0 cannot say.
final class XMLOutputGate: @unchecked Sendable {
  // @unchecked: one rendering task feeds it, and `finish` runs after that task is done.
  private let validator: XMLStreamValidator
  private let templateName: String

  /// A gate for `format`'s output, written to `path` from the template named `templateName`.
  /// - Throws: `OutputValidationError` when the built-in schema does not compile, which a test rules out.
  init(for format: OutputFormat, path: String, templateName: String) throws(OutputValidationError) {
    guard let schemaName = format.schemaName else {
      preconditionFailure("\(format.fileName) is not an XML output")
    }
    let schema = try Self.schema(named: schemaName)
    validator = XMLStreamValidator(
      schema: schema, name: path, observer: format == .junit ? JUnitSuiteCounts() : nil)
    self.templateName = templateName
  }

  /// Checks the next piece of the output.
  func feed(_ piece: UnsafeBufferPointer<UInt8>) {
    validator.feed(UnsafeRawBufferPointer(piece))
  }

  /// What is wrong with the whole output, each problem naming the template it was rendered from.
  func finish() -> [String] {
    validator.finish().map { "\($0) (rendered from \(templateName))" }
  }

  /// The built-in schemas, compiled on first use, once per process.
  private static let schemas = Dictionary(
    uniqueKeysWithValues: EmbeddedTemplates.schemas.map { name, source in
      (name, Result { () throws(XMLValidationError) in try XMLSchema(source: source, name: "templates/\(name)") })
    })

  private static func schema(named name: String) throws(OutputValidationError) -> XMLSchema {
    switch schemas[name] {
    case .success(let schema):
      return schema
    case .failure(let error):
      throw OutputValidationError(problems: [error.localizedDescription])
    case nil:
      throw OutputValidationError(problems: ["templates/\(name): error: no such built-in schema"])
    }
  }
}

/// Checks that each JUnit suite's `tests`, `failures`, `errors` and `skipped` equal the counts of its testcases and
/// their outcomes: consumers such as EnricoMi's take their totals from these attributes, not from the testcases.
struct JUnitSuiteCounts: XMLElementObserver {
  private static let counted = ["tests", "failures", "errors", "skipped"]
  /// The open suite's attributes as written, and its children as counted so far.
  private var written: [String: String] = [:]
  private var found: [String: Int] = [:]

  mutating func elementStarted(_ name: String, attributes: [XMLAttribute]) -> String? {
    switch name {
    case "testsuite":
      written = Dictionary(attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
      found = [:]
    case "testcase": found["tests", default: 0] += 1
    case "failure": found["failures", default: 0] += 1
    case "error": found["errors", default: 0] += 1
    case "skipped": found["skipped", default: 0] += 1
    default: break
    }
    return nil
  }

  mutating func elementEnded(_ name: String) -> String? {
    guard name == "testsuite" else { return nil }
    let wrong = Self.counted.filter { written[$0] != String(found[$0, default: 0]) }
    guard !wrong.isEmpty else { return nil }
    let details = wrong.map { "\($0)=\"\(written[$0] ?? "")\" but \(found[$0, default: 0]) found" }
    return "the suite's counts do not match its testcases: \(details.joined(separator: ", "))"
  }
}

/// XML outputs that are not valid against their schemas; nothing was written.
public struct OutputValidationError: Error, Sendable, CustomStringConvertible {
  /// One line per problem: `OUTPUT:line:col: error: MESSAGE (rendered from TEMPLATE)`.
  public var problems: [String]

  public var description: String { problems.joined(separator: "\n") }
}

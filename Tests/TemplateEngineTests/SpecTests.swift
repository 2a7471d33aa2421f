import Foundation
import SharedFolder
import Testing

@testable import TemplateEngine

/// One test vector from the official Mustache spec.
struct SpecVector: Sendable, CustomTestStringConvertible {
  let file: String
  let name: String
  let data: TemplateValue
  let template: String
  let partials: [String: String]
  let expected: String

  var testDescription: String { "\(file): \(name)" }

  /// The spec files this engine implements; lambdas are not supported.
  static let files = [
    "comments", "delimiters", "interpolation", "inverted", "partials", "sections", "~inheritance",
  ]

  /// The official spec's JSON files, read from the shared folder: they are third-party, and the repository does
  /// not carry them.
  static let directory = Shared.file("mustache-spec")

  /// Every vector of every supported file. Only called where the shared folder is there; then a file that is
  /// missing or not the spec's shape is an error, not fewer vectors.
  static func all() throws -> [SpecVector] {
    try files.flatMap(load)
  }

  static func load(_ file: String) throws -> [SpecVector] {
    let url = directory.appendingPathComponent("\(file).json")
    let root: Any
    do {
      root = try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    } catch {
      throw SpecFileError(file: url.path, message: "not readable as JSON: \(error.localizedDescription)")
    }
    guard let tests = (root as? [String: Any])?["tests"] as? [[String: Any]], !tests.isEmpty else {
      throw SpecFileError(file: url.path, message: "no 'tests' list of objects")
    }
    var seen: [String: Int] = [:]
    return try tests.enumerated().map { index, test in
      guard let name = test["name"] as? String, let data = test["data"], let template = test["template"] as? String,
        let expected = test["expected"] as? String,
        let partials = test["partials", default: [String: String]()] as? [String: String]
      else {
        throw SpecFileError(file: url.path, message: "tests[\(index)] lacks a name, data, template or expected text")
      }
      // The spec repeats a few names; a suffix keeps every case's description distinct.
      seen[name, default: 0] += 1
      return SpecVector(
        file: file,
        name: seen[name] == 1 ? name : "\(name) (\(seen[name] ?? 0))",
        data: templateValue(data),
        template: template,
        partials: partials,
        expected: expected
      )
    }
  }

  /// Converts JSONSerialization output; booleans and numbers both arrive as NSNumber.
  static func templateValue(_ json: Any) -> TemplateValue {
    switch json {
    case let text as String:
      return .string(text)
    case let number as NSNumber:
      switch String(cString: number.objCType) {
      case "c", "B": return .bool(number.boolValue)
      case "d", "f": return .double(number.doubleValue)
      default: return .int(number.intValue)
      }
    case let list as [Any]:
      return .list(list.map(templateValue))
    case let object as [String: Any]:
      return .object(TemplateObject(object.mapValues(templateValue)))
    default:
      return .null
    }
  }
}

/// A spec file that is missing, not JSON or not in the shape the spec publishes.
struct SpecFileError: Error, CustomStringConvertible {
  let file: String
  let message: String

  var description: String { "\(file): \(message)" }
}

@Suite(
  "Mustache spec",
  .enabled(
    if: Shared.isPresent,
    "needs ../shared/mustache-spec: the official Mustache spec vectors (third-party, not in the repository)")
)
struct SpecTests {
  @Test("spec vector", arguments: try SpecVector.all())
  func vector(_ vector: SpecVector) throws {
    var partials: [String: Template] = [:]
    for (name, source) in vector.partials {
      partials[name] = try Template(source: source, name: name)
    }
    let template = try Template(source: vector.template, name: vector.name)
    let rendered = try template.render(vector.data, partials: partials)
    #expect(rendered == vector.expected, "template: \(vector.template.debugDescription)")
  }

  @Test func specFilesAreAllPresent() throws {
    #expect(try SpecVector.all().count > 150)
  }
}

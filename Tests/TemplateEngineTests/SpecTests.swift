import Foundation
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

  /// `../shared/mustache-spec` next to the package root (the folder holding Package.swift).
  static var directory: URL {
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while folder.path != "/" {
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
        return folder.deletingLastPathComponent().appendingPathComponent("shared/mustache-spec")
      }
      folder.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: "../shared/mustache-spec")
  }

  /// Every vector of every supported file; files that cannot be read contribute nothing,
  /// which `specFilesAreAllPresent` reports.
  static let all: [SpecVector] = files.flatMap { file in (try? load(file)) ?? [] }

  static func load(_ file: String) throws -> [SpecVector] {
    let url = directory.appendingPathComponent("\(file).json")
    let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    let tests = (root as? [String: Any])?["tests"] as? [[String: Any]] ?? []
    var seen: [String: Int] = [:]
    return tests.map { test in
      // The spec repeats a few names; a suffix keeps every case's description distinct.
      let name = test["name"] as? String ?? "?"
      seen[name, default: 0] += 1
      return SpecVector(
        file: file,
        name: seen[name] == 1 ? name : "\(name) (\(seen[name] ?? 0))",
        data: templateValue(test["data"] ?? NSNull()),
        template: test["template"] as? String ?? "",
        partials: test["partials"] as? [String: String] ?? [:],
        expected: test["expected"] as? String ?? ""
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

@Suite("Mustache spec")
struct SpecTests {
  @Test("spec vector", arguments: SpecVector.all)
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
    for file in SpecVector.files {
      let vectors = try SpecVector.load(file)
      #expect(!vectors.isEmpty, "no vectors in \(file).json")
    }
    #expect(SpecVector.all.count > 150)
  }
}

import Foundation
import Testing

@testable import InspectorReport
@testable import TemplateEngine

/// Names in templates checked against the report model's shape, which is read off `ReportEncoding`.
@Suite struct TemplateNameTests {
  /// The warnings for `source` as the summary template, named as an override in folder `x` would be.
  private func warnings(_ source: String) throws -> [String] {
    let template = try Template(source: source, name: "x/summary.md.mustache")
    return ReportShape.warnings(for: ["summary.md": template]).map(\.description)
  }

  /// Every place in `shape` where any name would resolve because nothing was seen there, by path.
  private func unknownPlaces(in shape: ValueShape, at path: String = "") -> [String] {
    switch shape {
    case .scalar: []
    case .unknown, .list(nil), .map(nil): [path]
    case .list(let elements?): unknownPlaces(in: elements, at: path + "[]")
    case .map(let values?): unknownPlaces(in: values, at: path + ".*")
    case .object(let keys): keys.sorted { $0.key < $1.key }.flatMap { unknownPlaces(in: $1, at: path + "." + $0) }
    }
  }

  /// Fails when a template and the model drift apart: a field renamed in `ReportEncoding` but not in a template.
  @Test func theBuiltInTemplatesHaveNoNameThatNeverResolves() throws {
    let templates = try TemplateSet().templates
    #expect(templates.count == OutputFormat.allCases.compactMap(\.templateName).count)
    #expect(ReportShape.warnings(for: templates).map(\.description) == [])
  }

  /// Otherwise a list or map the representative report leaves empty would let any name through unchecked. The
  /// report's own checks never have details (the runs' checks, encoded alike, do), so any name passes there.
  @Test func theModelShapeHasSeenInsideEveryListAndMap() {
    #expect(unknownPlaces(in: ReportShape.model) == [".checks[].details"])
  }

  @Test func aMisspeltNameWarnsAtItsTag() throws {
    #expect(
      try warnings("{{verdict}}\n  runs: {{totals.rnus}}\n")
        == ["x/summary.md.mustache:2:9: warning: 'totals.rnus' never resolves against the report model"])
  }

  @Test func aRunFieldInsideARunSectionResolves() throws {
    #expect(
      try warnings("{{#runs}}{{arn}} {{elapsedText}} {{junit.classname}}{{#checks}}{{name}}{{/checks}}{{/runs}}") == [])
    #expect(
      try warnings("{{#runs}}{{arm}}{{/runs}}")
        == ["x/summary.md.mustache:1:10: warning: 'arm' never resolves against the report model"])
  }

  @Test func aRootNameInsideARunSectionResolvesThroughTheContextStack() throws {
    #expect(try warnings("{{#runs}}{{verdict}} {{tool.version}} {{totals.runs}}{{/runs}}") == [])
  }

  @Test func namesUnderMapsWhoseKeysComeFromTheInputResolve() throws {
    #expect(
      try warnings(
        "{{totals.findings.Critical}}{{policy.maxima.Critical}}{{#runs}}{{findings.Critical}}"
          + "{{stateSeconds.SOMETHING_NEW}}{{notifications.byEvent.X}}{{/runs}}") == [])
    #expect(
      try warnings("{{totals.findings.High.x}}")
        == ["x/summary.md.mustache:1:1: warning: 'totals.findings.High.x' never resolves against the report model"])
  }

  @Test func overridesAreCheckedAndNamedByTheirPath() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("{{#runs}}{{> row}}{{/runs}}".utf8).write(to: folder.appending(path: "summary.md.mustache"))
    try Data("{{name}}\n{{nmae}}".utf8).write(to: folder.appending(path: "row.mustache"))
    #expect(
      try TemplateSet(overrides: folder.path).warnings.map(\.description)
        == ["\(folder.path)/row.mustache:2:1: warning: 'nmae' never resolves against the report model"])
    #expect(try TemplateSet().warnings == [])
  }
}

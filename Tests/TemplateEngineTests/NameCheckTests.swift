import Testing

@testable import TemplateEngine

/// The names a template looks up, and which of them can never resolve against a shape.
@Suite("Name checks")
struct NameCheckTests {
  /// A root with a scalar, an object, a list of objects and a map whose keys come from the data.
  static let shape = ValueShape.object([
    "title": .scalar,
    "totals": .object(["runs": .scalar]),
    "runs": .list(.object(["name": .scalar, "findings": .map(.scalar), "checks": .list(.object(["name": .scalar]))])),
    "findings": .map(.scalar),
    "empty": .list(nil),
  ])

  /// The names in `source` (with `partials`) that never resolve against `shape`, as `line:col name`.
  private func unresolved(_ source: String, partials: [String: String] = [:]) throws -> [String] {
    var templates = ["t": try Template(source: source, name: "t")]
    for (name, text) in partials { templates[name] = try Template(source: text, name: name) }
    return Template.namesThatNeverResolve(in: templates, roots: ["t"], against: Self.shape, model: "the model")
      .map { "\($0.name):\($0.line):\($0.column) \($0.message)" }
  }

  @Test func everyLookupHasItsPositionAndTheSectionsAroundIt() throws {
    let template = try Template(
      source: "{{a}}\n  {{#b}}{{^c}}{{{d.e}}}{{/c}}{{$blk}}{{> p}}{{/blk}}{{/b}}{{! x }}{{<q}}{{$z}}{{y}}{{/z}}{{/q}}",
      name: "t")
    let lookups = template.nameLookups.map { "\($0.kind) \($0.name) \($0.line):\($0.column) \($0.sections)" }
    #expect(
      lookups == [
        "variable a 1:1 []", "section b 2:3 []", "invertedSection c 2:9 [\"b\"]", "variable d.e 2:15 [\"b\"]",
        "partial p 2:38 [\"b\"]", "partial q 2:67 []",
      ])
  }

  @Test func aMisspeltNameWarnsAtItsTag() throws {
    #expect(
      try unresolved("{{title}}\n  x {{totals.rnus}}") == ["t:2:5 'totals.rnus' never resolves against the model"])
    #expect(try unresolved("{{titel}}") == ["t:1:1 'titel' never resolves against the model"])
  }

  @Test func namesInsideAListSectionResolveAgainstItsElementsThenOutward() throws {
    #expect(try unresolved("{{#runs}}{{name}}{{title}}{{totals.runs}}{{.}}{{/runs}}").isEmpty)
    #expect(try unresolved("{{#runs}}{{#checks}}{{name}}{{title}}{{findings.x}}{{/checks}}{{/runs}}").isEmpty)
    #expect(try unresolved("{{name}}") == ["t:1:1 'name' never resolves against the model"])
    #expect(try unresolved("{{#runs}}{{nmae}}{{/runs}}") == ["t:1:10 'nmae' never resolves against the model"])
  }

  @Test func aDottedNameStopsAtTheFirstContextThatHasItsFirstKey() throws {
    // Inside a run, `findings` is the run's map, which has any key; `totals.runs` is the root's.
    #expect(try unresolved("{{#runs}}{{findings.Critical}}{{totals.runs}}{{/runs}}").isEmpty)
    // `name` is the run's, a scalar: `name.x` does not go on to look for another `name`.
    #expect(try unresolved("{{#runs}}{{name.x}}{{/runs}}") == ["t:1:10 'name.x' never resolves against the model"])
  }

  @Test func aMapWhoseKeysComeFromTheDataTakesAnyKeyButNotBeneathItsValues() throws {
    #expect(try unresolved("{{findings.Critical}}{{#findings}}{{Anything}}{{/findings}}").isEmpty)
    #expect(try unresolved("{{findings.High.x}}") == ["t:1:1 'findings.High.x' never resolves against the model"])
  }

  @Test func invertedSectionsPushNoContext() throws {
    #expect(try unresolved("{{^runs}}{{title}}{{/runs}}").isEmpty)
    #expect(try unresolved("{{^runs}}{{name}}{{/runs}}") == ["t:1:10 'name' never resolves against the model"])
  }

  @Test func namesUnderASectionThatNeverResolvesOrAnUnseenListDoNotWarnAgain() throws {
    #expect(try unresolved("{{#nope}}{{whatever}}{{/nope}}") == ["t:1:1 'nope' never resolves against the model"])
    #expect(try unresolved("{{#empty}}{{whatever}}{{/empty}}").isEmpty)
  }

  @Test func partialsAreCheckedWhereTheyAreIncluded() throws {
    #expect(try unresolved("{{#runs}}{{> row}}{{/runs}}", partials: ["row": "{{name}}{{title}}"]).isEmpty)
    #expect(
      try unresolved("{{> row}}{{#runs}}{{> row}}{{/runs}}", partials: ["row": "{{name}}\n{{nmae}}"])
        == ["row:2:1 'nmae' never resolves against the model"])
    // Not included anywhere: not checked.
    #expect(try unresolved("{{title}}", partials: ["row": "{{nmae}}"]).isEmpty)
    // Including itself: followed only so deep.
    #expect(try unresolved("{{> self}}", partials: ["self": "{{#runs}}{{> self}}{{/runs}}{{title}}"]).isEmpty)
  }
}

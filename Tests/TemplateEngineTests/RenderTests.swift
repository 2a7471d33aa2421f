import Foundation
import Testing

@testable import TemplateEngine

private func render(_ source: String, _ value: TemplateValue, partials: [String: String] = [:]) throws -> String {
  var templates: [String: Template] = [:]
  for (name, partial) in partials {
    templates[name] = try Template(source: partial, name: name)
  }
  return try Template(source: source, name: "t").render(value, partials: templates)
}

@Suite("Rendering")
struct RenderTests {
  @Test(arguments: [
    (TemplateValue.int(0), "0"),
    (.int(-42), "-42"),
    (.int(Int.min), "-9223372036854775808"),
    (.int(Int.max), "9223372036854775807"),
    (.double(131), "131"),
    (.double(-131), "-131"),
    (.double(-0.0), "0"),
    (.double(69.722), "69.722"),
    (.double(0.1), "0.1"),
    (.double(9_007_199_254_740_992), "9007199254740992"),
    (.double(18_014_398_509_481_984), "1.8014398509481984e+16"),
    (.double(1e300), "1e+300"),
    (.double(.infinity), "inf"),
    (.bool(true), "true"),
    (.bool(false), "false"),
    (.null, ""),
    (.list([1, 2]), ""),
    (.object(["a": 1]), ""),
    (.string(""), ""),
  ])
  func interpolation(_ value: TemplateValue, _ expected: String) throws {
    #expect(try render("{{v}}", ["v": value]) == expected)
  }

  /// Lookups are remembered per key and object shape; objects of other shapes, with and without the key, take
  /// turns here, so a remembered answer used for the wrong shape would show.
  @Test func keysAreFoundInEachObjectsOwnShape() throws {
    let items: TemplateValue = [["a": 1], ["b": 2], ["a": 3, "b": 4], ["b": 5], ["a": 6], ["c": 7], ["a": 8, "b": 9]]
    let source = "{{#items}}{{a}}-{{b}};{{/items}}|{{#items}}{{#a}}A{{/a}}{{^b}}!{{/b}}{{/items}}"
    #expect(try render(source, ["items": items, "b": "outer"]) == "1-outer;-2;3-4;-5;6-outer;-outer;8-9;|AAAA")
  }

  @Test func truthiness() throws {
    let source = "{{#v}}yes{{/v}}{{^v}}no{{/v}}"
    let cases: [(TemplateValue, String)] = [
      (.null, "no"), (false, "no"), ([], "no"), (true, "yes"), (0, "yes"), (0.0, "yes"), ("", "yes"),
      ([:], "yes"), (["x"], "yes"),
    ]
    for (value, expected) in cases {
      #expect(try render(source, ["v": value]) == expected, "\(value)")
      #expect(value.isTruthy == (expected == "yes"))
    }
  }

  @Test func sectionPushesScalarsAndObjects() throws {
    #expect(try render("{{#n}}[{{.}}]{{/n}}", ["n": 0]) == "[0]")
    #expect(try render("{{#o}}{{a}}-{{b}}{{/o}}", ["o": ["a": 1], "b": 2]) == "1-2")
  }

  @Test func renderIntoAppendsToTheBuffer() throws {
    var output = Array("head:".utf8)
    try Template(source: "{{v}};", name: "t").render(["v": "x"], into: &output)
    try Template(source: "{{v}};", name: "t").render(["v": "y"], into: &output)
    #expect(String(decoding: output, as: UTF8.self) == "head:x;y;")
  }

  @Test func standaloneLinesInsideIndentedPartialsLeaveNoIndentation() throws {
    let partial = "{{#items}}\n- {{.}}\n{{/items}}\n{{^items}}\nnone\n{{/items}}\n"
    let source = "<ul>\n  {{>list}}\n</ul>\n"
    #expect(try render(source, ["items": ["a", "b"]], partials: ["list": partial]) == "<ul>\n  - a\n  - b\n</ul>\n")
    #expect(try render(source, ["items": []], partials: ["list": partial]) == "<ul>\n  none\n</ul>\n")
  }

  @Test func nestedStandalonePartialsAccumulateIndentation() throws {
    let partials = ["outer": "o1\n  {{>inner}}\no2\n", "inner": "i1\ni2\n"]
    #expect(try render("  {{>outer}}\nend\n", [:], partials: partials) == "  o1\n    i1\n    i2\n  o2\nend\n")
  }

  @Test func inlinePartialIsNotIndentedByItsHost() throws {
    let partials = ["host": "a {{>inline}} b\nc\n", "inline": "x\ny"]
    #expect(try render("  {{>host}}\n", [:], partials: partials) == "  a x\ny b\n  c\n")
  }

  @Test func blockArgumentsIndentLikeTheirExpansionSite() throws {
    let partials = ["layout": "<body>\n  <main>\n    {{$content}}\n    {{/content}}\n  </main>\n</body>\n"]
    let source = """
      {{<layout}}
      {{$content}}
      <h1>{{title}}</h1>
      <p>text</p>
      {{/content}}
      {{/layout}}

      """
    let expected = "<body>\n  <main>\n    <h1>T</h1>\n    <p>text</p>\n  </main>\n</body>\n"
    #expect(try render(source, ["title": "T"], partials: partials) == expected)
  }

  @Test func deeplyIndentedBlockArgumentIsOutdented() throws {
    let partials = ["parent": "I say,\n  {{$block}}\n  Hi there!\n  {{/block}}\n"]
    let source = "{{<parent}}\n        {{$block}}\n        Hello\n        {{/block}}\n{{/parent}}\n"
    #expect(try render(source, [:], partials: partials) == "I say,\n  Hello\n")
  }

  @Test func sectionsAndPartialsInsideBlocks() throws {
    let partials = [
      "page": "<ul>\n  {{$items}}\n  <li>none</li>\n  {{/items}}\n</ul>\n",
      "item": "<li>{{.}}</li>\n",
    ]
    let source = "{{<page}}{{$items}}\n{{#list}}\n{{>item}}\n{{/list}}\n{{/items}}{{/page}}\n"
    let rendered = try render(source, ["list": ["a", "b"]], partials: partials)
    #expect(rendered == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
    #expect(try render("{{<page}}{{/page}}", [:], partials: partials) == "<ul>\n  <li>none</li>\n</ul>\n")
  }

  @Test func largeTableRendersAllRows() throws {
    let source = "<table>\n{{#rows}}\n<tr><td>{{id}}</td><td>{{name}}</td></tr>\n{{/rows}}\n</table>\n"
    let rows = (0..<1000).map { TemplateValue.object(["id": .int($0), "name": .string("n<\($0)>")]) }
    let rendered = try render(source, ["rows": .list(rows)])
    #expect(rendered.hasPrefix("<table>\n<tr><td>0</td><td>n&lt;0&gt;</td></tr>\n"))
    #expect(rendered.hasSuffix("<tr><td>999</td><td>n&lt;999&gt;</td></tr>\n</table>\n"))
    #expect(rendered.split(separator: "\n").count == 1002)
  }

  @Test func numbersPrintTheSameEverywhere() throws {
    let template = try Template(source: "{{a}} {{b}} {{c}} {{d}}", name: "t")
    #expect(try template.render(["a": 131.0, "b": 69.722, "c": 0.126, "d": -2.0]) == "131 69.722 0.126 -2")
    #expect(TemplateValue.text(of: 1e300) == "1e+300")
  }

  @Test func templatesAreSendable() async throws {
    let template = try Template(source: "{{v}}", name: "t")
    let rendered = try await Task.detached { try template.render(["v": "x"]) }.value
    #expect(rendered == "x")
  }
}

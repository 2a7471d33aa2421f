import Testing

@testable import TemplateEngine

@Suite struct TemplateObjectTests {
  @Test func shapesSortNamesByBytesAndFindEachOne() {
    let names = ["zeta", "Alpha", "alpha", "é", "a.b", "", "runs", "run"]
    let shape = TemplateShape(names)
    #expect(shape.names.map(\.name) == ["", "Alpha", "a.b", "alpha", "run", "runs", "zeta", "é"])
    for (slot, key) in shape.names.enumerated() {
      #expect(shape.slot(of: TemplateKey(key.name)) == slot)
    }
    #expect(shape.slot(of: TemplateKey("missing")) == nil)
    #expect(shape.slot(of: TemplateKey("Run")) == nil)
  }

  @Test func builtObjectsEqualLiteralOnesAndShareTheirShape() throws {
    var builder = TemplateObjectBuilder()
    let first = builder.make(["b": 1, "a": "x", "c": true])
    let second = builder.make(["b": 2, "a": "y", "c": false])
    #expect(first == .object(["a": "x", "b": 1, "c": true]))
    guard case .object(let one) = first, case .object(let two) = second else {
      Issue.record("not objects")
      return
    }
    #expect(one.shape === two.shape)
    #expect(one.values == ["x", 1, true])
    #expect(two["b"] == 2)
  }

  @Test func otherNamesGetAnotherShape() {
    var builder = TemplateObjectBuilder()
    let first = builder.make(["a": 1])
    let other = builder.make(["a": 1, "b": 2])
    let again = builder.make(["a": 3])
    #expect(other == .object(["a": 1, "b": 2]))
    #expect(again == .object(["a": 3]))
    #expect(first != again)
  }

  @Test func objectsRenderTheirFieldsInTemplates() throws {
    var builder = TemplateObjectBuilder()
    let rows: TemplateValue = .list((0..<3).map { builder.make(["n": .int($0), "label": .string("<\($0)>")]) })
    let template = try Template(source: "{{#rows}}{{n}}={{label}};{{/rows}}", name: "t")
    #expect(try template.render(["rows": rows]) == "0=&lt;0&gt;;1=&lt;1&gt;;2=&lt;2&gt;;")
  }
}

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
}

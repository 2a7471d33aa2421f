import Foundation
import Testing

@testable import TemplateEngine

/// Outputs rendered side by side from one lazy list are those of the same tree held whole.
@Suite struct TreeOutputTests {
  /// None, one, a part less one, a part, a part and one, and three parts and a bit.
  static let sizes = [0, 1, 511, 512, 513, 3 * 512 + 17]

  /// Row `number`, as held whole.
  static func row(_ number: Int) -> TemplateValue {
    [
      "id": .int(number), "name": .string("n\(number) <&>\""), "first": .bool(number % 700 == 0),
      "tag": ["kind": .string(number % 2 == 0 ? "even" : "odd")],
    ]
  }

  /// The rows of `row`. Each range shares its two tag objects among its rows, so that JSON objects met
  /// before are met in every part at the same places; ranges after an odd number of parts first add an
  /// object nobody reads, so that the same shapes have other numbers in them.
  struct Rows: LazyList {
    let count: Int
    let builds = Counter()

    func rows(_ range: Range<Int>, in tree: inout ValueTreeBuilder) -> [TreeValue] {
      _ = builds.next()
      if range.lowerBound / LazyListParts.partSize % 2 == 1 { _ = tree.add(["unread": 1, "zz": 2]) }
      let tags = ["even", "odd"].map { tree.add(["kind": .string($0)]) }
      var layout = ObjectLayout()
      return range.map { number in
        layout.make(
          in: &tree,
          [
            "id": .int(number), "name": tree.string("n\(number) <&>\""), "first": .bool(number % 700 == 0),
            "tag": tags[number % 2],
          ])
      }
    }
  }

  /// The rest of the tree around the list `items`.
  static func tree(_ builder: inout ValueTreeBuilder, items: TreeValue) -> TreeValue {
    var layout = ObjectLayout()
    let wrapper = builder.add(["label": "w"])
    return layout.make(in: &builder, ["title": builder.string("T <1>"), "items": items, "wrapper": wrapper])
  }

  /// The same tree with `count` rows held whole.
  static func wholeTree(count: Int) -> ValueTree {
    ValueTree(["title": "T <1>", "items": .list((0..<count).map(row)), "wrapper": ["label": "w"]])
  }

  static let templates = [
    // The list read twice; `name` is looked for in the tag first, whose shape has another row's number in
    // other parts.
    "{{title}}\n{{#items}}{{id}},{{/items}}|{{#items}}{{#tag}}{{kind}}:{{name}}{{/tag}};{{/items}}",
    // The list never read, though asked whether it is empty.
    "{{title}} {{^items}}none{{/items}}{{#wrapper}}{{label}}{{/wrapper}}",
    // The list read inside a section, and inside itself for a few rows.
    "{{#wrapper}}{{#items}}{{label}}{{id}}{{#first}}[{{#items}}{{id}} {{/items}}]{{/first}};{{/items}}{{/wrapper}}",
  ]

  static func outputs() throws -> [TreeOutput] {
    [.json(compactDepth: 2)] + (try templates.map { .template(try Template(source: $0, name: "t"), partials: [:]) })
      + [.json(compactDepth: 1), .json(compactDepth: 3)]
  }

  /// Every output of `outputs` rendered from `tree` alone.
  static func rendered(_ outputs: [TreeOutput], from tree: ValueTree) throws -> [[UInt8]] {
    try outputs.map { output in
      var bytes: [UInt8] = []
      switch output {
      case .template(let template, let partials):
        try template.render(tree, partials: partials, chunkSize: 100) { bytes += $0 }
      case .json(let compactDepth):
        tree.encodeJSON(compactDepth: compactDepth, chunkSize: 100) { bytes += $0 }
      }
      return bytes
    }
  }

  /// Every output of `outputs` rendered side by side around `rows`.
  static func renderedSideBySide(_ outputs: [TreeOutput], rows: Rows) throws -> [[UInt8]] {
    let collected = Collected(count: outputs.count)
    try TreeOutput.render(outputs, list: rows, tree: { tree(&$0, items: $1) }, chunkSize: 100) { output, bytes in
      collected.append(bytes, to: output)
    }
    return collected.outputs
  }

  @Test func thePartsAreThoseTheSizesAreChosenAround() {
    #expect(LazyListParts.partSize == 512)
  }

  @Test(arguments: sizes)
  func outputsSideBySideAreThoseOfTheWholeTree(count: Int) throws {
    let outputs = try Self.outputs()
    let expected = try Self.rendered(outputs, from: Self.wholeTree(count: count))
    let rendered = try Self.renderedSideBySide(outputs, rows: Rows(count: count))
    #expect(rendered.count == expected.count)
    for (index, (bytes, expected)) in zip(rendered, expected).enumerated() {
      #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "output \(index)")
    }
  }

  /// A tree holding a lazy list and rendered alone builds the list's parts as it reads them.
  @Test(arguments: sizes)
  func outputsAloneAreThoseOfTheWholeTree(count: Int) throws {
    var builder = ValueTreeBuilder()
    let items = builder.list(lazy: Rows(count: count))
    let root = Self.tree(&builder, items: items)
    let outputs = try Self.outputs()
    #expect(
      try Self.rendered(outputs, from: builder.finish(root: root))
        == Self.rendered(outputs, from: Self.wholeTree(count: count)))
  }

  /// Outputs that each read the list once build each part once, between them.
  @Test func eachPartIsBuiltOnceForAllOutputs() throws {
    let rows = Rows(count: 3 * 512 + 17)
    let template = try Template(source: "{{#items}}{{id}}{{/items}}", name: "t")
    let outputs: [TreeOutput] = [.json(compactDepth: 2), .template(template, partials: [:]), .json(compactDepth: 1)]
    _ = try Self.renderedSideBySide(outputs, rows: rows)
    #expect(rows.builds.value == 4)
  }

  /// Failing outputs hold back no other; the first failure by index is thrown once all finished.
  @Test func theFirstFailureIsThrownAfterEveryOutputFinished() throws {
    let recursive = { (name: String) throws -> TreeOutput in
      let template = try Template(source: "{{#items}}{{id}}{{/items}}{{>self}}", name: name)
      return .template(template, partials: ["self": template])
    }
    let outputs = [.json(compactDepth: 2), try recursive("a"), try recursive("b")]
    let collected = Collected(count: outputs.count)
    let count = 2 * 512 + 3
    #expect {
      try TreeOutput.render(outputs, list: Rows(count: count), tree: { Self.tree(&$0, items: $1) }, chunkSize: 100) {
        collected.append($1, to: $0)
      }
    } throws: { error in
      (error as? TemplateError)?.name == "a"
    }
    #expect(collected.outputs[0] == (try Self.rendered([outputs[0]], from: Self.wholeTree(count: count)))[0])
  }
}

/// Each output's bytes as they arrive; each is appended to by the one thread rendering it.
private final class Collected: @unchecked Sendable {
  // @unchecked: each slot is written by one thread, and read after all of them finished.
  private var slots: [UnsafeMutablePointer<[UInt8]>]

  init(count: Int) {
    slots = (0..<count).map { _ in
      let slot = UnsafeMutablePointer<[UInt8]>.allocate(capacity: 1)
      slot.initialize(to: [])
      return slot
    }
  }

  deinit {
    for slot in slots {
      slot.deinitialize(count: 1)
      slot.deallocate()
    }
  }

  func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: Int) {
    slots[output].pointee += bytes
  }

  var outputs: [[UInt8]] { slots.map(\.pointee) }
}

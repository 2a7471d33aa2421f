import Testing

@testable import TemplateEngine

/// Lists built in parts render, and encode, exactly as the same lists held whole.
@Suite struct LazyListTests {
  /// Members with strings, nested lists and objects, of two shapes.
  static let members: [TemplateValue] = (0..<23).map { number in
    number % 4 == 3
      ? ["id": .int(number), "odd": true]
      : ["id": .int(number), "name": .string("n\(number) <&>"), "tags": .list((0..<number % 3).map { .int($0) })]
  }

  /// Rows of `members`. Every other range first adds an object nobody reads, so that the same shapes have other
  /// numbers in its part: a reader that remembered where a shape keeps a field would read the wrong one.
  struct Rows: LazyList {
    let members: [TemplateValue]
    let builds = Counter()

    var count: Int { members.count }

    func rows(_ range: Range<Int>, in tree: inout ValueTreeBuilder) -> [TreeValue] {
      if builds.next() % 2 == 1 { _ = tree.add(["unread": 1, "zz": 2]) }
      return members[range].map { tree.add($0) }
    }
  }

  /// A root holding `members` as a lazy list, and the same root held whole.
  static func trees(_ members: [TemplateValue]) -> (lazy: ValueTree, whole: ValueTree, rows: Rows) {
    let rows = Rows(members: members)
    var builder = ValueTreeBuilder()
    let others = builder.list(lazy: Rows(members: [["label": "o1"], ["label": "o2"]]))
    var layout = ObjectLayout()
    let root = layout.make(
      in: &builder, ["title": builder.string("T"), "items": builder.list(lazy: rows), "others": others])
    let whole: TemplateValue = ["title": "T", "items": .list(members), "others": [["label": "o1"], ["label": "o2"]]]
    return (builder.finish(root: root), ValueTree(whole), rows)
  }

  /// The parts of `tree`'s lists, of `size` rows each.
  static func parts(of tree: ValueTree, size: Int) -> [any ListParts] {
    tree.lists.map { LazyListParts($0, partSize: size) }
  }

  static let templates = [
    "{{#items}}{{id}}{{name}}[{{#tags}}{{.}},{{/tags}}]{{title}};{{/items}}{{^items}}none{{/items}}",
    // The same list inside itself: the outer part stays readable while the inner one is read.
    "{{#items}}({{id}}:{{#items}}{{id}}{{/items}}){{/items}}",
    // Another lazy list inside: names it lacks are found in the outer list's member.
    "{{#items}}{{#others}}{{label}}={{name}}{{id}} {{/others}}{{/items}}",
    "{{#items}}{{#odd}}odd {{id}}{{/odd}}{{/items}}|{{items}}|{{#items}}{{.}}{{/items}}",
  ]

  @Test(arguments: templates, [1, 2, 5, 23, 100])
  func templatesRenderPartsAsTheWholeList(source: String, size: Int) throws {
    let (lazy, whole, _) = Self.trees(Self.members)
    let template = try Template(source: source, name: "t")
    var expected: [UInt8] = []
    try template.render(whole, into: &expected)
    var rendered: [UInt8] = []
    try template.render(lazy, lists: Self.parts(of: lazy, size: size), partials: [:], chunkSize: 64) {
      rendered += $0
    }
    #expect(String(decoding: rendered, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
  }

  @Test(arguments: [0, 1, 2, 3])
  func jsonEncodesPartsAsTheWholeList(compactDepth: Int) {
    // Parts of one member each put every part's objects in the same places, so that objects remembered from
    // an earlier part would be copied in place of later ones.
    for size in [1, 3, 23] {
      let (lazy, whole, _) = Self.trees(Self.members)
      var encoded: [UInt8] = []
      lazy.encodeJSON(compactDepth: compactDepth, lists: Self.parts(of: lazy, size: size), chunkSize: 64) {
        encoded += $0
      }
      #expect(String(decoding: encoded, as: UTF8.self) == json(whole, compactDepth: compactDepth))
    }
  }

  @Test func emptyListsBuiltInPartsAreEmpty() throws {
    let (lazy, whole, rows) = Self.trees([])
    #expect(json(lazy, compactDepth: 2) == json(whole, compactDepth: 2))
    var rendered: [UInt8] = []
    try Template(source: Self.templates[0], name: "t").render(lazy, into: &rendered)
    #expect(String(decoding: rendered, as: UTF8.self) == "none")
    #expect(rows.builds.value == 0)
  }

  @Test func eachPartIsBuiltOncePerReading() throws {
    let (lazy, whole, rows) = Self.trees(Self.members)
    // A tree read as a whole builds its lazy lists in parts of `LazyListParts.partSize` rows: here, one.
    #expect(lazy.templateValue(lazy.root) == whole.templateValue(whole.root))
    #expect(rows.builds.value == 1)
    var rendered: [UInt8] = []
    try Template(source: Self.templates[0], name: "t").render(
      lazy, lists: Self.parts(of: lazy, size: 5), partials: [:], chunkSize: 64
    ) { rendered += $0 }
    #expect(rows.builds.value == 6)
  }

  @Test func aPartLetGoGivesItsBuffersToTheNext() {
    let parts = LazyListParts(Rows(members: Self.members), partSize: 23)
    let first = parts.part(0, segment: 1)
    let addresses = (
      first.segments[1].values.withUnsafeBufferPointer(\.baseAddress),
      first.segments[1].bytes.withUnsafeBufferPointer(\.baseAddress)
    )
    parts.recycle(consume first)
    let second = parts.part(0, segment: 1)
    #expect(second.templateValue(second.root) == .list(Self.members))
    #expect(second.segments[1].values.withUnsafeBufferPointer(\.baseAddress) == addresses.0)
    #expect(second.segments[1].bytes.withUnsafeBufferPointer(\.baseAddress) == addresses.1)
  }

  /// A reader alone gives each part back once read, so that the next one is built in its buffers.
  @Test func aReaderAloneGivesEachPartBack() {
    let parts = CountingParts(count: 20, size: 5)
    var members: [String] = []
    ValueTree(.null).withReader { outer in
      parts.forEachPart(readAfter: outer) { part, _ in
        members += CountingParts.read(part)
        #expect(parts.recycled == parts.built - 1)
      }
    }
    #expect(members == parts.members)
    #expect(parts.built == 4 && parts.recycled == 4)
  }

  private func json(_ tree: ValueTree, compactDepth: Int) -> String {
    var output: [UInt8] = []
    tree.encodeJSON(compactDepth: compactDepth, chunkSize: 64) { output += $0 }
    return String(decoding: output, as: UTF8.self)
  }
}

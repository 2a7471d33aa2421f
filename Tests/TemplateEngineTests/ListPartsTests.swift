import Testing

@testable import TemplateEngine

/// Lists built in parts render, and encode, exactly as the same lists held whole.
@Suite struct ListPartsTests {
  /// Members with strings, nested lists and objects, of two shapes.
  static let members: [TemplateValue] = (0..<23).map { number in
    number % 4 == 3
      ? ["id": .int(number), "odd": true]
      : ["id": .int(number), "name": .string("n\(number) <&>"), "tags": .list((0..<number % 3).map { .int($0) })]
  }

  /// Parts of `size` members. Odd parts first add an object nobody reads, so the same shapes have other numbers
  /// in them: a reader that remembered where a shape keeps a field would read the wrong one.
  struct Parts: ListParts {
    let members: [TemplateValue]
    let size: Int
    let builds = Counter()

    var count: Int { members.count }
    var partCount: Int { (members.count + size - 1) / size }

    func part(_ number: Int, segment: Int) -> ValueTree {
      builds.add()
      var builder = ValueTreeBuilder(segment: segment)
      if number % 2 == 1 { _ = builder.add(["unread": 1, "zz": 2]) }
      let range = number * size..<min(members.count, (number + 1) * size)
      let root = builder.list(members[range].map { builder.add($0) })
      return builder.finish(root: root)
    }
  }

  final class Counter: @unchecked Sendable {
    // @unchecked: the tests that count read from one thread.
    private(set) var value = 0
    func add() { value += 1 }
  }

  /// A root holding `members` as a list built in parts of `size`, and the same root held whole.
  static func trees(_ members: [TemplateValue], size: Int) -> (parted: ValueTree, whole: ValueTree, parts: Parts) {
    let parts = Parts(members: members, size: size)
    var builder = ValueTreeBuilder()
    let others = builder.list(parts: Parts(members: [["label": "o1"], ["label": "o2"]], size: 1))
    var layout = ObjectLayout()
    let root = layout.make(
      in: &builder, ["title": builder.string("T"), "items": builder.list(parts: parts), "others": others])
    let whole: TemplateValue = ["title": "T", "items": .list(members), "others": [["label": "o1"], ["label": "o2"]]]
    return (builder.finish(root: root), ValueTree(whole), parts)
  }

  static let templates = [
    "{{#items}}{{id}}{{name}}[{{#tags}}{{.}},{{/tags}}]{{title}};{{/items}}{{^items}}none{{/items}}",
    // The same list inside itself: the outer part stays readable while the inner one is read.
    "{{#items}}({{id}}:{{#items}}{{id}}{{/items}}){{/items}}",
    // Another parted list inside: names it lacks are found in the outer list's member.
    "{{#items}}{{#others}}{{label}}={{name}}{{id}} {{/others}}{{/items}}",
    "{{#items}}{{#odd}}odd {{id}}{{/odd}}{{/items}}|{{items}}|{{#items}}{{.}}{{/items}}",
  ]

  @Test(arguments: templates, [1, 2, 5, 23, 100])
  func templatesRenderPartsAsTheWholeList(source: String, size: Int) throws {
    let (parted, whole, _) = Self.trees(Self.members, size: size)
    let template = try Template(source: source, name: "t")
    var expected: [UInt8] = []
    try template.render(whole, into: &expected)
    var rendered: [UInt8] = []
    try template.render(parted, into: &rendered)
    #expect(String(decoding: rendered, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
  }

  @Test(arguments: [0, 1, 2, 3])
  func jsonEncodesPartsAsTheWholeList(compactDepth: Int) {
    // Parts of one member each put every part's objects in the same places, so that objects remembered from
    // an earlier part would be copied in place of later ones.
    for size in [1, 3, 23] {
      let (parted, whole, _) = Self.trees(Self.members, size: size)
      #expect(json(parted, compactDepth: compactDepth) == json(whole, compactDepth: compactDepth))
    }
  }

  @Test func emptyListsBuiltInPartsAreEmpty() throws {
    let (parted, whole, parts) = Self.trees([], size: 4)
    #expect(json(parted, compactDepth: 2) == json(whole, compactDepth: 2))
    var rendered: [UInt8] = []
    try Template(source: Self.templates[0], name: "t").render(parted, into: &rendered)
    #expect(String(decoding: rendered, as: UTF8.self) == "none")
    #expect(parts.builds.value == 0)
  }

  @Test func eachPartIsBuiltOncePerReading() throws {
    let (parted, whole, parts) = Self.trees(Self.members, size: 5)
    #expect(parted.templateValue(parted.root) == whole.templateValue(whole.root))
    #expect(parts.builds.value == 5)
    var rendered: [UInt8] = []
    try Template(source: Self.templates[0], name: "t").render(parted, into: &rendered)
    #expect(parts.builds.value == 10)
  }

  @Test func replacedListsAreReadInstead() throws {
    let (parted, _, _) = Self.trees(Self.members, size: 5)
    let other = Parts(members: Self.members.reversed(), size: 7)
    // The lists come in the order they were added to the tree: `others` first.
    let replaced = parted.replacingLists(with: [Parts(members: [[:], [:]], size: 2), other])
    var rendered: [UInt8] = []
    try Template(source: "{{#items}}{{id}},{{/items}}", name: "t").render(replaced, into: &rendered)
    #expect(String(decoding: rendered, as: UTF8.self) == (0..<23).reversed().map { "\($0)," }.joined())
    #expect(other.builds.value == 4)
  }

  @Test func aPartLetGoGivesItsBuffersToTheNext() {
    let parts = Parts(members: Self.members, size: 23)
    let storage = parts.part(0, segment: 1).storage()
    #expect(storage.values.isEmpty && storage.values.capacity > 0 && storage.bytes.capacity > 0)
    let addresses = (
      storage.values.withUnsafeBufferPointer(\.baseAddress), storage.bytes.withUnsafeBufferPointer(\.baseAddress)
    )
    var builder = ValueTreeBuilder(segment: 1, storage: consume storage)
    let root = builder.list([builder.string("again")])
    let tree = builder.finish(root: root)
    #expect(tree.templateValue(tree.root) == ["again"])
    #expect(tree.segments[1].values.withUnsafeBufferPointer(\.baseAddress) == addresses.0)
    #expect(tree.segments[1].bytes.withUnsafeBufferPointer(\.baseAddress) == addresses.1)
  }

  private func json(_ tree: ValueTree, compactDepth: Int) -> String {
    var output: [UInt8] = []
    tree.encodeJSON(compactDepth: compactDepth, chunkSize: 64) { output += $0 }
    return String(decoding: output, as: UTF8.self)
  }
}

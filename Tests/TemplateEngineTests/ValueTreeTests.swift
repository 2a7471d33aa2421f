import Foundation
import SeededRandom
import Testing

@testable import TemplateEngine

@Suite struct ValueTreeTests {
  static let samples: [TemplateValue] = [
    .null, true, false, 0, -42, .int(Int.min), .int(Int.max), 1.5, -0.25, 1e300, "", "é ✓ \u{0}",
    [], [[]], ["a", 1, .null, [2, [3]]],
    [:], ["": 1], ["b": ["c": ["d": "deep"]], "a": [1, 2], "é": [:]],
    ["runs": [["id": 1, "tags": ["x"]], ["id": 2, "tags": []], ["id": 3, "other": true]]],
  ]

  @Test(arguments: samples)
  func treesHoldExactlyTheValueTheyWereMadeFrom(_ value: TemplateValue) {
    let tree = ValueTree(value)
    #expect(tree.templateValue(tree.root) == value)
  }

  /// Reports hold millions of values; their size is most of a report's memory.
  @Test func valuesTakeTwelveBytes() {
    #expect(MemoryLayout<TreeValue>.stride == 12)
  }

  @Test func layoutsShareAShapeBetweenObjectsWithTheSameNames() {
    var builder = ValueTreeBuilder()
    var layout = ObjectLayout()
    let first = layout.make(in: &builder, ["b": .int(1), "a": builder.string("x"), "c": .bool(true)])
    let second = layout.make(in: &builder, ["b": .int(2), "a": builder.string("y"), "c": .bool(false)])
    let other = layout.make(in: &builder, ["a": .int(3)])
    let root = builder.list([first, second, other])
    let tree = builder.finish(root: root)
    #expect(first.count == second.count)
    #expect(first.count != other.count)
    #expect(tree.segments.map(\.schema.names) == [["a", "b", "c", "a"]])
    #expect(
      tree.templateValue(tree.root) == [["a": "x", "b": 1, "c": true], ["a": "y", "b": 2, "c": false], ["a": 3]])
  }

  @Test func sharedValuesAppearWhereverTheyAreUsed() throws {
    var builder = ValueTreeBuilder()
    var layout = ObjectLayout()
    let shared = layout.make(in: &builder, ["n": .int(7)])
    let root = builder.list([shared, shared])
    let tree = builder.finish(root: root)
    let template = try Template(source: "{{#.}}{{n}};{{/.}}", name: "t")
    var output: [UInt8] = []
    try template.render(tree, into: &output)
    #expect(String(decoding: output, as: UTF8.self) == "7;7;")
  }

  @Test func jsonIndentsTheTopLevelsAndSortsKeys() {
    let value: TemplateValue = [
      "z": [1, 2.5, .null, true], "a": ["y": [:], "x": []], "list": [["k": "v"], []], "empty": [], "none": [:],
    ]
    #expect(
      json(value, compactDepth: 2) == """
        {
          "a": {
            "x": [],
            "y": {}
          },
          "empty": [],
          "list": [
            {"k":"v"},
            []
          ],
          "none": {},
          "z": [
            1,
            2.5,
            null,
            true
          ]
        }

        """)
    #expect(
      json(value, compactDepth: 0)
        == "{\"a\":{\"x\":[],\"y\":{}},\"empty\":[],\"list\":[{\"k\":\"v\"},[]],\"none\":{},\"z\":[1,2.5,null,true]}\n")
  }

  @Test func jsonEscapesStringsAndKeysAsRFC8259Requires() throws {
    let hostile = "q\"b\\n\n r\r t\t \u{0}\u{1F} é </script>"
    let text = json([hostile: .string(hostile)], compactDepth: 0)
    #expect(
      text == #"{"q\"b\\n\n r\r t\t \u0000\u001f é </script>":"q\"b\\n\n r\r t\t \u0000\u001f é </script>"}"# + "\n")
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
    #expect(parsed == [hostile: hostile])
  }

  /// Strings are scanned a word at a time for what to escape; against a character-by-character reference.
  @Test func jsonStringsMatchACharacterByCharacterReference() {
    func reference(_ text: String) -> String {
      var result = "\""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}":
          let hex = String(scalar.value, radix: 16)
          result += "\\u00" + (hex.count == 1 ? "0" : "") + hex
        default: result.unicodeScalars.append(scalar)
        }
      }
      return result + "\""
    }
    let pieces = [
      "a", "plain text ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "é", "✓", "𝄞", "</script>", "0123456789",
      "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{BF}",
    ]
    var random = SeededGenerator(seed: 9)
    for _ in 0..<3000 {
      let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }
        .joined()
      #expect(json(.string(text), compactDepth: 0) == reference(text) + "\n", "\(Array(text.utf8))")
    }
  }

  @Test func stringsWrittenInPlaceKeepWhatWasWrittenAndNoMore() {
    var builder = ValueTreeBuilder()
    let before = builder.string("before")
    let written = builder.string(capacity: 16) { buffer in
      for (index, byte) in "é-in-place".utf8.enumerated() { buffer[index] = byte }
      return "é-in-place".utf8.count
    }
    let empty = builder.string(capacity: 8) { _ in 0 }
    let after = builder.string("after")
    let root = builder.list([before, written, empty, after])
    let tree = builder.finish(root: root)
    #expect(tree.templateValue(tree.root) == ["before", "é-in-place", "", "after"])
  }

  /// Objects met again are copied from their first encoding; shared ones, nested ones, long ones and others
  /// placed side by side must all come out as if encoded each time.
  @Test func repeatedObjectsEncodeAsTheFirstTime() {
    var builder = ValueTreeBuilder()
    var layout = ObjectLayout()
    let inner = layout.make(in: &builder, ["a": .int(1), "s": builder.string("x\"y")])
    var outerLayout = ObjectLayout()
    let outer = outerLayout.make(in: &builder, ["in": inner, "n": .null])
    let long = layout.make(in: &builder, ["a": .int(2), "s": builder.string(String(repeating: "z", count: 2000))])
    let other = layout.make(in: &builder, ["a": .int(3), "s": builder.string("")])
    let items = [inner, outer, inner, long, outer, long, other, inner, outer]
    let tree = builder.finish(root: builder.list(items))
    var bytes: [UInt8] = []
    tree.encodeJSON(compactDepth: 0, chunkSize: 1 << 20) { bytes += $0 }
    let (i, o, l, t) = (
      #"{"a":1,"s":"x\"y"}"#, #"{"in":{"a":1,"s":"x\"y"},"n":null}"#,
      #"{"a":2,"s":""# + String(repeating: "z", count: 2000) + #""}"#, #"{"a":3,"s":""}"#
    )
    #expect(String(decoding: bytes, as: UTF8.self) == "[" + [i, o, i, l, o, l, t, i, o].joined(separator: ",") + "]\n")
  }

  @Test func jsonComesInPiecesThatJoinToTheWhole() {
    let value: TemplateValue = .list((0..<500).map { ["id": .int($0), "name": .string("run \($0)")] })
    var pieces: [[UInt8]] = []
    ValueTree(value).encodeJSON(compactDepth: 2, chunkSize: 1000) { pieces.append(Array($0)) }
    #expect(pieces.count > 5)
    #expect(pieces.dropLast().allSatisfy { $0.count >= 1000 && $0.count < 1100 })
    #expect(String(decoding: pieces.joined(), as: UTF8.self) == json(value, compactDepth: 2))
  }

  private func json(_ value: TemplateValue, compactDepth: Int) -> String {
    var output: [UInt8] = []
    ValueTree(value).encodeJSON(compactDepth: compactDepth, chunkSize: 1 << 20) { output += $0 }
    return String(decoding: output, as: UTF8.self)
  }
}

import Testing

@testable import InspectorReport

@Suite struct FilePathsTests {
  static let names: [(bytes: [UInt8], shown: String)] = [
    (Array("plain.json".utf8), "plain.json"),
    (Array("é\u{1B}.json".utf8), "é\u{1B}.json"),
    (Array("bad".utf8) + [0xFF] + Array(".json".utf8), "bad\\xFF.json"),
    (Array("é".utf8) + [0x80, 0xC3] + Array("x".utf8) + [0xE2, 0x82], "é\\x80\\xC3x\\xE2\\x82"),
  ]

  @Test(arguments: names)
  func aNameShowsUTF8AsItIsAndEveryOtherByteEscaped(bytes: [UInt8], shown: String) {
    #expect(RawPath(bytes: bytes).description == shown)
    #expect(RawPath(bytes: bytes).bytes == bytes)
  }

  @Test func namesSortByTheirBytesNotAsShown() {
    let raw = RawPath(bytes: Array("a".utf8) + [0xFF])
    #expect(RawPath("ab") < raw)
    #expect(raw.description < RawPath("ab").description)
  }

  @Test func theReportListsInputsInTheByteOrderOfTheirNames() {
    let names: [RawPath] = [RawPath(bytes: Array("a".utf8) + [0xFF]), "ab", "B"]
    let inputs = names.map {
      LoadedInput(name: $0, snapshot: Snapshot(), byteCount: 0, sha256: String(repeating: "0", count: 64))
    }
    #expect(Report(inputs: inputs, policy: .standard).inputs.map(\.name) == ["B", "ab", names[0]])
  }

  @Test func aNameInAFolderKeepsItsBytes() {
    let name = RawPath(bytes: [0xFF])
    #expect(path(name, in: "d").bytes == Array("d/".utf8) + [0xFF])
    #expect(path(name, in: "d/").bytes == Array("d/".utf8) + [0xFF])
    #expect(path(name, in: "") == name)
  }
}

import JSONReader
import Testing

struct PullAPITests {
  static let document = bytes(
    #"""
    {"assessmentRuns": [
      {"arn": "arn:aws:inspector:us-west-2:1:run/0-x", "durationInSeconds": 3600, "dataCollected": true,
       "completedAt": 1458680170.035, "notes": null, "extra": {"deep": [1, {"x": []}]}}
    ], "failedItems": {}}
    """#)

  @Test func walksADocument() throws {
    var reader = JSONReader(bytes: Self.document)
    #expect(try reader.peekKind() == .object)
    try reader.beginObject()
    var arns: [String] = []
    var completed: [Int64] = []
    while let key = try reader.nextKey() {
      guard key == "assessmentRuns" else {
        try reader.skipValue()
        continue
      }
      try reader.beginArray()
      while try reader.nextElement() {
        try reader.beginObject()
        while let field = try reader.nextKey() {
          switch field {
          case "arn": arns.append(try reader.readString())
          case "completedAt": completed.append(try #require(try reader.readNumber().scaled(by: 3)))
          case "dataCollected": #expect(try reader.readBool())
          case "notes": #expect(try reader.readNullIfPresent())
          case "durationInSeconds":
            #expect(try reader.readNullIfPresent() == false)
            #expect(try reader.readNumber().intValue == 3600)
          default: try reader.skipValue()
          }
        }
      }
    }
    try reader.expectEnd()
    #expect(arns == ["arn:aws:inspector:us-west-2:1:run/0-x"])
    #expect(completed == [1_458_680_170_035])
  }

  /// The byte forms see keys and strings unescaped, exactly as `nextKey()` and `readString()` return them.
  @Test(arguments: [#"{"plain": "value"}"#, #"{"esc\u0061ped": "tab\tand \u00e9 and \ud83d\ude00"}"#, #"{"": ""}"#])
  func byteFormsAgreeWithStrings(text: String) throws {
    var strings = JSONReader(bytes: bytes(text))
    var views = JSONReader(bytes: bytes(text))
    try strings.beginObject()
    try views.beginObject()
    while let key = try strings.nextKey() {
      let viewedKey = try views.nextKey { String(decoding: $0, as: UTF8.self) }
      #expect(viewedKey == key)
      let value = try strings.readString()
      var viewed = ""
      try views.readString { viewed = String(decoding: $0, as: UTF8.self) }
      #expect(viewed == value)
    }
    #expect(try views.nextKey { _ in "" } == nil)
  }

  @Test func byteFormsReportErrorsLikeTheStringForms() throws {
    var reader = JSONReader(bytes: bytes("{\n  \"a\": 1,\n  \"b\" 2}"))
    try reader.beginObject()
    _ = try reader.nextKey { String(decoding: $0, as: UTF8.self) }
    try reader.skipValue()
    #expect(throws: JSONSyntaxError.self) { _ = try reader.nextKey { String(decoding: $0, as: UTF8.self) } }
    var number = JSONReader(bytes: bytes("[1]"))
    try number.beginArray()
    _ = try number.nextElement()
    do {
      try number.readString { _ in }
      Issue.record("a number read as a string")
    } catch {
      #expect(error.position.line == 1 && error.position.column == 2)
    }
  }

  @Test func reportsWrongKindWithPosition() throws {
    var reader = JSONReader(bytes: bytes(#"{"a": [1]}"#))
    try reader.beginObject()
    #expect(try reader.nextKey() == "a")
    #expect(
      throws: JSONSyntaxError(
        position: JSONPosition(line: 1, column: 7, offset: 6),
        message: "expected a string, found '['")
    ) {
      _ = try reader.readString()
    }
  }

  @Test(arguments: [
    ("[1]", "readNumber", "API misuse: readNumber() called where nextElement() must come first"),
    (#"{"a":1}"#, "readNumber", "API misuse: readNumber() called where nextKey() must come first"),
    ("[1]", "nextKey", "API misuse: nextKey() called outside an object"),
    (#"{"a":1}"#, "nextElement", "API misuse: nextElement() called outside an array"),
  ])
  func rejectsCallsOutOfProtocol(_ input: String, _ call: String, _ message: String) throws {
    var reader = JSONReader(bytes: bytes(input))
    _ = try reader.peekKind() == .object ? try reader.beginObject() : try reader.beginArray()
    var error: JSONSyntaxError?
    do {
      switch call {
      case "readNumber": _ = try reader.readNumber()
      case "nextKey": _ = try reader.nextKey()
      default: _ = try reader.nextElement()
      }
    } catch let caught {
      error = caught
    }
    #expect(error?.message == message)
  }

  @Test func keyMustBeFollowedByItsValue() throws {
    var reader = JSONReader(bytes: bytes(#"{"a":1,"b":2}"#))
    try reader.beginObject()
    #expect(try reader.nextKey() == "a")
    #expect(throws: JSONSyntaxError.self) { _ = try reader.nextKey() }
  }

  @Test func readNullIfPresentLeavesOtherValues() throws {
    var reader = JSONReader(bytes: bytes("[null, 5, nul]"))
    try reader.beginArray()
    #expect(try reader.nextElement())
    #expect(try reader.readNullIfPresent())
    #expect(try reader.nextElement())
    #expect(try reader.readNullIfPresent() == false)
    #expect(try reader.readNumber().text == "5")
    #expect(try reader.nextElement())
    #expect(throws: JSONSyntaxError.self) { _ = try reader.readNullIfPresent() }
  }

  @Test func expectEndRejectsOpenContainer() throws {
    var reader = JSONReader(bytes: bytes("[1"))
    try reader.beginArray()
    #expect(throws: JSONSyntaxError.self) { try reader.expectEnd() }
  }
}

struct DepthTests {
  static func nested(_ depth: Int, open: String = "[", close: String = "]") -> [UInt8] {
    bytes(String(repeating: open, count: depth) + String(repeating: close, count: depth))
  }

  @Test func acceptsDepthAtTheLimit() {
    #expect(agreedError(Self.nested(512)) == nil)
    #expect(
      agreedError(bytes(String(repeating: #"{"a":"#, count: 512) + "1" + String(repeating: "}", count: 512)))
        == nil)
  }

  @Test func rejectsDepthBeyondTheLimit() throws {
    let error = try #require(agreedError(Self.nested(513)))
    #expect(error.description == "1:513: nesting depth exceeds the limit of 512")
    let custom = try #require(agreedError(bytes(#"{"a":[{"b":1}]}"#), maximumDepth: 2))
    #expect(custom.description == "1:7: nesting depth exceeds the limit of 2")
  }

  /// Skipping is iterative, so even a limit far beyond any sane one cannot overflow the stack. (Trees that deep
  /// would overflow it when freed, which is one reason the default limit is 512.)
  @Test func survivesVeryDeepInput() throws {
    let deep = Self.nested(200_000)
    #expect(agreedError(deep)?.message == "nesting depth exceeds the limit of 512")
    #expect(agreedError(deep, maximumDepth: 300_000, modes: [.skipValue]) == nil)
    let unclosed = bytes(String(repeating: "[{\"k\":", count: 100_000))
    let error = agreedError(unclosed, maximumDepth: 1_000_000, modes: [.skipValue, .readValue])
    #expect(error?.message == "unexpected end of input, expected a value")
  }
}

/// Going on after a value the caller refused, or after a text that failed.
struct RecoveryTests {
  /// Reads the `n` of each element of an array of objects, refusing the element whose `n` is `refused` part-way
  /// through (after `steps` more calls into it), then skipping its rest.
  private func readAll(_ text: String, refusing refused: Int, after steps: Int) throws -> [Int] {
    var reader = JSONReader(bytes: bytes(text))
    try reader.beginArray()
    var found: [Int] = []
    while try reader.nextElement() {
      let depth = reader.depth
      try reader.beginObject()
      var refusedHere = false
      while let key = try reader.nextKey() {
        if key == "n", let n = try reader.readNumber().intValue {
          if n == refused {
            refusedHere = true
            // Go a little further into the element, so that its rest lies at several depths.
            let intoElement: [(inout JSONReader) throws -> Void] = [
              { _ = try $0.nextKey() }, { try $0.beginArray() }, { _ = try $0.nextElement() },
              { try $0.beginArray() }, { _ = try $0.nextElement() }, { _ = try $0.readNumber() },
            ]
            for step in intoElement.prefix(steps) { try step(&reader) }
            break
          }
          found.append(n)
        } else {
          try reader.skipValue()
        }
      }
      if refusedHere { try reader.skipRest(ofValueAtDepth: depth) }
    }
    let atEnd = reader.isAtEnd()
    #expect(atEnd)
    return found
  }

  @Test(arguments: 0...6)
  func skipRestLeavesTheContainerAtItsNextElement(steps: Int) throws {
    let text = #"[{"n": 1, "a": [[1], {"b": [2]}]}, {"n": 2, "a": [[3, 4], {"b": {"c": [5]}}], "z": 6}, {"n": 3}]"#
    #expect(try readAll(text, refusing: 2, after: steps) == [1, 3])
  }

  @Test func skipRestSkipsAnElementNotYetBegun() throws {
    var reader = JSONReader(bytes: bytes(#"["not an object", {"x": 1}]"#))
    try reader.beginArray()
    #expect(try reader.nextElement())
    try reader.skipRest(ofValueAtDepth: reader.depth)
    #expect(try reader.nextElement())
    try reader.beginObject()
    #expect(try reader.nextKey() == "x")
  }

  @Test func skipRestReportsASyntaxErrorInWhatItSkips() throws {
    var reader = JSONReader(bytes: bytes(#"[{"n": 1, "a": [1 2]}]"#))
    try reader.beginArray()
    #expect(try reader.nextElement())
    let depth = reader.depth
    try reader.beginObject()
    _ = try reader.nextKey()
    _ = try reader.readNumber()
    let error = try #require(throws: JSONSyntaxError.self) { try reader.skipRest(ofValueAtDepth: depth) }
    #expect(error.position.column == 19)
  }

  @Test func skipRestAtTheTopLevelIsMisuse() throws {
    var reader = JSONReader(bytes: bytes("{} {}"))
    #expect(throws: JSONSyntaxError.self) { try reader.skipRest(ofValueAtDepth: 0) }
  }

  @Test func resumeReadsOnFromAnotherTextAfterAnError() throws {
    let text = "{\"a\": [1, 2\n{\"b\": 3}\n"
    var reader = JSONReader(bytes: bytes(text))
    try reader.beginObject()
    #expect(try reader.nextKey() == "a")
    try reader.beginArray()
    #expect(try reader.nextElement())
    _ = try reader.readNumber()
    #expect(try reader.nextElement())
    _ = try reader.readNumber()
    #expect(throws: JSONSyntaxError.self) { try reader.nextElement() }
    reader.resume(at: try #require(bytes(text).firstIndex(of: UInt8(ascii: "\n"))) + 1)
    try reader.beginObject()
    #expect(try reader.nextKey() == "b")
    #expect(try reader.readNumber().intValue == 3)
    #expect(try reader.nextKey() == nil)
    let atEnd = reader.isAtEnd()
    #expect(atEnd)
  }
}

import CLibXML2
import Foundation
import LocalListener
import SharedFolder
import Testing
import XMLValidation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Validates a document fed in pieces of `pieceSize` bytes (the last may be shorter).
private func streamed(
  _ document: [UInt8], schema: XMLSchema, pieceSize: Int = .max, observer: (any XMLElementObserver)? = nil
) -> [XMLDiagnostic] {
  streamed(
    document, schema: schema, cuts: Array(stride(from: 0, to: document.count, by: pieceSize)), observer: observer)
}

/// Validates a document fed in pieces of `pieceSize` bytes (the last may be shorter).
private func streamed(
  _ document: String, schema: XMLSchema, pieceSize: Int = .max, observer: (any XMLElementObserver)? = nil
) -> [XMLDiagnostic] {
  streamed(Array(document.utf8), schema: schema, pieceSize: pieceSize, observer: observer)
}

/// Validates a document fed in pieces that begin at the given offsets.
private func streamed(
  _ document: [UInt8], schema: XMLSchema, cuts: [Int], observer: (any XMLElementObserver)? = nil
) -> [XMLDiagnostic] {
  let validator = XMLStreamValidator(schema: schema, name: "r.xml", observer: observer)
  document.withUnsafeBytes { bytes in
    let ends = cuts.dropFirst() + [bytes.count]
    for (start, end) in zip(cuts, ends) where start < end {
      validator.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }
  }
  return validator.finish()
}

/// The 1-based line and column of the first occurrence of `text`, counting columns in characters.
private func position(of text: String, in document: String) throws -> [Int] {
  let found = try #require(document.range(of: text))
  let before = document[..<found.lowerBound]
  let lineStart = before.lastIndex(of: "\n").map { document.index(after: $0) } ?? document.startIndex
  return [before.count(where: { $0 == "\n" }) + 1, document[lineStart..<found.lowerBound].count + 1]
}

/// The piece sizes the tests feed documents in: whole, a byte at a time, an odd size, and the product's 64 KiB.
private let pieceSizes = [Int.max, 1, 7, 65536]

/// A schema with a pattern, a required child and a typed text, for the errors that `ownSchema()` cannot show.
private func patternSchema() throws -> XMLSchema {
  try XMLSchema(
    source: """
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:element name="r">
          <xs:complexType>
            <xs:sequence><xs:element name="c" type="xs:decimal" maxOccurs="unbounded"/></xs:sequence>
            <xs:attribute name="id" use="required">
              <xs:simpleType>
                <xs:restriction base="xs:string"><xs:pattern value="[a-z]+"/></xs:restriction>
              </xs:simpleType>
            </xs:attribute>
          </xs:complexType>
        </xs:element>
      </xs:schema>
      """,
    name: "pattern.xsd")
}

/// Reports every element's start (with its attributes) and end, so the diagnostics are the events the observer saw.
private struct EchoObserver: XMLElementObserver {
  func elementStarted(_ name: String, attributes: [XMLAttribute]) -> String? {
    "start \(name)" + attributes.map { " \($0.name)=\($0.value.debugDescription)" }.joined()
  }

  func elementEnded(_ name: String) -> String? {
    "end \(name)"
  }
}

/// The rule the product checks beside the schema: a `testsuite`'s `tests` attribute counts its `testcase`s.
private struct TestCountObserver: XMLElementObserver {
  private var suites: [(declared: Int?, counted: Int)] = []

  mutating func elementStarted(_ name: String, attributes: [XMLAttribute]) -> String? {
    if name == "testsuite" {
      suites.append((attributes.first { $0.name == "tests" }.flatMap { Int($0.value) }, 0))
    } else if name == "testcase", !suites.isEmpty {
      suites[suites.count - 1].counted += 1
    }
    return nil
  }

  mutating func elementEnded(_ name: String) -> String? {
    guard name == "testsuite", let suite = suites.popLast(), let declared = suite.declared, declared != suite.counted
    else {
      return nil
    }
    return "tests=\"\(declared)\" but \(suite.counted) testcase elements"
  }
}

/// Diagnostics handed from the thread that made them to the test.
private final class DiagnosticsBox: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [XMLDiagnostic]?
  var diagnostics: [XMLDiagnostic]? {
    get { lock.withLock { stored } }
    set { lock.withLock { stored = newValue } }
  }
}

@Suite struct XMLStreamValidatorTests {
  @Test(arguments: pieceSizes)
  func validDocumentHasNoDiagnosticsInAnyPieces(pieceSize: Int) throws {
    #expect(streamed(ownDocument, schema: try ownSchema(), pieceSize: pieceSize) == [])
  }

  @Test(.needsJUnitContract, arguments: pieceSizes)
  func referenceDocumentIsValidInAnyPieces(pieceSize: Int) throws {
    let schema = try publicSchema("junit-jenkins.xsd")
    #expect(streamed(try referenceDocument(), schema: schema, pieceSize: pieceSize) == [])
  }

  struct Malformed: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var document: [UInt8]
    var expected: String
  }

  static let malformed: [Malformed] = [
    Malformed(
      testDescription: "unclosed tag",
      document: Array("<testsuites>\n  <testsuite name=\"a\" tests=\"0\" failures=\"0\">\n</testsuites>".utf8),
      expected: "r.xml:3:14: error: Opening and ending tag mismatch: testsuite line 2 and testsuites"),
    Malformed(
      testDescription: "document ends inside an element",
      document: Array("<testsuites>\n  <testsuite name=\"a\" tests=\"0\" failures=\"0\">\n".utf8),
      expected: "r.xml:3:1: error: Premature end of data in tag testsuite"),
    Malformed(
      testDescription: "raw ampersand",
      document: Array(ownDocument.replacingOccurrences(of: "Allowed: 0", with: "Allowed & 0").utf8),
      expected: "r.xml:7:10: error: xmlParseEntityRef: no name"),
    Malformed(
      testDescription: "invalid UTF-8",
      document: Array(ownDocument.replacingOccurrences(of: "findings\nAllowed", with: "findingsX\nAllowed").utf8)
        .map { $0 == UInt8(ascii: "X") ? 0xFF : $0 },
      expected: "r.xml:6:104: error: Input is not proper UTF-8, indicate encoding !\nBytes: 0xFF 0x0A 0x41 0x6C"),
    Malformed(
      testDescription: "character reference to U+FFFE",
      document: Array(ownDocument.replacingOccurrences(of: "Allowed: 0", with: "Allowed: &#xFFFE;").utf8),
      expected: "r.xml:7:18: error: xmlParseCharRef: invalid xmlChar value 65534"),
    Malformed(testDescription: "empty input", document: [], expected: "r.xml:1:1: error: Document is empty"),
    Malformed(
      testDescription: "white space only", document: Array(" \n ".utf8),
      expected: "r.xml:2:2: error: Start tag expected, '<' not found"),
    Malformed(
      testDescription: "XML declaration only", document: Array("<?xml version=\"1.0\"?>".utf8),
      expected: "r.xml:1:22: error: Start tag expected, '<' not found"),
  ]

  @Test(arguments: malformed, [Int.max, 1, 7])
  func notWellFormedDocumentReportsItsFirstErrorWithLineAndColumn(malformed: Malformed, pieceSize: Int) throws {
    let diagnostics = streamed(malformed.document, schema: try ownSchema(), pieceSize: pieceSize)
    #expect(diagnostics.map(\.description) == [malformed.expected])
  }

  /// Schema errors at start tags: on one line, over two lines, and after a text that moves the parser on.
  private static let invalidDocument = """
    <testsuites>
      <testsuite name="a" tests="2" failures="0">
        <testcase name="é"
            classname="c" time="abc"/><bogus/>
      </testsuite>
      <testsuite name="b" tests="0">
      </testsuite>
    </testsuites>

    """

  @Test(arguments: [Int.max, 1, 7])
  func schemaErrorsPointAtTheStartTag(pieceSize: Int) throws {
    let document = Self.invalidDocument
    let diagnostics = streamed(document, schema: try ownSchema(), pieceSize: pieceSize)
    #expect(diagnostics.map(\.message) == schemaErrorMessages)
    #expect(
      diagnostics.map { [$0.line, $0.column] } == [
        try position(of: "<testcase name=\"é\"", in: document), try position(of: "<bogus", in: document),
        try position(of: "<testsuite name=\"b\"", in: document),
      ])
  }

  private var schemaErrorMessages: [String] {
    [
      "Element 'testcase', attribute 'time': 'abc' is not a valid value of the atomic type 'xs:decimal'.",
      "Element 'bogus': This element is not expected. Expected is ( testcase ).",
      "Element 'testsuite': The attribute 'failures' is required but missing.",
    ]
  }

  @Test func schemaErrorsPointAtTheStartTagWhenItStraddlesTwoPieces() throws {
    let schema = try ownSchema()
    let bytes = Array(Self.invalidDocument.utf8)
    let expected = schema.validate(bytes, name: "r.xml")
    #expect(expected.map(\.message) == schemaErrorMessages)
    for tag in ["<bogus/>", "<testcase name=\"é\"\n        classname=\"c\" time=\"abc\"/>", "<testsuite name=\"b\""] {
      let start = try #require(Self.invalidDocument.utf8.firstRange(of: tag.utf8)?.lowerBound)
      let offset = Self.invalidDocument.utf8.distance(from: Self.invalidDocument.utf8.startIndex, to: start)
      for cut in offset...(offset + tag.utf8.count) {
        #expect(streamed(bytes, schema: schema, cuts: [0, cut]) == expected, "cut at \(cut) in \(tag)")
      }
    }
  }

  @Test(arguments: [Int.max, 1, 7])
  func patternViolationPointsAtTheStartTag(pieceSize: Int) throws {
    let document = "<?xml version=\"1.0\"?>\n<!-- x -->\n  <r\n  id=\"A1\"><c>1</c></r>"
    let schema = try patternSchema()
    let diagnostics = streamed(document, schema: schema, pieceSize: pieceSize)
    #expect(diagnostics == schema.validate(document, name: "r.xml"))
    #expect(
      diagnostics.map(\.description) == [
        "r.xml:3:3: error: Element 'r', attribute 'id': [facet 'pattern'] The value 'A1' is not accepted by the "
          + "pattern '[a-z]+'."
      ])
  }

  /// The documented difference from the tree validator: what is found at an element's end points at the end.
  @Test func errorsFoundAtTheEndPointAtTheEndTagOrAfterTheText() throws {
    let schema = try patternSchema()
    let missingChild = "<r id=\"a\">\n  </r>"
    #expect(schema.validate(missingChild, name: "r.xml").map { [$0.line, $0.column] } == [[1, 1]])
    #expect(
      streamed(missingChild, schema: schema).map(\.description) == [
        "r.xml:2:3: error: Element 'r': Missing child element(s). Expected is ( c )."
      ])
    let badText = "<r id=\"a\">\n  <c>1</c> <c>x</c></r>"
    #expect(schema.validate(badText, name: "r.xml").map { [$0.line, $0.column] } == [[2, 12]])
    #expect(
      streamed(badText, schema: schema, pieceSize: 1).map(\.description) == [
        "r.xml:2:16: error: Element 'c': 'x' is not a valid value of the atomic type 'xs:decimal'."
      ])
    let textInElementOnly =
      "<testsuites>\n  <testsuite name=\"a\" tests=\"0\" failures=\"0\">text\n  </testsuite>\n</testsuites>"
    #expect(
      streamed(textInElementOnly, schema: try ownSchema()).map { [$0.line, $0.column] } == [[3, 3]])
  }

  @Test(arguments: [Int.max, 1, 7])
  func documentTypeIsRefused(pieceSize: Int) throws {
    let schema = try ownSchema()
    for document in [
      "<?xml version=\"1.0\"?>\n <!DOCTYPE testsuites>\n<testsuites/>",
      "<?xml version=\"1.0\"?>\n <!DOCTYPE testsuites [<!ENTITY x \"<bogus/>\">]>\n<testsuites>&x;<bogus/></testsuites>",
    ] {
      #expect(
        streamed(document, schema: schema, pieceSize: pieceSize).map(\.description) == [
          "r.xml:2:2: error: a DOCTYPE is not allowed"
        ])
    }
  }

  @Test(arguments: ["", "file://"])
  func externalEntityFileIsNeverOpened(scheme: String) throws {
    let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("xml-stream-\(UUID().uuidString)").path
    #expect(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    let schema = try ownSchema()
    let document = "<!DOCTYPE r [<!ENTITY x SYSTEM \"\(scheme)\(fifo)\">]><r>&x;</r>"
    let box = DiagnosticsBox()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      box.diagnostics = streamed(document, schema: schema)
      done.signal()
    }
    if done.wait(timeout: .now() + 10) == .timedOut {
      // libxml2 waits in open() for a writer: give it one that writes nothing, so that the thread ends.
      close(open(fifo, O_WRONLY | O_NONBLOCK))
      Issue.record("libxml2 opened the external entity's file")
      done.wait()
    }
    // Opening a FIFO for writing without blocking fails when nobody has it open for reading.
    let writer = open(fifo, O_WRONLY | O_NONBLOCK)
    #expect(writer == -1)
    if writer >= 0 {
      close(writer)
    }
    #expect(box.diagnostics?.map(\.message) == ["a DOCTYPE is not allowed"])
  }

  @Test func externalDTDAndEntitiesStayOffTheNetwork() throws {
    let listener = try LocalListener()
    defer { listener.stop() }
    let base = "http://127.0.0.1:\(listener.port)"
    let schema = try ownSchema()
    for document in [
      "<!DOCTYPE r [<!ENTITY x SYSTEM \"\(base)/x\">]><r>&x;</r>",
      "<!DOCTYPE testsuites SYSTEM \"\(base)/x.dtd\"><testsuites/>",
      "<!DOCTYPE r [<!ENTITY % p SYSTEM \"\(base)/p\"> %p;]><r/>",
    ] {
      #expect(streamed(document, schema: schema).map(\.message) == ["a DOCTYPE is not allowed"])
    }
    #expect(listener.stop() == 0)
  }

  @Test func diagnosticsStopAtTwentyAndCountTheRest() throws {
    let testcases = String(repeating: "<testcase name=\"x\" classname=\"c\" time=\"1\" bogus=\"1\"/>\n", count: 50)
    let document =
      "<testsuites><testsuite name=\"a\" tests=\"50\" failures=\"0\">\n\(testcases)</testsuite></testsuites>"
    let diagnostics = streamed(document, schema: try ownSchema(), pieceSize: 65536)
    #expect(diagnostics.count == 21)
    #expect(diagnostics.dropLast().map(\.line) == Array(2...21))
    #expect(diagnostics.last?.description == "r.xml: error: … and 30 more errors")
  }

  @Test(arguments: [Int.max, 1, 7])
  func observerSeesEveryElementWithDecodedAttributesAndItsMessagesArePlaced(pieceSize: Int) throws {
    let document = """
      <testsuites>
        <testsuite name="a &amp; b &#38; c &lt; &#x41;&#10;x\ty" tests="0"
          failures="0"><testcase name="é" classname="c" time="1"/>
        </testsuite>
      </testsuites>
      """
    let diagnostics = streamed(document, schema: try ownSchema(), pieceSize: pieceSize, observer: EchoObserver())
    #expect(
      diagnostics.map(\.description) == [
        "r.xml:1:1: error: start testsuites",
        #"r.xml:2:3: error: start testsuite name="a & b & c < A\nx y" tests="0" failures="0""#,
        #"r.xml:3:18: error: start testcase name="é" classname="c" time="1""#,
        "r.xml:3:18: error: end testcase",
        "r.xml:2:3: error: end testsuite",
        "r.xml:1:1: error: end testsuites",
      ])
  }

  @Test func observerMessagesComeInDocumentOrderWithSchemaErrors() throws {
    let document = """
      <testsuites>
        <testsuite name="a" tests="3" failures="0">
          <testcase name="x" classname="c" time="1" bogus="1"/>
        </testsuite>
        <testsuite name="b" tests="0" failures="0"/>
      </testsuites>
      """
    let diagnostics = streamed(document, schema: try ownSchema(), pieceSize: 7, observer: TestCountObserver())
    #expect(
      diagnostics.map(\.description) == [
        "r.xml:3:5: error: Element 'testcase', attribute 'bogus': The attribute 'bogus' is not allowed.",
        "r.xml:2:3: error: tests=\"3\" but 1 testcase elements",
      ])
  }

  @Test func observerStopsAtTheFirstFatalError() throws {
    let diagnostics = streamed(
      "<testsuites>\n<testsuite>\n</testsuites>", schema: try ownSchema(), observer: EchoObserver())
    #expect(
      diagnostics.map(\.message) == [
        "start testsuites", "start testsuite",
        "Element 'testsuite': The attribute 'name' is required but missing.",
        "Element 'testsuite': The attribute 'tests' is required but missing.",
        "Element 'testsuite': The attribute 'failures' is required but missing.",
        "Opening and ending tag mismatch: testsuite line 2 and testsuites",
      ])
  }

  /// Documents from `ownDocument`, each changed by one or two edits that break the schema or well-formedness.
  private static var editedDocuments: [String] {
    let edits: [(String, String)] = [
      ("<testsuites>", "<testsuites bogus=\"1\">"),
      ("tests=\"2\"", "tests=\"two\""),
      (" name=\"Run 1\"", ""),
      ("time=\"0.000\"/>", "time=\"x\"/>"),
      ("classname=\"aws-inspector.run\" time=\"0.000\">", "time=\"0.000\">"),
      ("type=\"inspector.findings\"", "type=\"a\" other=\"b\""),
      ("    </testcase>", "    <bogus/></testcase>"),
      ("  </testsuite>", "  <testcase/></testsuite>"),
      ("</testsuites>", "</testsuites><extra/>"),
      ("Allowed: 0", "Allowed: &#1;"),
      ("</failure>", "</failur>"),
      ("\"Run 1\"", "\"Run <1\""),
    ]
    var documents: [String] = []
    for (index, first) in edits.enumerated() {
      let once = ownDocument.replacingOccurrences(of: first.0, with: first.1)
      documents.append(once)
      for second in edits[(index + 1)...] {
        documents.append(once.replacingOccurrences(of: second.0, with: second.1))
      }
    }
    return documents
  }

  /// Where both apply, the stream gives what the tree validator gives; for a document that is not well-formed, the
  /// tree validator's first error (the stream stops there), after the schema errors found before it.
  @Test(arguments: [Int.max, 7, 65536])
  func streamAgreesWithTheTreeValidator(pieceSize: Int) throws {
    let schema = try ownSchema()
    var malformed = 0
    for document in Self.editedDocuments {
      let tree = schema.validate(document, name: "r.xml")
      let stream = streamed(document, schema: schema, pieceSize: pieceSize)
      let fatal = tree.first { !$0.message.hasPrefix("Element ") }
      if let fatal {
        malformed += 1
        #expect(stream.last == fatal, "\(document)")
        #expect(stream.dropLast().allSatisfy { $0.message.hasPrefix("Element ") }, "\(document)")
      } else {
        #expect(stream == tree, "\(document)")
      }
    }
    #expect(malformed > 10)
    #expect(Self.editedDocuments.count == 78)
  }

  /// A JUnit document of `count` testcases, each on its own line, in `ownSchema()`'s vocabulary.
  private func largeDocument(testcases count: Int, lastTestcase: String) -> String {
    var document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
    document += "  <testsuite name=\"big\" tests=\"\(count)\" failures=\"\(count)\">\n"
    let testcase = """
          <testcase name="finding NUMBER on i-0123456789abcdef0 é" classname="aws-inspector.cve" time="0.000">\
      <failure message="High: CVE-2024-NUMBER &amp; more" type="High">High: CVE-2024-NUMBER
      Recommendation: update &lt;openssl&gt;</failure></testcase>

      """
    for number in 0..<(count - 1) {
      document += testcase.replacingOccurrences(of: "NUMBER", with: String(number))
    }
    return document + lastTestcase + "\n  </testsuite>\n</testsuites>\n"
  }

  @Test func multiMegabyteDocumentInPiecesOf64KiB() throws {
    let schema = try ownSchema()
    let valid = largeDocument(testcases: 20_000, lastTestcase: "<testcase name=\"l\" classname=\"c\" time=\"1\"/>")
    #expect(valid.utf8.count > 4_000_000)
    #expect(streamed(valid, schema: schema, pieceSize: 65536) == [])
    #expect(streamed(valid, schema: schema, pieceSize: 65536, observer: TestCountObserver()) == [])
    let invalid = largeDocument(
      testcases: 20_000, lastTestcase: "   <testcase name=\"l\"\n classname=\"c\" time=\"1\" bogus=\"1\"/>")
    let diagnostics = streamed(invalid, schema: schema, pieceSize: 65536, observer: TestCountObserver())
    #expect(diagnostics.map { [$0.line, $0.column] } == [[40_002, 4]])
    #expect(diagnostics == schema.validate(invalid, name: "r.xml"))
    #expect(
      diagnostics.map(\.message) == ["Element 'testcase', attribute 'bogus': The attribute 'bogus' is not allowed."])
  }

  @Test func piecesFedFromSeveralThreadsStaySilentAndRestoreEachThreadsHandlers() throws {
    let schema = try ownSchema()
    let documents = [
      ownDocument, "<a><b></a>", "<testsuites bogus=\"1\"/>",
      "<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x.dtd\"><a>&undeclared;</a>",
      "<testsuites>&undeclared;</testsuites>",
    ]
    var results: [[XMLDiagnostic]] = []
    let captured = try captureStandardError {
      for document in documents {
        let validator = XMLStreamValidator(schema: schema, name: "r.xml")
        let bytes = Array(document.utf8)
        for start in stride(from: 0, to: bytes.count, by: 5) {
          let done = DispatchSemaphore(value: 0)
          let piece = Array(bytes[start..<min(bytes.count, start + 5)])
          Thread.detachNewThread {
            let genericBefore = CLibXML2_genericErrorHandler()
            piece.withUnsafeBytes { validator.feed($0) }
            #expect(CLibXML2_genericErrorHandler() == genericBefore)
            #expect(CLibXML2_structuredErrorHandler() == nil)
            done.signal()
          }
          done.wait()
        }
        results.append(validator.finish())
      }
    }
    #expect(results.map(\.isEmpty) == [true, false, false, false, false])
    for (document, diagnostics) in zip(documents, results) {
      #expect(diagnostics == streamed(document, schema: schema), "\(document)")
    }
    // The markers are libxml2's own prefixes, which the test runner's reports on stderr never contain.
    for marker in ["parser error", "validity error", "namespace error", "I/O error", "Unimplemented"] {
      #expect(!captured.contains(marker), "libxml2 printed: \(captured)")
    }
  }

  @Test func finishIsFinalAndRepeatable() throws {
    let validator = XMLStreamValidator(schema: try ownSchema(), name: "r.xml")
    Array("<testsuites/>".utf8).withUnsafeBytes { validator.feed($0) }
    #expect(validator.finish() == [])
    Array("<bogus/>".utf8).withUnsafeBytes { validator.feed($0) }
    #expect(validator.finish() == [])
  }
}

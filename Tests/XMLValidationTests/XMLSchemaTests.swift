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

/// A public JUnit schema, read from the shared folder: third-party, not carried in the repository.
func publicSchema(_ file: String) throws -> XMLSchema {
  try XMLSchema(contentsOf: Shared.file("schemas/\(file)"))
}

/// The reference document in the JUnit contract's ```xml fence (the shared folder's JUNIT.md).
func referenceDocument() throws -> String {
  let contract = try String(contentsOf: Shared.file("JUNIT.md"), encoding: .utf8)
  let opening = try #require(contract.range(of: "```xml\n"))
  let closing = try #require(contract.range(of: "\n```", range: opening.upperBound..<contract.endIndex))
  return String(contract[opening.upperBound..<closing.lowerBound]) + "\n"
}

/// A small JUnit-like schema of our own, for the tests of the validator that need some schema but not a public one:
/// `testsuites` without attributes, `testsuite` needing `name`, `tests` and `failures`, `testcase` taking exactly
/// `name`, `classname` and `time` and holding at most a `failure`.
func ownSchema() throws -> XMLSchema {
  try XMLSchema(
    source: """
      <?xml version="1.0" encoding="UTF-8"?>
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:element name="testsuites">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="testsuite" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="testcase" minOccurs="0" maxOccurs="unbounded">
                      <xs:complexType>
                        <xs:sequence>
                          <xs:element name="failure" minOccurs="0">
                            <xs:complexType>
                              <xs:simpleContent>
                                <xs:extension base="xs:string">
                                  <xs:attribute name="message" type="xs:string" use="required"/>
                                  <xs:attribute name="type" type="xs:string" use="required"/>
                                </xs:extension>
                              </xs:simpleContent>
                            </xs:complexType>
                          </xs:element>
                        </xs:sequence>
                        <xs:attribute name="name" type="xs:string" use="required"/>
                        <xs:attribute name="classname" type="xs:string" use="required"/>
                        <xs:attribute name="time" type="xs:decimal" use="required"/>
                      </xs:complexType>
                    </xs:element>
                  </xs:sequence>
                  <xs:attribute name="name" type="xs:string" use="required"/>
                  <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
                  <xs:attribute name="failures" type="xs:nonNegativeInteger" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:schema>
      """,
    name: "own.xsd")
}

/// A document valid against `ownSchema()`, with a failure's text on line 7.
let ownDocument = """
  <?xml version="1.0" encoding="UTF-8"?>
  <testsuites>
    <testsuite name="Run 1" tests="2" failures="1">
      <testcase name="run-state" classname="aws-inspector.run" time="0.000"/>
      <testcase name="findings-High" classname="aws-inspector.run" time="0.000">
        <failure message="14 High findings, at most 0 allowed" type="inspector.findings">14 High findings
  Allowed: 0</failure>
      </testcase>
    </testsuite>
  </testsuites>

  """

extension Trait where Self == ConditionTrait {
  /// Runs a test of the JUnit contract only where the shared folder, which holds it, is beside the repository.
  static var needsJUnitContract: Self {
    .enabled(
      if: Shared.isPresent,
      "needs ../shared/JUNIT.md and ../shared/schemas: the JUnit contract and the public JUnit schemas (not in the repository)"
    )
  }
}

@Suite struct XMLSchemaTests {
  @Test(.needsJUnitContract, arguments: ["junit-jenkins.xsd", "junit-ant.xsd"])
  func referenceDocumentIsValid(schemaFile: String) throws {
    let schema = try publicSchema(schemaFile)
    #expect(schema.validate(try referenceDocument(), name: "TEST-reference.xml") == [])
  }

  @Test(.needsJUnitContract)
  func skippedOnTestsuitesFailsJenkinsWithLineAndColumn() throws {
    let document = try referenceDocument()
      .replacingOccurrences(of: "<testsuites>", with: "  <testsuites name=\"x\" skipped=\"1\">")
    let diagnostics = try publicSchema("junit-jenkins.xsd").validate(document, name: "report.xml")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.line == 2)
    #expect(diagnostic.column == 3)
    #expect(diagnostic.message.contains("'skipped'"))
    #expect(diagnostic.description.hasPrefix("report.xml:2:3: error: Element 'testsuites', attribute 'skipped'"))
  }

  @Test func ownDocumentIsValid() throws {
    #expect(try ownSchema().validate(ownDocument, name: "own.xml") == [])
  }

  @Test func errorsInsideMultiLineAndNonASCIIContentPointAtTheStartTag() throws {
    let document = """
      <testsuites>
        <testsuite name="é €"
            tests="1"><testcase name="ü" classname="c" time="0.000" bogus="1"/></testsuite>
      </testsuites>
      """
    let diagnostics = try ownSchema().validate(document, name: "r.xml")
    let positions = diagnostics.map { [$0.line, $0.column] }
    #expect(positions.contains([2, 3]), "testsuite lacks required attributes: \(diagnostics)")
    #expect(positions.contains([3, 17]), "testcase has an unknown attribute: \(diagnostics)")
  }

  @Test func notWellFormedDocumentReportsLineAndColumn() throws {
    let diagnostics = try ownSchema().validate("<a>\n<b></a>", name: "broken.xml")
    let first = try #require(diagnostics.first)
    #expect(first.line == 2)
    #expect(first.column > 0)
    #expect(first.message.contains("mismatch"))
  }

  @Test func characterReferenceToU0001IsRejected() throws {
    let document = ownDocument.replacingOccurrences(of: "Allowed: 0", with: "Allowed: &#1;")
    let diagnostics = try ownSchema().validate(document, name: "r.xml")
    let first = try #require(diagnostics.first)
    #expect(first.message.contains("invalid xmlChar value 1"))
    #expect(first.line == 7)
    #expect(first.column > 0)
  }

  @Test func emptyDocumentIsRejected() throws {
    #expect(
      try ownSchema().validate([], name: "e.xml").map(\.description) == [
        "e.xml:1:1: error: Document is empty"
      ])
  }

  @Test func externalDTDAndEntitiesStayOffTheNetworkAndUnexpanded() throws {
    let listener = try LocalListener()
    defer { listener.stop() }
    let base = "http://127.0.0.1:\(listener.port)"
    let document = """
      <!DOCTYPE testsuites SYSTEM "\(base)/x.dtd" [
        <!ENTITY remote SYSTEM "\(base)/entity">
        <!ENTITY % parameter SYSTEM "\(base)/parameter">
        %parameter;
      ]>
      <testsuites>&remote;</testsuites>
      """
    let plain = "<!DOCTYPE a SYSTEM \"\(base)/x.dtd\"><a/>"
    let schema = try ownSchema()
    #expect(schema.validate(document, name: "dtd.xml") != [])
    #expect(schema.validate(plain, name: "plain.xml") != [])
    #expect(listener.stop() == 0)
  }

  @Test func localExternalEntityIsNotExpanded() throws {
    let entityFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("xml-validation-entity-\(UUID().uuidString).xml")
    try Data("<bogus/>".utf8).write(to: entityFile)
    defer { try? FileManager.default.removeItem(at: entityFile) }
    let document = """
      <!DOCTYPE testsuites [<!ENTITY local SYSTEM "\(entityFile.absoluteString)">]>
      <testsuites>&local;</testsuites>
      """
    let diagnostics = try ownSchema().validate(document, name: "entity.xml")
    #expect(!diagnostics.isEmpty)
    #expect(!diagnostics.contains { $0.message.contains("bogus") })
  }

  @Test func invalidSchemaReportsPosition() throws {
    let source = """
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:element name="a" type="xs:nope"/>
      </xs:schema>
      """
    let error = try #require(throws: XMLValidationError.self) { try XMLSchema(source: source, name: "bad.xsd") }
    guard case .invalidSchema(let name, let diagnostics) = error else {
      Issue.record("unexpected error \(error)")
      return
    }
    #expect(name == "bad.xsd")
    #expect(diagnostics.map { [$0.line, $0.column] } == [[2, 3]])
    #expect(error.localizedDescription.contains("bad.xsd:2:3: error: element decl. 'a'"))
  }

  @Test func notWellFormedSchemaReportsPosition() throws {
    let source = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"a\">\n</xs:schema>"
    let error = try #require(throws: XMLValidationError.self) { try XMLSchema(source: source, name: "bad.xsd") }
    guard case .invalidSchema(_, let diagnostics) = error else {
      Issue.record("unexpected error \(error)")
      return
    }
    let first = try #require(diagnostics.first)
    #expect(first.line == 3)
    #expect(first.column > 0)
  }

  @Test func networkSchemaLocationIsRejected() throws {
    let source = """
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:import namespace="urn:x" schemaLocation="http://127.0.0.1:9/x.xsd"/>
      </xs:schema>
      """
    let error = try #require(throws: XMLValidationError.self) { try XMLSchema(source: source, name: "net.xsd") }
    guard case .invalidSchema(_, let diagnostics) = error else {
      Issue.record("unexpected error \(error)")
      return
    }
    #expect(diagnostics.map { [$0.line, $0.column] } == [[2, 3]])
  }

  @Test func missingSchemaFileIsUnreadable() {
    let url = URL(fileURLWithPath: "/nonexistent/schema.xsd")
    #expect {
      try XMLSchema(contentsOf: url)
    } throws: { error in
      guard case .unreadableFile(let path, _) = error as? XMLValidationError else {
        return false
      }
      return path == "/nonexistent/schema.xsd"
    }
  }

  @Test func concurrentValidationGivesTheSameResultsAsSerial() async throws {
    let schema = try ownSchema()
    let documents = (0..<16).map { index -> String in
      switch index % 4 {
      case 0: ownDocument
      case 1: ownDocument.replacingOccurrences(of: "<testsuites>", with: "<testsuites skipped=\"\(index)\">")
      case 2: String(repeating: "\n", count: index) + "<a><b></a>"
      default: ownDocument.replacingOccurrences(of: "tests=\"2\"", with: "tests=\"2\" bogus=\"\(index)\"")
      }
    }
    let expected = documents.enumerated().map { schema.validate($1, name: "doc\($0).xml") }
    #expect(expected.filter(\.isEmpty).count == 4)
    let results = await withTaskGroup(of: (Int, [XMLDiagnostic]).self) { group in
      for round in 0..<8 {
        for (index, document) in documents.enumerated() where (index + round) % 2 == 0 {
          group.addTask { (index, schema.validate(document, name: "doc\(index).xml")) }
        }
      }
      var collected: [(Int, [XMLDiagnostic])] = []
      for await result in group {
        collected.append(result)
      }
      return collected
    }
    #expect(results.count == 64)
    for (index, diagnostics) in results {
      #expect(diagnostics == expected[index])
    }
  }

  @Test func libxml2NeverWritesToStderrAndThreadHandlersAreRestored() throws {
    let schema = try ownSchema()
    // A caller's own per-thread handler must be neither called nor replaced.
    let calls = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    calls.initialize(to: 0)
    defer { calls.deallocate() }
    let foreignContext = UnsafeMutableRawPointer(calls)
    xmlSetStructuredErrorFunc(foreignContext) { context, _ in
      context?.assumingMemoryBound(to: Int.self).pointee += 1
    }
    defer { xmlSetStructuredErrorFunc(nil, nil) }
    let genericBefore = CLibXML2_genericErrorHandler()
    let captured = try captureStandardError {
      _ = schema.validate("<a><b></a>", name: "broken.xml")
      _ = schema.validate("<testsuites bogus=\"1\"/>", name: "invalid.xml")
      _ = schema.validate("<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x.dtd\"><a>&undeclared;</a>", name: "dtd.xml")
      _ = try? XMLSchema(source: "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><oops", name: "s.xsd")
      _ = try? XMLSchema(
        source: """
          <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="/nonexistent.xsd"/>\
          </xs:schema>
          """,
        name: "i.xsd")
    }
    #expect(CLibXML2_structuredErrorContext() == foreignContext)
    #expect(CLibXML2_genericErrorHandler() == genericBefore)
    #expect(calls.pointee == 0)
    for marker in ["error", "mismatch", "validity", "warning", "oops", "nonexistent"] {
      #expect(!captured.contains(marker), "libxml2 printed: \(captured)")
    }
  }
}

/// Runs `body` with file descriptor 2 sent to a temporary file and returns what was written to it.
func captureStandardError(_ body: () throws -> Void) throws -> String {
  let file = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
  #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
  defer { try? FileManager.default.removeItem(at: file) }
  let handle = try FileHandle(forWritingTo: file)
  defer { try? handle.close() }
  fflush(nil)
  let saved = dup(STDERR_FILENO)
  #expect(saved >= 0)
  dup2(handle.fileDescriptor, STDERR_FILENO)
  do {
    defer {
      fflush(nil)
      dup2(saved, STDERR_FILENO)
      close(saved)
    }
    try body()
  }
  return String(decoding: FileManager.default.contents(atPath: file.path) ?? Data(), as: UTF8.self)
}

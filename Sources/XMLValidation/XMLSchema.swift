import CLibXML2
import Foundation

/// A compiled W3C XML Schema that validates documents in memory with libxml2.
///
/// An instance never changes after initialisation. libxml2 only reads a compiled schema while validating, and each
/// call to ``validate(_:name:)`` builds its own parser and validation context and collects its own errors, so one
/// instance may validate documents from several threads at once.
///
/// Neither schemas nor documents are allowed to reach the network (`XML_PARSE_NONET`), external DTDs are not
/// loaded and entities are not substituted. libxml2 never prints: its messages become ``XMLDiagnostic`` values.
public final class XMLSchema: @unchecked Sendable {
  /// The name used for the schema in diagnostics.
  public let name: String
  private let schema: xmlSchemaPtr
  // Compiled components may point back into the schema tree (libxml2 keeps the tree when it parses the schema
  // itself), so the tree is freed only with the schema.
  private let schemaTree: xmlDocPtr

  /// Loads and compiles the schema in a file.
  /// - Parameter url: The location of the `.xsd` file; relative `xs:include`/`xs:import` locations resolve against it.
  /// - Throws: ``XMLValidationError/unreadableFile(path:reason:)``, or
  ///   ``XMLValidationError/invalidSchema(name:diagnostics:)`` whose diagnostics carry line and column.
  public convenience init(contentsOf url: URL) throws(XMLValidationError) {
    let bytes: [UInt8]
    do {
      bytes = try [UInt8](Data(contentsOf: url))
    } catch {
      throw .unreadableFile(path: url.path, reason: error.localizedDescription)
    }
    try self.init(bytes: bytes, name: url.path, baseURL: url)
  }

  /// Compiles a schema held in memory.
  /// - Parameters:
  ///   - source: The schema document's bytes.
  ///   - name: The name used for the schema in diagnostics.
  /// - Throws: ``XMLValidationError/invalidSchema(name:diagnostics:)`` whose diagnostics carry line and column.
  public convenience init(source: [UInt8], name: String) throws(XMLValidationError) {
    try self.init(bytes: source, name: name, baseURL: nil)
  }

  /// Compiles a schema held in a string.
  /// - Parameters:
  ///   - source: The schema document's text.
  ///   - name: The name used for the schema in diagnostics.
  /// - Throws: ``XMLValidationError/invalidSchema(name:diagnostics:)`` whose diagnostics carry line and column.
  public convenience init(source: String, name: String) throws(XMLValidationError) {
    try self.init(bytes: Array(source.utf8), name: name, baseURL: nil)
  }

  private init(bytes: [UInt8], name: String, baseURL: URL?) throws(XMLValidationError) {
    let collector = DiagnosticCollector(file: name)
    let compiled: (schema: xmlSchemaPtr, tree: xmlDocPtr)? = collector.withThreadErrorHandlers {
      guard let tree = parseTree(bytes, collector: collector) else {
        return nil
      }
      if let baseURL, tree.pointee.URL == nil {
        tree.pointee.URL = UnsafePointer(xmlCharStrdup(baseURL.path))
      }
      collector.rejectNetworkSchemaLocations(in: tree)
      guard collector.diagnostics.isEmpty, let schema = compileSchema(tree, collector: collector) else {
        xmlFreeDoc(tree)
        return nil
      }
      return (schema, tree)
    }
    guard let compiled, collector.diagnostics.isEmpty else {
      if let compiled {
        xmlSchemaFree(compiled.schema)
        xmlFreeDoc(compiled.tree)
      }
      var diagnostics = collector.diagnostics
      if diagnostics.isEmpty {
        let message = "libxml2 could not compile the schema"
        diagnostics.append(XMLDiagnostic(file: name, line: 0, column: 0, message: message))
      }
      throw .invalidSchema(name: name, diagnostics: diagnostics)
    }
    self.name = name
    schema = compiled.schema
    schemaTree = compiled.tree
  }

  deinit {
    xmlSchemaFree(schema)
    xmlFreeDoc(schemaTree)
  }

  /// Checks that a document is well-formed and valid against this schema.
  /// - Parameters:
  ///   - document: The document's bytes; the encoding is detected as the XML specification describes.
  ///   - name: The name used for the document in diagnostics.
  /// - Returns: Every error found, in the order libxml2 reported them; empty when the document is valid.
  ///   A document that is not well-formed yields its parse errors and is not validated further.
  public func validate(_ document: [UInt8], name: String) -> [XMLDiagnostic] {
    let collector = DiagnosticCollector(file: name)
    collector.withThreadErrorHandlers {
      guard let tree = parseTree(document, collector: collector) else {
        return
      }
      defer { xmlFreeDoc(tree) }
      guard let context = xmlSchemaNewValidCtxt(schema) else {
        collector.add(message: "libxml2 could not create a validation context")
        return
      }
      defer { xmlSchemaFreeValidCtxt(context) }
      xmlSchemaSetValidStructuredErrors(context, DiagnosticCollector.errorHandler, collector.opaque)
      let reportedBefore = collector.diagnostics.count
      let status = xmlSchemaValidateDoc(context, tree)
      if status != 0, collector.diagnostics.count == reportedBefore {
        collector.add(message: "libxml2 failed to validate the document (status \(status))")
      }
    }
    return collector.diagnostics
  }

  /// Checks that a document held in a string is well-formed and valid against this schema.
  /// - Parameters:
  ///   - document: The document's text, handed to libxml2 as UTF-8, so it should declare no other encoding.
  ///   - name: The name used for the document in diagnostics.
  /// - Returns: Every error found; empty when the document is valid.
  public func validate(_ document: String, name: String) -> [XMLDiagnostic] {
    validate(Array(document.utf8), name: name)
  }
}

/// Initialises libxml2 once per process; Swift initialises a static `let` exactly once, even under contention.
private enum LibXML2 {
  static let initialized: Void = CLibXML2_initialize()
}

/// The parser options for schemas and documents.
///
/// `XML_PARSE_NONET` blocks network access. Leaving out `XML_PARSE_DTDLOAD`, `XML_PARSE_NOENT` and
/// `XML_PARSE_HUGE` keeps external DTDs unloaded, entities unexpanded and libxml2's size limits in force.
private let parseOptions = Int32(XML_PARSE_NONET.rawValue)

/// Parses bytes into a tree, sending errors and start-tag positions to the collector.
/// - Returns: The tree, which the caller frees, or nil when the bytes are not well-formed XML.
private func parseTree(_ bytes: [UInt8], collector: DiagnosticCollector) -> xmlDocPtr? {
  // xmlCreateMemoryParserCtxt refuses empty input without saying why.
  guard !bytes.isEmpty else {
    collector.add(line: 1, column: 1, message: "Document is empty")
    return nil
  }
  guard let size = Int32(exactly: bytes.count) else {
    collector.add(line: 1, column: 1, message: "Document is larger than libxml2 accepts (2 GiB)")
    return nil
  }
  return bytes.withUnsafeBufferPointer { buffer -> xmlDocPtr? in
    let created = buffer.withMemoryRebound(to: CChar.self) { characters in
      characters.baseAddress.flatMap { xmlCreateMemoryParserCtxt($0, size) }
    }
    guard let parser = created else {
      collector.add(message: "libxml2 could not create a parser context")
      return nil
    }
    defer { xmlFreeParserCtxt(parser) }
    xmlCtxtUseOptions(parser, parseOptions)
    // The default SAX2 handlers need the parser context as their user data, so the collector travels in
    // _private, and the handlers installed here belong to this context only.
    parser.pointee._private = collector.opaque
    parser.pointee.sax?.pointee.serror = DiagnosticCollector.parserErrorHandler
    parser.pointee.sax?.pointee.startElementNs = DiagnosticCollector.startElementHandler
    xmlParseDocument(parser)
    let tree = parser.pointee.myDoc
    parser.pointee.myDoc = nil
    guard parser.pointee.wellFormed != 0 else {
      xmlFreeDoc(tree)
      return nil
    }
    if tree == nil {
      collector.add(message: "libxml2 produced no document")
    }
    return tree
  }
}

/// Compiles a parsed schema tree, sending errors to the collector.
/// - Returns: The compiled schema, which the caller frees, or nil when the tree is not a valid schema.
private func compileSchema(_ tree: xmlDocPtr, collector: DiagnosticCollector) -> xmlSchemaPtr? {
  guard let parser = xmlSchemaNewDocParserCtxt(tree) else {
    collector.add(message: "libxml2 could not create a schema parser context")
    return nil
  }
  defer { xmlSchemaFreeParserCtxt(parser) }
  xmlSchemaSetParserStructuredErrors(parser, DiagnosticCollector.errorHandler, collector.opaque)
  return xmlSchemaParse(parser)
}

/// A start tag's place in the source.
private struct SourcePosition {
  var line: Int
  var column: Int
}

/// Gathers libxml2's errors during one parse, compilation or validation.
private final class DiagnosticCollector {
  let file: String
  private(set) var diagnostics: [XMLDiagnostic] = []
  // libxml2 records only a line per element, and schema errors name the element, so the parser hook records
  // where each start tag begins to give those errors a column too.
  private var startTags: [UnsafeMutableRawPointer: SourcePosition] = [:]

  init(file: String) {
    self.file = file
  }

  /// This collector as libxml2 user data; valid while the collector is alive.
  var opaque: UnsafeMutableRawPointer {
    Unmanaged.passUnretained(self).toOpaque()
  }

  /// Receives structured errors whose user data is a collector.
  static var errorHandler: xmlStructuredErrorFunc {
    // The closure's parameter types are inferred: libxml2 2.12 changed the error from xmlErrorPtr to
    // const xmlError *, and both have `pointee`.
    { userData, error in
      guard let userData, let error else {
        return
      }
      Unmanaged<DiagnosticCollector>.fromOpaque(userData).takeUnretainedValue().add(error.pointee)
    }
  }

  /// Receives a parser context's structured errors, whose user data is the context itself.
  static var parserErrorHandler: xmlStructuredErrorFunc {
    { userData, error in
      guard let userData, let error else {
        return
      }
      let parser = userData.assumingMemoryBound(to: xmlParserCtxt.self)
      guard let collector = parser.pointee._private else {
        return
      }
      Unmanaged<DiagnosticCollector>.fromOpaque(collector).takeUnretainedValue().add(error.pointee)
    }
  }

  /// Builds elements as libxml2's SAX2 handler does and records where each start tag begins.
  static var startElementHandler: startElementNsSAX2Func {
    { context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes in
      guard let context else {
        return
      }
      let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
      let parent = parser.pointee.node
      xmlSAX2StartElementNs(
        context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes)
      guard let element = parser.pointee.node, element != parent, let input = parser.pointee.input,
        let collector = parser.pointee._private
      else {
        return
      }
      Unmanaged<DiagnosticCollector>.fromOpaque(collector).takeUnretainedValue()
        .startTags[UnsafeMutableRawPointer(element)] = DiagnosticCollector.startTagPosition(input.pointee)
    }
  }

  /// Where the start tag that the parser has just read begins.
  ///
  /// The parser reports a start tag once its attributes are read, with `cur` at the closing `>` or `/>`. No other
  /// `<` can occur inside a start tag (attribute values may not hold one literally), so the nearest `<` before
  /// `cur` opens the tag. The parser's buffer is always UTF-8, whatever the document's encoding.
  private static func startTagPosition(_ input: xmlParserInput) -> SourcePosition {
    let end = SourcePosition(line: Int(input.line), column: Int(input.col))
    guard let base = input.base, let cur = input.cur, cur > base else {
      return end
    }
    var index = cur - base
    var characters = 0
    var newlines = 0
    repeat {
      index -= 1
      if base[index] & 0xC0 != 0x80 {
        characters += 1
      }
      if base[index] == UInt8(ascii: "\n") {
        newlines += 1
      }
    } while index > 0 && base[index] != UInt8(ascii: "<")
    guard base[index] == UInt8(ascii: "<") else {
      return end
    }
    guard newlines > 0 else {
      return SourcePosition(line: end.line, column: end.column - characters)
    }
    // The tag spans lines, so its column counts from the line break before it.
    var column = 1
    while index > 0 {
      index -= 1
      if base[index] == UInt8(ascii: "\n") {
        return SourcePosition(line: end.line - newlines, column: column)
      }
      if base[index] & 0xC0 != 0x80 {
        column += 1
      }
    }
    // At the buffer's start the count is right only if libxml2 has discarded nothing before it; a UTF-8 byte
    // order mark stays in the buffer but takes no column.
    guard input.consumed == 0 else {
      return end
    }
    let hasByteOrderMark = cur - base >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    return SourcePosition(line: end.line - newlines, column: hasByteOrderMark ? column - 1 : column)
  }

  /// Records one libxml2 error; warnings do not make a schema or document invalid and are dropped.
  func add(_ error: xmlError) {
    guard error.level != XML_ERR_WARNING else {
      return
    }
    var line = Int(error.line)
    var column = Int(error.int2)
    if let node = error.node, let position = position(of: node) {
      line = position.line
      column = position.column
    }
    let text = error.message.map { String(cString: $0) } ?? "libxml2 error \(error.code)"
    add(line: line, column: column, message: text.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Records an error found outside libxml2's reporting.
  func add(line: Int = 0, column: Int = 0, message: String) {
    diagnostics.append(XMLDiagnostic(file: file, line: line, column: column, message: message))
  }

  /// The recorded start of an element, or of the element owning an attribute.
  private func position(of node: UnsafeMutableRawPointer) -> SourcePosition? {
    if let position = startTags[node] {
      return position
    }
    // xmlAttr begins with the same fields as xmlNode, so `type` and `parent` sit at the same offsets.
    guard let typeOffset = MemoryLayout<xmlNode>.offset(of: \xmlNode.type),
      let parentOffset = MemoryLayout<xmlAttr>.offset(of: \xmlAttr.parent),
      node.load(fromByteOffset: typeOffset, as: xmlElementType.self) == XML_ATTRIBUTE_NODE,
      let parent = node.load(fromByteOffset: parentOffset, as: UnsafeMutableRawPointer?.self)
    else {
      return nil
    }
    return startTags[parent]
  }

  /// Reports `xs:include`, `xs:import`, `xs:redefine` and `xs:override` elements whose `schemaLocation` is a
  /// network URL.
  ///
  /// libxml2 loads those schemas with a parser context of its own that ignores `XML_PARSE_NONET`.
  func rejectNetworkSchemaLocations(in tree: xmlDocPtr) {
    let composition: Set<String> = ["include", "import", "redefine", "override"]
    var child = xmlDocGetRootElement(tree)?.pointee.children
    while let element = child {
      child = element.pointee.next
      guard element.pointee.type == XML_ELEMENT_NODE,
        let namespace = element.pointee.ns?.pointee.href,
        String(cString: namespace) == "http://www.w3.org/2001/XMLSchema",
        let localName = element.pointee.name, composition.contains(String(cString: localName)),
        let attribute = xmlHasProp(element, "schemaLocation"),
        let text = attribute.pointee.children?.pointee.content
      else {
        continue
      }
      let location = String(cString: text)
      guard Self.isNetworkLocation(location) else {
        continue
      }
      let position = startTags[UnsafeMutableRawPointer(element)]
      add(
        line: position?.line ?? Int(xmlGetLineNo(element)), column: position?.column ?? 0,
        message: "schemaLocation '\(location)' is not a local file; schemas are not loaded from the network")
    }
  }

  /// Whether a URI reference names a scheme other than `file`; relative references stay local.
  private static func isNetworkLocation(_ location: String) -> Bool {
    guard let colon = location.firstIndex(of: ":") else {
      return false
    }
    let scheme = location[..<colon]
    guard let first = scheme.first, first.isASCII, first.isLetter,
      scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
    else {
      return false
    }
    return scheme.lowercased() != "file"
  }

  /// Runs `body` with the calling thread's libxml2 fallback handlers silenced and routed here, then restores them.
  ///
  /// Context-specific handlers catch nearly everything, but libxml2 reports some errors (I/O, schemas it loads
  /// itself) only through the per-thread structured handler or the generic handler, which prints to stderr.
  /// Both are per-thread in libxml2, and `body` runs synchronously, so this affects this call alone.
  func withThreadErrorHandlers<Result>(_ body: () -> Result) -> Result {
    _ = LibXML2.initialized
    let genericHandler = CLibXML2_genericErrorHandler()
    let genericContext = CLibXML2_genericErrorContext()
    let structuredHandler = CLibXML2_structuredErrorHandler()
    let structuredContext = CLibXML2_structuredErrorContext()
    CLibXML2_silenceGenericErrors()
    xmlSetStructuredErrorFunc(opaque, Self.errorHandler)
    defer {
      xmlSetStructuredErrorFunc(structuredContext, structuredHandler)
      CLibXML2_setGenericErrorHandler(genericContext, genericHandler)
    }
    return withExtendedLifetime(self) { body() }
  }
}

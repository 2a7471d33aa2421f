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
      guard let context = makeValidationContext(reportingTo: collector) else {
        return
      }
      defer { xmlSchemaFreeValidCtxt(context) }
      let reportedBefore = collector.diagnostics.count
      let status = xmlSchemaValidateDoc(context, tree)
      if status != 0, collector.diagnostics.count == reportedBefore {
        collector.add(message: "libxml2 failed to validate the document (status \(status))")
      }
    }
    return collector.diagnostics
  }

  /// A new validation context for this schema whose errors go to the collector, or nil (reported) when libxml2
  /// cannot make one; the caller frees it, and keeps this schema alive while it is in use.
  func makeValidationContext(reportingTo collector: DiagnosticCollector) -> xmlSchemaValidCtxtPtr? {
    guard let context = xmlSchemaNewValidCtxt(schema) else {
      collector.add(message: "libxml2 could not create a validation context")
      return nil
    }
    xmlSchemaSetValidStructuredErrors(context, DiagnosticCollector.errorHandler, collector.opaque)
    return context
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

/// Parses bytes into a tree, sending errors and start-tag positions to the collector.
/// - Returns: The tree, which the caller frees, or nil when the bytes are not well-formed XML.
private func parseTree(_ bytes: [UInt8], collector: DiagnosticCollector) -> xmlDocPtr? {
  // xmlCreateMemoryParserCtxt refuses empty input without saying why.
  guard !bytes.isEmpty else {
    collector.addEmptyDocument()
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

import CLibXML2

/// Checks one XML document against an ``XMLSchema`` while it is being written, piece by piece, without ever
/// holding it whole or building a tree.
///
/// Feed the document's bytes in order with ``feed(_:)``, then call ``finish()`` for the diagnostics. The calls may
/// come from different threads but must not overlap; each one silences and restores the calling thread's libxml2
/// error handlers, as ``XMLSchema/validate(_:name:)`` does, so libxml2 never prints.
///
/// libxml2 keeps only what the open elements need, and libxml2's limits on the size of one text stay in force
/// (no `XML_PARSE_HUGE`). A document type declaration is refused at once, so entity declarations are never read;
/// beyond that, no callback that loads an external DTD or entity is installed, and the network is off
/// (`XML_PARSE_NONET`), so libxml2 reads neither a file nor the network for the document.
///
/// The diagnostics are those of ``XMLSchema/validate(_:name:)`` for the same bytes, except:
/// - Checking ends at the first fatal error, such as a well-formedness error, so only that one is reported, and
///   the schema errors found before it are kept.
/// - A schema error found at an element's end (missing children, text that breaks the element's type) points at
///   the end tag, or at the empty-element tag, instead of the start tag: the start tag is gone by then. Text that
///   an element-only type does not allow is reported at the text's end.
/// - A document cut short inside an element says `Premature end of data in tag NAME` at the end of the input,
///   without the element's line.
/// - An element whose namespace prefix is undeclared is reported as such, then checked by its local name.
/// - At most 20 diagnostics are kept, followed by one that counts the rest.
/// - A `DOCTYPE` is an error.
public final class XMLStreamValidator: @unchecked Sendable {
  /// How many diagnostics are kept before the rest are only counted.
  private static let diagnosticLimit = 20
  /// The largest piece handed to libxml2 at once, whose push parser counts sizes in `int`.
  private static let largestChunk = 1 << 30

  private let schema: XMLSchema
  private let collector: DiagnosticCollector
  private var observer: (any XMLElementObserver)?
  /// The start tags of the open elements, kept only for an observer, whose end-of-element messages point at them.
  private var openElements: [SourcePosition] = []
  /// The handlers that the validation layer passes events on to; libxml2 keeps pointing at them until the end.
  private let handlers: UnsafeMutablePointer<xmlSAXHandler>
  // xmlSchemaSAXPlug swaps its own handlers and user data into these two places, and xmlSchemaSAXUnplug writes
  // the originals back, so they must stay put until then.
  private let handlersSlot: UnsafeMutablePointer<xmlSAXHandlerPtr?>
  private let userDataSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>
  private var validation: xmlSchemaValidCtxtPtr?
  private var plug: xmlSchemaSAXPlugPtr?
  private var parser: xmlParserCtxtPtr?
  private var hasInput = false
  private var result: [XMLDiagnostic]?

  /// Prepares to check a document.
  /// - Parameters:
  ///   - schema: The schema the document must be valid against.
  ///   - name: The name used for the document in diagnostics.
  ///   - observer: Checks of its own on each element, or nil when the schema says everything; without one, no
  ///     element reaches Swift.
  public init(schema: XMLSchema, name: String, observer: (any XMLElementObserver)? = nil) {
    self.schema = schema
    self.observer = observer
    collector = DiagnosticCollector(file: name, limit: Self.diagnosticLimit)
    handlers = .allocate(capacity: 1)
    handlers.initialize(to: xmlSAXHandler())
    handlersSlot = .allocate(capacity: 1)
    handlersSlot.initialize(to: handlers)
    userDataSlot = .allocate(capacity: 1)
    userDataSlot.initialize(to: nil)
    userDataSlot.pointee = Unmanaged.passUnretained(self).toOpaque()
    handlers.pointee.initialized = XML_SAX2_MAGIC
    handlers.pointee.internalSubset = Self.documentTypeHandler
    if observer != nil {
      handlers.pointee.startElementNs = Self.startElementHandler
      handlers.pointee.endElementNs = Self.endElementHandler
    }
    collector.withThreadErrorHandlers {
      guard let validation = schema.makeValidationContext(reportingTo: collector) else {
        return
      }
      self.validation = validation
      guard let plug = xmlSchemaSAXPlug(validation, handlersSlot, userDataSlot) else {
        collector.add(message: "libxml2 could not plug schema validation into the parser")
        return
      }
      self.plug = plug
      guard let parser = xmlCreatePushParserCtxt(handlersSlot.pointee, userDataSlot.pointee, nil, 0, nil) else {
        collector.add(message: "libxml2 could not create a parser context")
        return
      }
      xmlCtxtUseOptions(parser, parseOptions)
      self.parser = parser
      collector.streamingParser = parser
    }
  }

  deinit {
    release()
    handlers.deallocate()
    handlersSlot.deallocate()
    userDataSlot.deallocate()
  }

  /// Checks the next piece of the document.
  ///
  /// A piece may have any size (the product's are 1 MiB); libxml2 gets one larger than 1 GiB in parts. After a
  /// fatal error, or after ``finish()``, a piece is ignored at no cost.
  /// - Parameter piece: The bytes that follow those fed before; the encoding is detected from the first ones as the
  ///   XML specification describes.
  public func feed(_ piece: UnsafeRawBufferPointer) {
    guard let parser, let start = piece.baseAddress, !piece.isEmpty, !collector.hasStopped else {
      return
    }
    hasInput = true
    collector.withThreadErrorHandlers {
      var offset = 0
      while offset < piece.count, !collector.hasStopped {
        let size = min(piece.count - offset, Self.largestChunk)
        xmlParseChunk(parser, (start + offset).assumingMemoryBound(to: CChar.self), Int32(size), 0)
        offset += size
      }
      if collector.hasStopped {
        // Frees the parser's buffered input now rather than at the end.
        xmlStopParser(parser)
      }
    }
  }

  /// Ends the document and returns what is wrong with it.
  ///
  /// Calling it again returns the same diagnostics.
  /// - Returns: Every error found, in document order, with line and column where known; empty when the document is
  ///   well-formed and valid. Past 20 errors, the last diagnostic counts those left out.
  public func finish() -> [XMLDiagnostic] {
    if let result {
      return result
    }
    collector.withThreadErrorHandlers {
      guard let parser, !collector.hasStopped else {
        return
      }
      guard hasInput else {
        collector.addEmptyDocument()
        return
      }
      xmlParseChunk(parser, nil, 0, 1)
      let isValid = validation.map { xmlSchemaIsValid($0) == 1 } ?? false
      if collector.diagnostics.isEmpty, !isValid || parser.pointee.wellFormed == 0 {
        collector.add(message: "libxml2 failed to validate the document")
      }
    }
    release()
    let diagnostics = collector.diagnosticsWithOmissions
    result = diagnostics
    return diagnostics
  }

  /// Frees libxml2's parser and validation context; the handler storage is freed with the instance.
  private func release() {
    collector.streamingParser = nil
    if let parser {
      xmlFreeParserCtxt(parser)
      self.parser = nil
    }
    if let plug {
      xmlSchemaSAXUnplug(plug)
      self.plug = nil
    }
    if let validation {
      xmlSchemaFreeValidCtxt(validation)
      self.validation = nil
    }
  }

  /// Refuses the document type declaration that the parser has just begun to read.
  private func refuseDocumentType() {
    guard let parser, let input = parser.pointee.input else {
      return
    }
    collector.addFinal(
      at: DiagnosticCollector.startTagPosition(input.pointee), message: "a DOCTYPE is not allowed")
    xmlStopParser(parser)
  }

  /// Passes a start tag to the observer.
  private func elementStarted(
    _ localName: UnsafePointer<xmlChar>, attributeCount: Int, attributes: UnsafePointer<UnsafePointer<xmlChar>?>?
  ) {
    guard let input = parser?.pointee.input else {
      return
    }
    let position = DiagnosticCollector.startTagPosition(input.pointee)
    openElements.append(position)
    var decoded: [XMLAttribute] = []
    if let attributes {
      decoded.reserveCapacity(attributeCount)
      // Five pointers an attribute: local name, prefix, namespace, value start, value end.
      for index in stride(from: 0, to: attributeCount * 5, by: 5) {
        guard let name = attributes[index], let start = attributes[index + 3], let end = attributes[index + 4] else {
          continue
        }
        let value = Self.attributeValue(UnsafeBufferPointer(start: start, count: end - start))
        decoded.append(XMLAttribute(name: String(cString: name), value: value))
      }
    }
    if let message = observer?.elementStarted(String(cString: localName), attributes: decoded) {
      collector.add(line: position.line, column: position.column, message: message)
    }
  }

  /// Passes an element's end to the observer.
  private func elementEnded(_ localName: UnsafePointer<xmlChar>) {
    guard let position = openElements.popLast() else {
      return
    }
    if let message = observer?.elementEnded(String(cString: localName)) {
      collector.add(line: position.line, column: position.column, message: message)
    }
  }

  /// An attribute value as the SAX2 parser hands it over, decoded.
  ///
  /// Without entity substitution the parser decodes every reference except those that make a `&`, which it
  /// writes as `&#38;` (for its tree builder to decode later). A raw `&` cannot occur in a parsed value, so every
  /// `&` starts such a reference.
  private static func attributeValue(_ bytes: UnsafeBufferPointer<xmlChar>) -> String {
    guard bytes.contains(UInt8(ascii: "&")) else {
      return String(decoding: bytes, as: UTF8.self)
    }
    var decoded: [UInt8] = []
    decoded.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      decoded.append(bytes[index])
      index += bytes[index] == UInt8(ascii: "&") && bytes[index...].starts(with: "&#38;".utf8) ? 5 : 1
    }
    return String(decoding: decoded, as: UTF8.self)
  }

  private static func validator(_ userData: UnsafeMutableRawPointer) -> XMLStreamValidator {
    Unmanaged<XMLStreamValidator>.fromOpaque(userData).takeUnretainedValue()
  }

  private static let documentTypeHandler: internalSubsetSAXFunc = { userData, _, _, _ in
    guard let userData else {
      return
    }
    validator(userData).refuseDocumentType()
  }

  private static let startElementHandler: startElementNsSAX2Func = {
    userData, localName, _, _, _, _, attributeCount, _, attributes in
    guard let userData, let localName else {
      return
    }
    validator(userData).elementStarted(
      localName, attributeCount: Int(attributeCount), attributes: UnsafePointer(attributes))
  }

  private static let endElementHandler: endElementNsSAX2Func = { userData, localName, _, _ in
    guard let userData, let localName else {
      return
    }
    validator(userData).elementEnded(localName)
  }
}

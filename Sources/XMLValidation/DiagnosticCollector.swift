import CLibXML2
import Foundation

/// Initialises libxml2 once per process; Swift initialises a static `let` exactly once, even under contention.
enum LibXML2 {
  static let initialized: Void = CLibXML2_initialize()
}

/// The parser options for schemas and documents.
///
/// `XML_PARSE_NONET` blocks network access. Leaving out `XML_PARSE_DTDLOAD`, `XML_PARSE_NOENT` and
/// `XML_PARSE_HUGE` keeps external DTDs unloaded, entities unexpanded and libxml2's size limits in force.
let parseOptions = Int32(XML_PARSE_NONET.rawValue)

/// A start tag's place in the source.
struct SourcePosition {
  var line: Int
  var column: Int
}

/// Gathers libxml2's errors during one parse, compilation or validation.
final class DiagnosticCollector {
  let file: String
  private(set) var diagnostics: [XMLDiagnostic] = []
  /// How many diagnostics are kept; later ones are only counted, so that a broken document of many megabytes
  /// cannot make millions of messages.
  private let limit: Int
  /// How many diagnostics were over the limit.
  private var omitted = 0
  /// The push parser of a streaming validation. Its schema errors carry no place of their own (no tree nodes), so
  /// they take the place of the markup that the parser has just read.
  var streamingParser: xmlParserCtxtPtr?
  /// Whether a fatal error, or the caller, has ended the document: the errors that follow a fatal one are its
  /// consequences, and how many there are depends on how the document was cut into pieces.
  private(set) var hasStopped = false
  // libxml2 records only a line per element, and schema errors name the element, so the parser hook records
  // where each start tag begins to give those errors a column too.
  private var startTags: [UnsafeMutableRawPointer: SourcePosition] = [:]

  init(file: String, limit: Int = .max) {
    self.file = file
    self.limit = limit
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
  static func startTagPosition(_ input: xmlParserInput) -> SourcePosition {
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
    guard let column = column(at: index, in: input) else {
      return end
    }
    return SourcePosition(line: end.line - newlines, column: column)
  }

  /// How far back the search for a line's start goes, so that a document on one line does not cost a scan of the
  /// whole buffer per error.
  private static let lineStartSearchLimit = 4096

  /// The column of the byte at `start` in the parser's buffer, counted from the line break before it, or nil when
  /// the buffer does not reach back to the line's start or it is too far back.
  private static func column(at start: Int, in input: xmlParserInput) -> Int? {
    guard let base = input.base else {
      return nil
    }
    var index = start
    var column = 1
    while index > 0 {
      guard start - index < lineStartSearchLimit else {
        return nil
      }
      index -= 1
      if base[index] == UInt8(ascii: "\n") {
        return column
      }
      if base[index] & 0xC0 != 0x80 {
        column += 1
      }
    }
    // At the buffer's start the count is right only if libxml2 has discarded nothing before it; a UTF-8 byte
    // order mark stays in the buffer but takes no column.
    guard input.consumed == 0 else {
      return nil
    }
    let hasByteOrderMark = start >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    return hasByteOrderMark ? column - 1 : column
  }

  /// Where the markup that the parser has just read begins, when the parser reports an element's start or end.
  ///
  /// During a start tag's events `cur` is at its closing `>` or `/>`; after an end tag or an empty-element tag it
  /// is just past the `>`. During a text event libxml2 has already counted the text into `line` and `col` but
  /// left `cur` at its start, so a column that does not match `cur` means text, and there the parser's own place
  /// (the text's end) is the best there is.
  private static func markupPosition(_ input: xmlParserInput) -> SourcePosition {
    let here = SourcePosition(line: Int(input.line), column: Int(input.col))
    guard let base = input.base, let cur = input.cur, cur > base,
      cur[0] == UInt8(ascii: ">") || cur[0] == UInt8(ascii: "/") || cur[-1] == UInt8(ascii: ">"),
      column(at: cur - base, in: input).map({ $0 == here.column }) ?? true
    else {
      return here
    }
    return startTagPosition(input)
  }

  /// What to say of a push parser's input that ended before the root element did, or before there was one.
  ///
  /// Told that the input has ended there, libxml2 2.9's push parser reports "Extra content at the end of the
  /// document", the opposite of what happened, at the last place it parsed. The parser that reads a whole document
  /// says which element is unfinished, at the end of the input, and so does this.
  private static func unfinishedDocument(_ parser: xmlParserCtxtPtr) -> (position: SourcePosition, message: String)? {
    guard parser.pointee.instate != XML_PARSER_EPILOG, parser.pointee.instate != XML_PARSER_EOF,
      let input = parser.pointee.input, let cur = input.pointee.cur, let end = input.pointee.end, end >= cur
    else {
      return nil
    }
    var position = SourcePosition(line: Int(input.pointee.line), column: Int(input.pointee.col))
    for byte in UnsafeBufferPointer(start: cur, count: end - cur) {
      if byte == UInt8(ascii: "\n") {
        position = SourcePosition(line: position.line + 1, column: 1)
      } else if byte & 0xC0 != 0x80 {
        position.column += 1
      }
    }
    guard parser.pointee.nameNr > 0, let name = parser.pointee.name else {
      return (position, "Start tag expected, '<' not found")
    }
    return (position, "Premature end of data in tag \(String(cString: name))")
  }

  /// Records one libxml2 error; warnings do not make a schema or document invalid and are dropped.
  func add(_ error: xmlError) {
    guard error.level != XML_ERR_WARNING, !hasStopped else {
      return
    }
    defer {
      if error.level == XML_ERR_FATAL, streamingParser != nil {
        hasStopped = true
      }
    }
    guard diagnostics.count < limit else {
      omitted += 1
      return
    }
    var line = Int(error.line)
    var column = Int(error.int2)
    if let node = error.node, let position = position(of: node) {
      line = position.line
      column = position.column
    } else if error.domain == Int32(XML_FROM_SCHEMASV.rawValue), let input = streamingParser?.pointee.input {
      let position = Self.markupPosition(input.pointee)
      line = position.line
      column = position.column
    }
    var text = error.message.map { String(cString: $0) } ?? "libxml2 error \(error.code)"
    if error.code == Int32(XML_ERR_DOCUMENT_END.rawValue), let parser = streamingParser,
      let unfinished = Self.unfinishedDocument(parser)
    {
      (line, column, text) = (unfinished.position.line, unfinished.position.column, unfinished.message)
    }
    add(line: line, column: column, message: text.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Records an error found outside libxml2's reporting.
  func add(line: Int = 0, column: Int = 0, message: String) {
    guard !hasStopped else {
      return
    }
    guard diagnostics.count < limit else {
      omitted += 1
      return
    }
    diagnostics.append(XMLDiagnostic(file: file, line: line, column: column, message: message))
  }

  /// Records an error after which nothing more of the document is checked.
  func addFinal(at position: SourcePosition, message: String) {
    add(line: position.line, column: position.column, message: message)
    hasStopped = true
  }

  /// Records that the document has no bytes at all, which libxml2 either refuses without saying why or reports
  /// with no place.
  func addEmptyDocument() {
    add(line: 1, column: 1, message: "Document is empty")
  }

  /// The diagnostics kept, followed by one that counts those over the limit, if any were.
  var diagnosticsWithOmissions: [XMLDiagnostic] {
    guard omitted > 0 else {
      return diagnostics
    }
    let more = XMLDiagnostic(
      file: file, line: 0, column: 0, message: "… and \(omitted) more error\(omitted == 1 ? "" : "s")")
    return diagnostics + [more]
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

/// The parser's result: the node tree, the escaping a `CONTENT_TYPE` pragma asked for, if any, and the names
/// the tags look up.
struct ParsedTemplate {
  let nodes: [Node]
  let escaping: Escaping?
  let nameLookups: [NameLookup]
}

/// Turns template source into nodes in four passes over a flat token list:
/// tokenize (honouring delimiter changes), pair sections, apply the spec's whitespace rules
/// (standalone lines, partial indentation, block re-indentation), then build the tree.
///
/// Whitespace rules need to see whole lines and matching tag pairs, which is why they run on
/// tokens before the tree exists rather than while scanning.
struct Parser {
  private let source: [UInt8]
  private let name: String
  private var tokens: [Token] = []
  private var escaping: Escaping?
  /// For an opening tag the index of its closing tag and vice versa; -1 for other tokens.
  private var partner: [Int] = []
  /// The index of the innermost opening tag around each token; -1 at top level.
  private var enclosing: [Int] = []
  /// Only whitespace precedes the tag on its line.
  private var clearsLeft: [Bool] = []
  /// Only whitespace follows the tag on its line.
  private var clearsRight: [Bool] = []
  /// The tag's line was removed, so it must not emit pending indentation when rendered.
  private var standalone: [Bool] = []
  /// Indentation of standalone partials and parents, and of block expansion sites.
  private var indentations: [Int: [UInt8]] = [:]

  /// Prepares to parse `source`; `name` is used in errors.
  init(source: String, name: String) {
    self.source = Array(source.utf8)
    self.name = name
  }

  /// Parses the whole source.
  mutating func parse() throws(TemplateError) -> ParsedTemplate {
    try tokenize()
    try pairTags()
    findClearances()
    applyWhitespaceRules()
    return ParsedTemplate(nodes: build(0..<tokens.count), escaping: escaping, nameLookups: nameLookups())
  }
}

private let newline: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09

/// A run of text or one tag; text never spans a line end, so lines can be examined token by token.
private struct Token {
  enum Kind {
    case text, variable, unescaped, section, inverted, close, comment, partial, parent, block, delimiters, pragma
  }

  let kind: Kind
  /// Text: the first byte still rendered (whitespace rules move it); tag: the opening delimiter.
  var start: Int
  /// Text: one past the last byte; tag: one past the closing delimiter.
  let end: Int
  /// Tag content without sigil and surrounding whitespace; empty for text.
  let content: Range<Int>
  /// The 1-based line of `start` in the source.
  let line: Int
  /// The offset where that line begins, for computing columns only when reporting.
  let lineStart: Int
  /// Text that ended with a newline in the source, so the next token starts a line.
  let endsLine: Bool
}

// MARK: - Tokenizing

extension Parser {
  private mutating func tokenize() throws(TemplateError) {
    var opener: [UInt8] = [0x7B, 0x7B]
    var closer: [UInt8] = [0x7D, 0x7D]
    var line = 1
    var lineStart = 0
    var textStart = 0
    var index = 0
    while index < source.count {
      let byte = source[index]
      if byte == newline {
        index += 1
        appendText(textStart..<index, line: line, lineStart: lineStart, endsLine: true)
        textStart = index
        line += 1
        lineStart = index
      } else if byte == opener[0] && hasBytes(opener, at: index) {
        appendText(textStart..<index, line: line, lineStart: lineStart, endsLine: false)
        index = try scanTag(at: index, opener: &opener, closer: &closer, line: &line, lineStart: &lineStart)
        textStart = index
      } else {
        index += 1
      }
    }
    appendText(textStart..<source.count, line: line, lineStart: lineStart, endsLine: false)
  }

  private mutating func appendText(_ range: Range<Int>, line: Int, lineStart: Int, endsLine: Bool) {
    guard !range.isEmpty else { return }
    tokens.append(
      Token(
        kind: .text, start: range.lowerBound, end: range.upperBound, content: range.lowerBound..<range.lowerBound,
        line: line, lineStart: lineStart, endsLine: endsLine
      )
    )
  }

  /// Scans the tag whose opening delimiter is at `start` and returns the offset just past it.
  private mutating func scanTag(
    at start: Int,
    opener: inout [UInt8],
    closer: inout [UInt8],
    line: inout Int,
    lineStart: inout Int
  ) throws(TemplateError) -> Int {
    var contentStart = start + opener.count
    var terminator = closer
    let kind: Token.Kind
    switch contentStart < source.count ? source[contentStart] : 0 {
    case UInt8(ascii: "{"):
      kind = .unescaped
      terminator = [UInt8(ascii: "}")] + closer
    case UInt8(ascii: "&"): kind = .unescaped
    case UInt8(ascii: "#"): kind = .section
    case UInt8(ascii: "^"): kind = .inverted
    case UInt8(ascii: "/"): kind = .close
    case UInt8(ascii: "!"): kind = .comment
    case UInt8(ascii: ">"): kind = .partial
    case UInt8(ascii: "<"): kind = .parent
    case UInt8(ascii: "$"): kind = .block
    case UInt8(ascii: "%"): kind = .pragma
    case UInt8(ascii: "="):
      kind = .delimiters
      terminator = [UInt8(ascii: "=")] + closer
    default: kind = .variable
    }
    if kind != .variable { contentStart += 1 }
    guard let contentEnd = firstIndex(of: terminator, from: contentStart) else {
      let column = self.column(of: start, lineStart: lineStart)
      let expected = String(decoding: terminator, as: UTF8.self)
      throw TemplateError(name: name, line: line, column: column, message: "unclosed tag: no '\(expected)' follows")
    }
    // `{{name}` followed by another tag would otherwise end at that tag's closer, with a baffling name; comments
    // may hold anything, and a delimiter change names the opener it sets.
    let holdsAnOpener = firstIndex(of: opener, from: contentStart, before: contentEnd) != nil
    if kind != .comment && kind != .delimiters && holdsAnOpener {
      let column = self.column(of: start, lineStart: lineStart)
      let expected = String(decoding: terminator, as: UTF8.self)
      let next = String(decoding: opener, as: UTF8.self)
      throw TemplateError(
        name: name, line: line, column: column, message: "unclosed tag: no '\(expected)' before the next '\(next)'")
    }
    let end = contentEnd + terminator.count
    let token = Token(
      kind: kind, start: start, end: end, content: trimmed(contentStart..<contentEnd),
      line: line, lineStart: lineStart, endsLine: false
    )
    // Comments may span lines; later positions must still be right.
    for index in start..<end where source[index] == newline {
      line += 1
      lineStart = index + 1
    }
    try check(token, opener: &opener, closer: &closer)
    tokens.append(token)
    return end
  }

  /// Validates a tag's content, applying delimiter changes and pragmas as they are met.
  private mutating func check(_ token: Token, opener: inout [UInt8], closer: inout [UInt8]) throws(TemplateError) {
    switch token.kind {
    case .text, .comment:
      return
    case .delimiters:
      (opener, closer) = try delimiters(in: token)
    case .pragma:
      escaping = try contentType(in: token)
    case .variable, .unescaped, .section, .inverted, .close:
      try checkName(of: token, isPath: true)
    case .partial, .parent, .block:
      try checkName(of: token, isPath: false)
    }
  }

  private func checkName(of token: Token, isPath: Bool) throws(TemplateError) {
    let bytes = source[token.content]
    guard !bytes.isEmpty else { throw error(at: token, "tag has no name") }
    let text = String(decoding: bytes, as: UTF8.self)
    if bytes.contains(where: isWhitespace) {
      throw error(at: token, "invalid name '\(text)': names cannot contain whitespace")
    }
    let dot = UInt8(ascii: ".")
    if isPath && text != "." && (bytes.first == dot || bytes.last == dot || text.contains("..")) {
      throw error(at: token, "invalid name '\(text)': dotted names need a key between dots")
    }
  }

  private func delimiters(in token: Token) throws(TemplateError) -> ([UInt8], [UInt8]) {
    let parts = source[token.content].split(whereSeparator: isWhitespace)
    guard parts.count == 2 else {
      let message = "invalid delimiter change: expected two delimiters separated by whitespace, as in {{=<% %>=}}"
      throw error(at: token, message)
    }
    if parts.contains(where: { $0.contains(UInt8(ascii: "=")) }) {
      throw error(at: token, "invalid delimiter change: delimiters cannot contain '='")
    }
    return (Array(parts[0]), Array(parts[1]))
  }

  private func contentType(in token: Token) throws(TemplateError) -> Escaping {
    let text = String(decoding: source[token.content], as: UTF8.self)
    let parts = text.split(separator: ":", maxSplits: 1)
    guard parts.count == 2, parts[0].trimmingWhitespace().uppercased() == "CONTENT_TYPE" else {
      throw error(at: token, "unknown pragma '\(text)': expected CONTENT_TYPE: HTML, XML, MARKDOWN or TEXT")
    }
    let value = parts[1].trimmingWhitespace()
    guard let escaping = Escaping(rawValue: value.uppercased()) else {
      throw error(at: token, "unknown CONTENT_TYPE '\(value)': expected HTML, XML, MARKDOWN or TEXT")
    }
    return escaping
  }
}

// MARK: - Pairing tags

extension Parser {
  private mutating func pairTags() throws(TemplateError) {
    partner = Array(repeating: -1, count: tokens.count)
    enclosing = Array(repeating: -1, count: tokens.count)
    var open: [Int] = []
    for index in tokens.indices {
      enclosing[index] = open.last ?? -1
      switch tokens[index].kind {
      case .section, .inverted, .parent, .block:
        open.append(index)
      case .close:
        let closing = contentString(of: tokens[index])
        guard let opener = open.popLast() else {
          throw error(at: tokens[index], "closing tag '\(closing)' has no opening tag")
        }
        let opening = contentString(of: tokens[opener])
        guard source[tokens[opener].content].elementsEqual(source[tokens[index].content]) else {
          let place = "\(tokens[opener].line):\(column(of: tokens[opener]))"
          throw error(at: tokens[index], "closing tag '\(closing)' does not match '\(opening)' opened at \(place)")
        }
        partner[opener] = index
        partner[index] = opener
        enclosing[index] = enclosing[opener]
      default:
        break
      }
    }
    if let unclosed = open.last {
      throw error(at: tokens[unclosed], "'\(contentString(of: tokens[unclosed]))' is never closed")
    }
  }
}

// MARK: - Whitespace rules

extension Parser {
  private mutating func findClearances() {
    clearsLeft = Array(repeating: false, count: tokens.count)
    clearsRight = Array(repeating: false, count: tokens.count)
    var clear = true
    for index in tokens.indices {
      let token = tokens[index]
      if token.kind != .text {
        clearsLeft[index] = clear
        clear = false
      } else if token.endsLine {
        clear = true
      } else if !isBlank(token) {
        clear = false
      }
    }
    clear = true
    for index in tokens.indices.reversed() {
      let token = tokens[index]
      if token.kind != .text {
        clearsRight[index] = clear
        clear = false
      } else if token.endsLine {
        clear = isBlank(token)
      } else {
        clear = clear && isBlank(token)
      }
    }
  }

  /// Applies the standalone-line rules in source order, so rules inside a block argument see text
  /// already re-indented by that argument.
  private mutating func applyWhitespaceRules() {
    standalone = Array(repeating: false, count: tokens.count)
    for index in tokens.indices {
      switch tokens[index].kind {
      case .text, .variable, .unescaped:
        continue
      case .parent:
        applyParentRules(index)
      case .block where isArgument(index):
        applyArgumentRules(index)
      case .block:
        applyBlockRules(index)
      case .close where isParentOrArgument(partner[index]):
        continue
      case .section, .inverted, .close, .comment, .partial, .delimiters, .pragma:
        applyStandaloneRule(index)
      }
    }
  }

  private func isArgument(_ index: Int) -> Bool {
    let outer = enclosing[index]
    return outer >= 0 && tokens[outer].kind == .parent
  }

  private func isParentOrArgument(_ index: Int) -> Bool {
    tokens[index].kind == .parent || (tokens[index].kind == .block && isArgument(index))
  }

  /// A tag alone on its line takes the line with it; a partial keeps the leading whitespace as indentation.
  private mutating func applyStandaloneRule(_ index: Int) {
    guard clearsLeft[index] && clearsRight[index] else { return }
    standalone[index] = true
    let leading = removeLeadingWhitespace(of: index)
    if tokens[index].kind == .partial { indentations[index] = leading }
    removeTrailingWhitespace(of: index)
  }

  /// A parent is standalone as a pair: its opening tag starts a line and its closing tag ends one,
  /// whatever lies between (the content only passes blocks).
  private mutating func applyParentRules(_ index: Int) {
    let closing = partner[index]
    guard clearsLeft[index] && clearsRight[closing] else { return }
    standalone[index] = true
    indentations[index] = removeLeadingWhitespace(of: index)
    removeTrailingWhitespace(of: closing)
  }

  /// A block passed to a parent is like a template of its own: a line end right after the opening tag
  /// belongs to the tag, and the content's own indentation is removed so the expansion site can add its own.
  private mutating func applyArgumentRules(_ index: Int) {
    let closing = partner[index]
    if clearsRight[index] {
      removeTrailingWhitespace(of: index)
      let indentation = intrinsicIndentation(after: index, before: closing)
      if !indentation.isEmpty { removeIndentation(indentation, between: index, and: closing) }
    }
    if clearsLeft[closing] { removeLeadingWhitespace(of: closing) }
  }

  /// A block expansion site: standalone tags are removed like section tags and the indentation of the
  /// default content is what overriding content gets; a pair on one line is indented like the line.
  private mutating func applyBlockRules(_ index: Int) {
    let closing = partner[index]
    if clearsLeft[index] && clearsRight[index] {
      standalone[index] = true
      removeLeadingWhitespace(of: index)
      removeTrailingWhitespace(of: index)
      indentations[index] = intrinsicIndentation(after: index, before: closing)
    } else if clearsLeft[index] && clearsRight[closing] {
      indentations[index] = leadingWhitespace(of: index)
    }
  }

  private func leadingWhitespace(of index: Int) -> [UInt8] {
    guard index > 0, tokens[index - 1].kind == .text, !tokens[index - 1].endsLine else { return [] }
    return Array(source[tokens[index - 1].start..<tokens[index - 1].end])
  }

  /// Removes the whitespace before a tag that clears on the left and returns it.
  @discardableResult
  private mutating func removeLeadingWhitespace(of index: Int) -> [UInt8] {
    let leading = leadingWhitespace(of: index)
    if !leading.isEmpty { tokens[index - 1].start = tokens[index - 1].end }
    return leading
  }

  /// Removes the whitespace and line end after a tag that clears on the right.
  private mutating func removeTrailingWhitespace(of index: Int) {
    guard index + 1 < tokens.count, tokens[index + 1].kind == .text else { return }
    tokens[index + 1].start = tokens[index + 1].end
  }

  /// The leading whitespace of the first non-blank line after the opening tag's line, up to its closing tag.
  private func intrinsicIndentation(after opening: Int, before closing: Int) -> [UInt8] {
    var index = opening + 1
    guard index < closing, tokens[index].kind == .text, tokens[index].endsLine else { return [] }
    index += 1
    while index <= closing {
      let token = tokens[index]
      guard token.kind == .text else { return [] }
      if token.endsLine && isBlank(token) {
        index += 1
        continue
      }
      let lineText = source[token.start..<token.end]
      let indentationEnd = lineText.firstIndex { $0 != space && $0 != tab } ?? token.end
      return Array(source[token.start..<indentationEnd])
    }
    return []
  }

  /// Strips `indentation` (or as much of it as matches) from every line start between two tags.
  private mutating func removeIndentation(_ indentation: [UInt8], between opening: Int, and closing: Int) {
    for index in (opening + 1)..<closing where tokens[index].kind == .text && startsLine(index) {
      var start = tokens[index].start
      var matched = 0
      while matched < indentation.count && start < tokens[index].end && source[start] == indentation[matched] {
        start += 1
        matched += 1
      }
      tokens[index].start = start
    }
  }

  private func startsLine(_ index: Int) -> Bool {
    index > 0 && tokens[index - 1].kind == .text && tokens[index - 1].endsLine
  }

  /// Whether text is only spaces and tabs, optionally ending in `\n` or `\r\n`.
  private func isBlank(_ token: Token) -> Bool {
    var end = token.end
    if token.endsLine {
      end -= 1
      if end > token.start && source[end - 1] == carriageReturn { end -= 1 }
    }
    return source[token.start..<end].allSatisfy { $0 == space || $0 == tab }
  }
}

// MARK: - Building the tree

extension Parser {
  private func build(_ range: Range<Int>) -> [Node] {
    var nodes: [Node] = []
    var text: [UInt8] = []
    var index = range.lowerBound
    while index < range.upperBound {
      let token = tokens[index]
      switch token.kind {
      case .text:
        text.append(contentsOf: source[token.start..<token.end])
        index += 1
        continue
      case .comment, .delimiters, .pragma, .close:
        index += 1
        continue
      case .variable, .unescaped, .section, .inverted, .partial, .parent, .block:
        break
      }
      if !text.isEmpty {
        nodes.append(.text(text))
        text = []
      }
      switch token.kind {
      case .variable, .unescaped:
        nodes.append(.variable(path(of: token), escaped: token.kind == .variable))
        index += 1
      case .section, .inverted:
        let closing = partner[index]
        let section = SectionNode(
          path: path(of: token), nodes: build(index + 1..<closing), standalone: standalone[index]
        )
        nodes.append(token.kind == .section ? .section(section) : .inverted(section))
        index = closing + 1
      case .partial:
        nodes.append(.partial(partialNode(at: index)))
        index += 1
      case .parent:
        let closing = partner[index]
        nodes.append(.parent(ParentNode(partial: partialNode(at: index), arguments: arguments(index + 1..<closing))))
        index = closing + 1
      case .block:
        let closing = partner[index]
        let block = BlockNode(
          name: contentString(of: token), nodes: build(index + 1..<closing),
          indentation: indentations[index] ?? [], standalone: standalone[index],
          line: token.line, column: column(of: token)
        )
        nodes.append(.block(block))
        index = closing + 1
      case .text, .comment, .delimiters, .pragma, .close:
        index += 1
      }
    }
    if !text.isEmpty { nodes.append(.text(text)) }
    return nodes
  }

  /// The blocks directly inside a parent tag; everything else there is ignored, as the spec says.
  private func arguments(_ range: Range<Int>) -> [BlockArgument] {
    var arguments: [BlockArgument] = []
    var index = range.lowerBound
    while index < range.upperBound {
      switch tokens[index].kind {
      case .block:
        let closing = partner[index]
        let name = contentString(of: tokens[index])
        if !arguments.contains(where: { $0.name == name }) {
          arguments.append(BlockArgument(name: name, nodes: build(index + 1..<closing)))
        }
        index = closing + 1
      case .section, .inverted, .parent:
        index = partner[index] + 1
      default:
        index += 1
      }
    }
    return arguments
  }

  private func partialNode(at index: Int) -> PartialNode {
    let token = tokens[index]
    return PartialNode(
      name: contentString(of: token), indentation: indentations[index] ?? [], standalone: standalone[index],
      line: token.line, column: column(of: token)
    )
  }

  private func path(of token: Token) -> Path {
    let name = contentString(of: token)
    if name == "." { return Path(keys: []) }
    return Path(keys: name.split(separator: ".").map { TemplateKey(String($0)) })
  }
}

// MARK: - Name lookups

extension Parser {
  /// Every tag that looks up a value or a template, in source order, with the sections around it.
  ///
  /// Tags inside a parent tag are left out: a block passed to a parent renders wherever the parent puts it, among
  /// the parent's sections, and anything else there is never rendered.
  private func nameLookups() -> [NameLookup] {
    var lookups: [NameLookup] = []
    for index in tokens.indices {
      let kind: NameLookup.Kind
      switch tokens[index].kind {
      case .variable, .unescaped: kind = .variable
      case .section: kind = .section
      case .inverted: kind = .invertedSection
      case .partial, .parent: kind = .partial
      case .text, .close, .comment, .block, .delimiters, .pragma: continue
      }
      guard let sections = sections(around: index) else { continue }
      let token = tokens[index]
      lookups.append(
        NameLookup(
          kind: kind, name: contentString(of: token), line: token.line, column: column(of: token), sections: sections))
    }
    return lookups
  }

  /// The names of the sections around a token, outermost first, or `nil` inside a parent tag.
  private func sections(around index: Int) -> [String]? {
    var names: [String] = []
    var outer = enclosing[index]
    while outer >= 0 {
      switch tokens[outer].kind {
      case .section: names.append(contentString(of: tokens[outer]))
      case .parent: return nil
      default: break
      }
      outer = enclosing[outer]
    }
    return names.reversed()
  }
}

// MARK: - Helpers

extension Parser {
  private func contentString(of token: Token) -> String {
    String(decoding: source[token.content], as: UTF8.self)
  }

  private func hasBytes(_ bytes: [UInt8], at offset: Int) -> Bool {
    guard offset + bytes.count <= source.count else { return false }
    for index in bytes.indices where source[offset + index] != bytes[index] { return false }
    return true
  }

  /// The first offset at or after `offset` where `bytes` start and end before `limit` (the source's end if `nil`).
  private func firstIndex(of bytes: [UInt8], from offset: Int, before limit: Int? = nil) -> Int? {
    let limit = min(limit ?? source.count, source.count)
    guard let first = bytes.first, bytes.count <= limit else { return nil }
    var index = offset
    while index + bytes.count <= limit {
      if source[index] == first && hasBytes(bytes, at: index) { return index }
      index += 1
    }
    return nil
  }

  private func trimmed(_ range: Range<Int>) -> Range<Int> {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper && isWhitespace(source[lower]) { lower += 1 }
    while upper > lower && isWhitespace(source[upper - 1]) { upper -= 1 }
    return lower..<upper
  }

  /// The 1-based column of `offset`, counted in Unicode scalars so non-ASCII text does not skew it.
  private func column(of offset: Int, lineStart: Int) -> Int {
    source[lineStart..<offset].reduce(1) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
  }

  private func column(of token: Token) -> Int {
    column(of: token.start, lineStart: token.lineStart)
  }

  private func error(at token: Token, _ message: String) -> TemplateError {
    TemplateError(name: name, line: token.line, column: column(of: token), message: message)
  }
}

private func isWhitespace(_ byte: UInt8) -> Bool {
  byte == space || byte == tab || byte == newline || byte == carriageReturn
}

extension StringProtocol {
  fileprivate func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[first...last])
  }
}

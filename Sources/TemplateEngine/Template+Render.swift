/// How deeply partials, parents and block overrides may nest before rendering gives up; guards against
/// unbounded recursion (a partial including itself unconditionally) exhausting the stack.
let maximumNestingDepth = 100

/// Walks a node tree, appending UTF-8 to one buffer.
struct Renderer {
  /// The bytes rendered so far; the caller's buffer is swapped in and out so appends never copy it.
  var output: [UInt8] = []
  /// When set, `output` is handed to the closure whenever it holds at least this many bytes.
  var flush: (threshold: Int, emit: (inout [UInt8]) -> Void)?
  /// The context stack; the innermost context is last.
  private var contexts: [TreeValue]
  private let tree: TreeReader
  private let partials: [String: Template]
  private let escaping: Escaping
  /// The template whose nodes are being rendered, for errors.
  private var templateName: String
  /// Prepended to each template line while inside standalone partials and re-indented blocks.
  private var indentation: [UInt8] = []
  /// A template line has just ended, so `indentation` is due before the next template content;
  /// emitting it lazily keeps lines that render nothing (standalone tags) free of it.
  private var indentationPending = false
  /// Block arguments of the parents being rendered, outermost first: the outermost override wins.
  private var overrides: [[BlockArgument]] = []
  private var depth = 0

  /// Prepares to render with `root` as the only context.
  init(tree: TreeReader, root: TreeValue, partials: [String: Template], escaping: Escaping, templateName: String) {
    self.tree = tree
    self.contexts = [root]
    self.partials = partials
    self.escaping = escaping
    self.templateName = templateName
  }

  /// Renders `nodes` against the current context stack.
  mutating func render(_ nodes: [Node]) throws(TemplateError) {
    for index in nodes.indices {
      switch nodes[index] {
      case .text(let bytes):
        if indentation.isEmpty {
          output.append(contentsOf: bytes)
        } else {
          appendIndented(bytes)
        }
      case .variable(let path, let escaped):
        emitPendingIndentation()
        appendValue(resolve(path), escaped: escaped)
      case .section(let section):
        if !section.standalone { emitPendingIndentation() }
        try renderSection(section)
      case .inverted(let section):
        if !section.standalone { emitPendingIndentation() }
        if !resolve(section.path).isTruthy { try render(section.nodes) }
      case .partial(let partial):
        try renderPartial(partial, arguments: nil)
      case .parent(let parent):
        try renderPartial(parent.partial, arguments: parent.arguments)
      case .block(let block):
        try renderBlock(block)
      }
      if let flush, output.count >= flush.threshold { flush.emit(&output) }
    }
  }

  private mutating func renderSection(_ section: SectionNode) throws(TemplateError) {
    let value = resolve(section.path)
    switch value.kind {
    case .null:
      return
    case .list:
      for member in tree.members(of: value) {
        contexts.append(member)
        try render(section.nodes)
        contexts.removeLast()
      }
    case .bool, .int, .double, .string, .object:
      guard value.isTruthy else { return }
      contexts.append(value)
      try render(section.nodes)
      contexts.removeLast()
    }
  }

  /// Renders a partial, or a parent when `arguments` is given (a parent without arguments is a partial).
  private mutating func renderPartial(_ partial: PartialNode, arguments: [BlockArgument]?) throws(TemplateError) {
    if !partial.standalone { emitPendingIndentation() }
    guard let template = partials[partial.name] else { return }
    try enterNesting(at: partial)
    let outerIndentation = indentation
    let outerName = templateName
    if partial.standalone {
      indentation += partial.indentation
      indentationPending = true
    } else {
      // An inline partial's lines are not lines of this template, so this template's indentation does not apply.
      indentation = []
      indentationPending = false
    }
    templateName = template.name
    if let arguments { overrides.append(arguments) }
    try render(template.nodes)
    if arguments != nil { overrides.removeLast() }
    templateName = outerName
    indentation = outerIndentation
    // A standalone tag's line end was removed, so this template continues on a fresh line.
    indentationPending = partial.standalone
    depth -= 1
  }

  private mutating func renderBlock(_ block: BlockNode) throws(TemplateError) {
    if !block.standalone { emitPendingIndentation() }
    guard let override = overrideNodes(named: block.name) else {
      try render(block.nodes)
      return
    }
    depth += 1
    guard depth <= maximumNestingDepth else {
      throw TemplateError(
        name: templateName, line: block.line, column: block.column,
        message: "block '\(block.name)' overrides nest more than \(maximumNestingDepth) levels deep"
      )
    }
    let outerIndentation = indentation
    indentation += block.indentation
    if block.standalone { indentationPending = true }
    try render(override)
    indentation = outerIndentation
    depth -= 1
  }

  private mutating func enterNesting(at partial: PartialNode) throws(TemplateError) {
    depth += 1
    guard depth <= maximumNestingDepth else {
      throw TemplateError(
        name: templateName, line: partial.line, column: partial.column,
        message: "partial '\(partial.name)' nests more than \(maximumNestingDepth) levels deep; is it recursive?"
      )
    }
  }

  private func overrideNodes(named name: String) -> [Node]? {
    for arguments in overrides {
      for argument in arguments where argument.name == name { return argument.nodes }
    }
    return nil
  }

  // MARK: - Name lookup

  /// Finds the first context holding the first key, then follows the remaining keys from there only.
  private func resolve(_ path: Path) -> TreeValue {
    let keys = path.keys
    guard !keys.isEmpty else { return contexts[contexts.count - 1] }
    var index = contexts.count - 1
    while index >= 0 {
      if let found = tree.member(keys[0], of: contexts[index]) {
        var value = found
        var next = 1
        while next < keys.count {
          guard let field = tree.member(keys[next], of: value) else { return .null }
          value = field
          next += 1
        }
        return value
      }
      index -= 1
    }
    return .null
  }

  // MARK: - Output

  @inline(__always)
  private mutating func emitPendingIndentation() {
    if indentationPending {
      output.append(contentsOf: indentation)
      indentationPending = false
    }
  }

  /// Appends template text, prepending the indentation to each line it starts.
  private mutating func appendIndented(_ bytes: [UInt8]) {
    var lineStart = 0
    for index in bytes.indices where bytes[index] == 0x0A {
      emitPendingIndentation()
      output.append(contentsOf: bytes[lineStart...index])
      indentationPending = true
      lineStart = index + 1
    }
    if lineStart < bytes.count {
      emitPendingIndentation()
      output.append(contentsOf: bytes[lineStart...])
    }
  }

  /// Appends an interpolated value; lists, objects and null render as the empty string.
  @inline(__always)
  private mutating func appendValue(_ value: TreeValue, escaped: Bool) {
    switch value.kind {
    case .string:
      let bytes = tree.utf8(of: value)
      if escaped {
        escaping.appendEscaped(bytes, to: &output)
      } else {
        escaping.appendUnescaped(bytes, to: &output)
      }
    case .int:
      appendDecimal(Int(truncatingIfNeeded: value.payload), to: &output)
    case .double:
      var text = TemplateValue.text(of: Double(bitPattern: value.payload))
      text.withUTF8 { output.append(contentsOf: $0) }
    case .bool:
      appendStatic(value.payload != 0 ? "true" : "false", to: &output)
    case .null, .list, .object:
      return
    }
  }
}

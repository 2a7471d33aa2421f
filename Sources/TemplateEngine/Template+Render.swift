/// How deeply partials, parents and block overrides may nest before rendering gives up; guards against
/// unbounded recursion (a partial including itself unconditionally) exhausting the stack.
let maximumNestingDepth = 100

/// Runs a template's program, appending UTF-8 to one buffer.
struct Renderer: ~Copyable {
  /// The bytes rendered and not yet handed to `emit`.
  private(set) var output: OutputBuffer
  /// `output` is handed to `emit`, and emptied, whenever it holds at least this many bytes.
  private let chunkSize: Int
  private let emit: (UnsafeBufferPointer<UInt8>) -> Void
  /// The context stack; the innermost context is last.
  private var contexts: [TreeValue]
  /// The tree's segments, and those of the list parts being read.
  private var tree: TreeReader
  private let lists: [any ListParts]
  /// The program whose instructions are being run.
  private var program: ProgramView
  private let partials: [String: Template]
  private let escaping: Escaping
  /// The template whose instructions are being run, for errors.
  private var templateName: String
  /// Prepended to each template line while inside standalone partials and re-indented blocks.
  private var indentation: [UInt8] = []
  /// A template line has just ended, so `indentation` is due before the next template content;
  /// emitting it lazily keeps lines that render nothing (standalone tags) free of it.
  private var indentationPending = false
  /// Block arguments of the parents being rendered, outermost first: the outermost override wins.
  private var overrides: [[Override]] = []
  private var depth = 0
  private let lookups: LookupCache

  /// A block passed to a parent, with the program its content is in.
  private struct Override {
    let name: String
    let program: ProgramView
    let body: Range<Int>
  }

  /// Prepares to run `program` with `root` as the only context, handing the output to `emit` in pieces of
  /// about `chunkSize` bytes; the last piece is left in `output`.
  init(
    tree: TreeReader, root: TreeValue, lists: [any ListParts], program: ProgramView, partials: [String: Template],
    escaping: Escaping,
    templateName: String, lookups: LookupCache, chunkSize: Int, emit: @escaping (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    output = OutputBuffer(capacity: chunkSize + chunkSize / 4)
    self.chunkSize = chunkSize
    self.emit = emit
    self.lookups = lookups
    self.tree = tree
    self.lists = lists
    self.contexts = [root]
    self.program = program
    self.partials = partials
    self.escaping = escaping
    self.templateName = templateName
  }

  /// Runs the whole program.
  mutating func render() throws(TemplateError) {
    try run(0..<program.instructions.count)
  }

  /// Runs the instructions in `range` against the current context stack.
  private mutating func run(_ range: Range<Int>) throws(TemplateError) {
    var index = range.lowerBound
    while index < range.upperBound {
      switch program.instructions[index] {
      case .text(let start, let count):
        let text = UnsafeBufferPointer(rebasing: program.bytes[start..<start + count])
        if indentation.isEmpty {
          output.append(text)
        } else {
          appendIndented(text)
        }
      case .variable(let keys, let count, let escaped):
        emitPendingIndentation()
        appendValue(resolve(keys: keys, count: count), escaped: escaped)
      case .section(let keys, let count, let body, let standalone):
        if !standalone { emitPendingIndentation() }
        try renderSection(resolve(keys: keys, count: count), body: index + 1..<index + 1 + body)
        index += body
      case .inverted(let keys, let count, let body, let standalone):
        if !standalone { emitPendingIndentation() }
        if !resolve(keys: keys, count: count).isTruthy { try run(index + 1..<index + 1 + body) }
        index += body
      case .partial(let partial):
        try renderPartial(program.program.partials[partial], arguments: nil)
      case .parent(let parent, let body):
        let call = program.program.parents[parent]
        let arguments = call.arguments.map { Override(name: $0.name, program: program, body: $0.body) }
        try renderPartial(call.partial, arguments: arguments)
        index += body
      case .block(let block, let body):
        try renderBlock(program.program.blocks[block], defaultBody: index + 1..<index + 1 + body)
        index += body
      }
      index += 1
      if output.count >= chunkSize {
        emit(output.bytes)
        output.removeAll()
      }
    }
  }

  private mutating func renderSection(_ value: TreeValue, body: Range<Int>) throws(TemplateError) {
    switch value.kind {
    case .null:
      return
    case .list:
      let members = tree.members(of: value)
      for index in members.indices {
        tree.prefetch(after: index, of: members)
        contexts.append(members[index])
        try run(body)
        contexts.removeLast()
      }
    case .parts:
      try renderSection(parts: lists[value.listNumber], body: body)
    case .bool, .int, .double, .string, .object:
      guard value.isTruthy else { return }
      contexts.append(value)
      try run(body)
      contexts.removeLast()
    }
  }

  /// Renders `body` for each member of a list built in parts, holding one part at a time; an outer part's
  /// members, still on the context stack, stay readable.
  private mutating func renderSection(parts list: any ListParts, body: Range<Int>) throws(TemplateError) {
    let outer = tree
    defer { tree = outer }
    try list.forEachPart(readAfter: outer) { (part, reader) throws(TemplateError) in
      tree = reader
      // The part's segment held another part before, whose shapes had the same numbers.
      lookups.removeAll()
      try renderSection(part.root, body: body)
    }
  }

  /// Renders a partial, or a parent when `arguments` is given (a parent without arguments is a partial).
  private mutating func renderPartial(_ partial: PartialNode, arguments: [Override]?) throws(TemplateError) {
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
    try template.program.withView { (view) throws(TemplateError) in
      let outerProgram = program
      program = view
      defer { program = outerProgram }
      try render()
    }
    if arguments != nil { overrides.removeLast() }
    templateName = outerName
    indentation = outerIndentation
    // A standalone tag's line end was removed, so this template continues on a fresh line.
    indentationPending = partial.standalone
    depth -= 1
  }

  private mutating func renderBlock(_ block: BlockNode, defaultBody: Range<Int>) throws(TemplateError) {
    if !block.standalone { emitPendingIndentation() }
    guard let override = override(named: block.name) else {
      try run(defaultBody)
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
    let outerProgram = program
    program = override.program
    try run(override.body)
    program = outerProgram
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

  private func override(named name: String) -> Override? {
    for arguments in overrides {
      for argument in arguments where argument.name == name { return argument }
    }
    return nil
  }

  // MARK: - Name lookup

  /// Finds the first context holding the first key, then follows the remaining keys from there only.
  private func resolve(keys start: Int, count: Int) -> TreeValue {
    guard count > 0 else { return contexts[contexts.count - 1] }
    let first = program.keys[start]
    var index = contexts.count - 1
    while index >= 0 {
      if var value = member(first, of: contexts[index]) {
        for key in program.keys[start + 1..<start + count] {
          guard let field = member(key, of: value) else { return .null }
          value = field
        }
        return value
      }
      index -= 1
    }
    return .null
  }

  /// The member named by `key` of an object value, or `nil` when it has none (or is not an object).
  @inline(__always)
  private func member(_ key: Program.Key, of object: TreeValue) -> TreeValue? {
    guard object.kind == .object else { return nil }
    let name = program.name(of: key)
    let slot = lookups.slot(name: name, shape: object) { tree.field(hash: key.hash, name: name, of: object) }
    return slot.map { tree.member(at: $0, of: object) }
  }

  // MARK: - Output

  @inline(__always)
  private mutating func emitPendingIndentation() {
    if indentationPending {
      indentation.withUnsafeBufferPointer { output.append($0) }
      indentationPending = false
    }
  }

  /// Appends template text, prepending the indentation to each line it starts.
  private mutating func appendIndented(_ bytes: UnsafeBufferPointer<UInt8>) {
    var lineStart = 0
    for index in bytes.indices where bytes[index] == 0x0A {
      emitPendingIndentation()
      output.append(UnsafeBufferPointer(rebasing: bytes[lineStart...index]))
      indentationPending = true
      lineStart = index + 1
    }
    if lineStart < bytes.count {
      emitPendingIndentation()
      output.append(UnsafeBufferPointer(rebasing: bytes[lineStart...]))
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
      output.appendDecimal(Int(truncatingIfNeeded: value.payload))
    case .double:
      output.appendNumber(Double(bitPattern: value.payload))
    case .bool:
      output.append(value.payload != 0 ? "true" : "false")
    case .null, .list, .object, .parts:
      return
    }
  }
}

/// Where objects of one shape keep a key's field, remembered per key and shape.
///
/// A report renders the same tags over thousands of objects of a few shapes, and a tag's key is often looked
/// for in objects that lack it before the one that has it; remembering each answer spares probing the shape's
/// table again.
struct LookupCache {
  private struct Entry {
    /// The key's name, as a place in its program's bytes: two keys are the same key when it is the same.
    var name: UnsafePointer<UInt8>?
    /// The object's segment and shape number; no object has the initial value.
    var shape: UInt64
    /// The field's position in the shape, or -1 when the shape has no such field.
    var slot: Int32
  }

  private static let entryCount = 1024
  private let entries: UnsafeMutableBufferPointer<Entry>

  /// Runs `body` with an empty cache, valid only inside it.
  static func withCache<Result, Failure: Error>(
    _ body: (LookupCache) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    let entries = UnsafeMutableBufferPointer<Entry>.allocate(capacity: entryCount)
    defer { entries.deallocate() }
    entries.initialize(repeating: Entry(name: nil, shape: .max, slot: -1))
    return try body(LookupCache(entries: entries))
  }

  private init(entries: UnsafeMutableBufferPointer<Entry>) {
    self.entries = entries
  }

  /// Forgets every slot: the shapes of a segment now read differently.
  func removeAll() {
    entries.update(repeating: Entry(name: nil, shape: .max, slot: -1))
  }

  /// The remembered slot of `name` in the shape of `object`, or the one `find` gives, remembered from then on.
  @inline(__always)
  func slot(name: UnsafeBufferPointer<UInt8>, shape object: TreeValue, find: () -> Int?) -> Int? {
    let shape = UInt64(object.segment) << 32 | UInt64(object.count)
    let address = UInt64(UInt(bitPattern: name.baseAddress))
    let index = Int(truncatingIfNeeded: ((address ^ shape &* 0x9E37_79B9) &* 0x9E37_79B9_7F4A_7C15) >> 54)
    let entry = entries[index]
    if entry.name == name.baseAddress && entry.shape == shape { return entry.slot < 0 ? nil : Int(entry.slot) }
    let found = find()
    entries[index] = Entry(name: name.baseAddress, shape: shape, slot: Int32(found ?? -1))
    return found
  }
}

/// A template's node tree laid out flat for rendering.
///
/// Instructions name their text, keys and bodies by position, so walking them copies no references:
/// a report renders each instruction of its run rows tens of thousands of times, and retaining and releasing
/// the node payloads used to cost more than the rest of the walk.
struct Program: Sendable {
  /// One step. A section, block or parent is followed by its body, `body` instructions long.
  enum Instruction: Sendable {
    /// Template text: `count` bytes of `bytes` from `start`.
    case text(start: Int, count: Int)
    /// `{{name}}` or `{{{name}}}`: the path's keys are `count` entries of `keys` from `keys`.
    case variable(keys: Int, count: Int, escaped: Bool)
    /// `{{#name}}` with its body.
    case section(keys: Int, count: Int, body: Int, standalone: Bool)
    /// `{{^name}}` with its body.
    case inverted(keys: Int, count: Int, body: Int, standalone: Bool)
    /// `{{>name}}`: entry `index` of `partials`.
    case partial(index: Int)
    /// `{{<name}}`: entry `index` of `parents`, followed by the bodies of its block arguments.
    case parent(index: Int, body: Int)
    /// `{{$name}}` outside a parent: entry `index` of `blocks`, followed by its default content.
    case block(index: Int, body: Int)
  }

  /// A key of a data path: the FNV-1a hash and position in `bytes` of its name.
  struct Key: Sendable {
    let hash: UInt64
    let start: Int
    let count: Int
  }

  /// A parent tag and where the content of each block it passes lies among the instructions.
  struct Parent: Sendable {
    let partial: PartialNode
    let arguments: [(name: String, body: Range<Int>)]
  }

  private(set) var instructions: [Instruction] = []
  /// Template text and key names.
  private(set) var bytes: [UInt8] = []
  private(set) var keys: [Key] = []
  private(set) var partials: [PartialNode] = []
  private(set) var parents: [Parent] = []
  private(set) var blocks: [BlockNode] = []

  /// The program of `nodes`.
  init(_ nodes: [Node]) {
    append(nodes)
  }

  private mutating func append(_ nodes: [Node]) {
    for node in nodes {
      switch node {
      case .text(let text):
        instructions.append(.text(start: bytes.count, count: text.count))
        bytes += text
      case .variable(let path, let escaped):
        let (start, count) = appendKeys(of: path)
        instructions.append(.variable(keys: start, count: count, escaped: escaped))
      case .section(let section):
        let (start, count) = appendKeys(of: section.path)
        let body = appendBody(section.nodes)
        instructions[body.at] = .section(keys: start, count: count, body: body.count, standalone: section.standalone)
      case .inverted(let section):
        let (start, count) = appendKeys(of: section.path)
        let body = appendBody(section.nodes)
        instructions[body.at] = .inverted(keys: start, count: count, body: body.count, standalone: section.standalone)
      case .partial(let partial):
        instructions.append(.partial(index: partials.count))
        partials.append(partial)
      case .parent(let parent):
        let at = placeholder()
        var arguments: [(name: String, body: Range<Int>)] = []
        for argument in parent.arguments {
          let start = instructions.count
          append(argument.nodes)
          arguments.append((argument.name, start..<instructions.count))
        }
        instructions[at] = .parent(index: parents.count, body: instructions.count - at - 1)
        parents.append(Parent(partial: parent.partial, arguments: arguments))
      case .block(let block):
        let body = appendBody(block.nodes)
        instructions[body.at] = .block(index: blocks.count, body: body.count)
        blocks.append(block)
      }
    }
  }

  /// Reserves the instruction for a tag with a body, then appends the body.
  private mutating func appendBody(_ nodes: [Node]) -> (at: Int, count: Int) {
    let at = placeholder()
    append(nodes)
    return (at, instructions.count - at - 1)
  }

  private mutating func placeholder() -> Int {
    instructions.append(.partial(index: -1))
    return instructions.count - 1
  }

  private mutating func appendKeys(of path: Path) -> (start: Int, count: Int) {
    let start = keys.count
    for key in path.keys {
      keys.append(Key(hash: key.hash, start: bytes.count, count: key.name.utf8.count))
      bytes += key.name.utf8
    }
    return (start, path.keys.count)
  }

  /// Reads the program through unsafe buffers, valid only inside `body`.
  func withView<Result, Failure: Error>(
    _ body: (ProgramView) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    try instructions.withUnsafeBufferPointer { (instructions) throws(Failure) -> Result in
      try bytes.withUnsafeBufferPointer { (bytes) throws(Failure) -> Result in
        try keys.withUnsafeBufferPointer { (keys) throws(Failure) -> Result in
          try body(ProgramView(instructions: instructions, bytes: bytes, keys: keys, program: self))
        }
      }
    }
  }
}

/// Unsafe views of a program's buffers; valid only inside `Program.withView`.
struct ProgramView {
  let instructions: UnsafeBufferPointer<Program.Instruction>
  let bytes: UnsafeBufferPointer<UInt8>
  let keys: UnsafeBufferPointer<Program.Key>
  /// For the tables that are read once per partial, parent or block rather than per value.
  let program: Program

  /// The UTF-8 of a key's name.
  @inline(__always)
  func name(of key: Program.Key) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: bytes[key.start..<key.start + key.count])
  }
}

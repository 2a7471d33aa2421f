/// A Mustache template parsed once into a node tree, rendered to UTF-8 bytes.
///
/// Supports the Mustache spec's interpolation, sections, inverted sections, comments, partials,
/// set-delimiter tags and inheritance (`{{<parent}}`, `{{$block}}`); lambdas are not supported.
/// A `{{% CONTENT_TYPE: HTML|XML|MARKDOWN|TEXT }}` pragma chooses how `{{name}}` values are escaped.
public struct Template: Sendable {
  /// The name used in errors.
  public let name: String
  /// How values are escaped: from the `CONTENT_TYPE` pragma if present, else the default given at parse time.
  public var escaping: Escaping
  /// The parsed template, laid out for rendering.
  let program: Program
  /// The names of the partials and parents it includes (`{{> name}}`, `{{< name}}`).
  public let includedNames: Set<String>
  /// Every tag that looks up a value or a template, with its place, for checking names without rendering.
  let nameLookups: [NameLookup]

  /// Parses `source` once into a node tree; `name` is used in errors.
  public init(source: String, name: String, defaultEscaping: Escaping = .html) throws(TemplateError) {
    var parser = Parser(source: source, name: name)
    let parsed = try parser.parse()
    self.name = name
    self.escaping = parsed.escaping ?? defaultEscaping
    self.program = Program(parsed.nodes)
    self.includedNames = namesIncluded(by: parsed.nodes)
    self.nameLookups = parsed.nameLookups
  }

  /// Renders `value`, appending UTF-8 to `output`; partials and parents are looked up by name in `partials`.
  ///
  /// Partials render with this template's escaping. A missing partial renders as the empty string.
  public func render(
    _ value: TemplateValue,
    partials: [String: Template] = [:],
    into output: inout [UInt8]
  ) throws(TemplateError) {
    try render(ValueTree(value), partials: partials, into: &output)
  }

  /// Renders `tree`, appending UTF-8 to `output`; partials and parents are looked up by name in `partials`.
  public func render(
    _ tree: ValueTree,
    partials: [String: Template] = [:],
    into output: inout [UInt8]
  ) throws(TemplateError) {
    try render(tree, partials: partials, chunkSize: 64 * 1024) { output.append(contentsOf: $0) }
  }

  /// Renders `tree` in pieces of about `chunkSize` bytes, handing each to `emit`, which must use them before
  /// returning (they are overwritten after).
  ///
  /// For outputs too large to hold at once: memory stays near `chunkSize` however much is rendered.
  public func render(
    _ tree: ValueTree,
    partials: [String: Template] = [:],
    chunkSize: Int,
    emit: (UnsafeBufferPointer<UInt8>) -> Void
  ) throws(TemplateError) {
    try render(tree, lists: tree.partsBuiltOnDemand(), partials: partials, chunkSize: chunkSize, emit: emit)
  }

  /// Renders `tree` as `render(_:partials:chunkSize:emit:)` does, reading the parts of its lazy lists from
  /// `lists`, by list number.
  func render(
    _ tree: ValueTree,
    lists: [any ListParts],
    partials: [String: Template],
    chunkSize: Int,
    emit: (UnsafeBufferPointer<UInt8>) -> Void
  ) throws(TemplateError) {
    try withoutActuallyEscaping(emit) { emit in
      tree.withReader { reader in
        Result { () throws(TemplateError) in
          try program.withView { (program) throws(TemplateError) in
            try LookupCache.withCache { (lookups) throws(TemplateError) in
              var renderer = Renderer(
                tree: reader, root: tree.root, lists: lists, program: program, partials: partials,
                escaping: escaping,
                templateName: name, lookups: lookups, chunkSize: chunkSize, emit: emit)
              try renderer.render()
              emit(renderer.output.bytes)
            }
          }
        }
      }
    }.get()
  }

  /// Renders `value` to a string; partials and parents are looked up by name in `partials`.
  public func render(_ value: TemplateValue, partials: [String: Template] = [:]) throws(TemplateError) -> String {
    var output: [UInt8] = []
    try render(value, partials: partials, into: &output)
    return String(decoding: output, as: UTF8.self)
  }
}

/// A data path such as `a.b.c`, split at parse time; no keys means the implicit iterator `.`.
struct Path: Sendable {
  let keys: [TemplateKey]
}

/// One element of a parsed template.
enum Node: Sendable {
  /// Literal template text.
  case text([UInt8])
  /// `{{name}}` (escaped) or `{{{name}}}` / `{{&name}}` (unescaped).
  case variable(Path, escaped: Bool)
  /// `{{#name}}…{{/name}}`.
  case section(SectionNode)
  /// `{{^name}}…{{/name}}`.
  case inverted(SectionNode)
  /// `{{>name}}`.
  case partial(PartialNode)
  /// `{{<name}}…{{/name}}`.
  case parent(ParentNode)
  /// `{{$name}}…{{/name}}` outside a parent's argument list.
  case block(BlockNode)
}

/// A section or inverted section.
struct SectionNode: Sendable {
  let path: Path
  let nodes: [Node]
  /// The opening tag sat alone on its line, which was removed, so it must not emit pending indentation.
  let standalone: Bool
}

/// A partial tag.
struct PartialNode: Sendable {
  let name: String
  /// Whitespace before a standalone tag; prepended to every line of the partial.
  let indentation: [UInt8]
  let standalone: Bool
  let line: Int
  let column: Int
}

/// A parent tag with the blocks it passes.
struct ParentNode: Sendable {
  let partial: PartialNode
  let arguments: [BlockArgument]
}

/// A block passed to a parent: `{{$name}}content{{/name}}` directly inside `{{<parent}}`.
struct BlockArgument: Sendable {
  let name: String
  /// The content, with its own indentation already removed so the expansion site can supply one.
  let nodes: [Node]
}

/// A block expansion site with its default content.
struct BlockNode: Sendable {
  let name: String
  let nodes: [Node]
  /// Indentation added to every line of an overriding block's content.
  let indentation: [UInt8]
  /// The opening tag sat alone on its line, so overriding content starts on a fresh line.
  let standalone: Bool
  let line: Int
  let column: Int
}

/// The names of the partials and parents `nodes` include, at any depth.
private func namesIncluded(by nodes: [Node]) -> Set<String> {
  var names: Set<String> = []
  for node in nodes {
    switch node {
    case .text, .variable: break
    case .section(let section), .inverted(let section): names.formUnion(namesIncluded(by: section.nodes))
    case .partial(let partial): names.insert(partial.name)
    case .parent(let parent):
      names.insert(parent.partial.name)
      for argument in parent.arguments { names.formUnion(namesIncluded(by: argument.nodes)) }
    case .block(let block): names.formUnion(namesIncluded(by: block.nodes))
    }
  }
  return names
}

extension Template {
  /// The names in `templates` that no value of `shape` can resolve, each a warning at its tag.
  ///
  /// Follows Mustache's lookup: a name resolves when some context, innermost outward, may hold its first key
  /// and the rest of it may then be followed inside that one. Each template in `roots` renders against `shape`;
  /// a partial is checked in the contexts of every tag that includes it, and a name in it warns only when it
  /// resolves in none of them. Names inside a parent tag's blocks, and templates no root reaches, are not checked.
  /// - Parameters:
  ///   - templates: every template by the name partial tags use.
  ///   - roots: the names of the templates rendered against `shape` itself.
  ///   - shape: the root context's shape.
  ///   - model: what `shape` is, for the message: `'a.b' never resolves against MODEL`.
  /// - Returns: the warnings by template name, then by place.
  public static func namesThatNeverResolve(
    in templates: [String: Template], roots: [String], against shape: ValueShape, model: String
  ) -> [TemplateWarning] {
    var checker = NameChecker(templates: templates)
    for root in roots.sorted() { checker.check(root, contexts: [shape], depth: 0) }
    return checker.resolved.keys.sorted().flatMap { name -> [TemplateWarning] in
      guard let template = templates[name], let resolved = checker.resolved[name] else { return [] }
      return zip(template.nameLookups, resolved).filter { !$1 }.map { lookup, _ in
        TemplateWarning(
          name: template.name, line: lookup.line, column: lookup.column,
          message: "'\(lookup.name)' never resolves against \(model)")
      }
    }
  }
}

/// Runs each template's lookups against the context shapes it renders in, following partials.
private struct NameChecker {
  let templates: [String: Template]
  /// For each template reached, whether each of its lookups may resolve in some context it renders in.
  var resolved: [String: [Bool]] = [:]
  /// The templates checked, with their contexts: a partial included twice in the same place is checked once.
  private var checked: Set<Visit> = []

  private struct Visit: Hashable {
    let name: String
    let contexts: [ValueShape]
  }

  /// Partials nested deeper than this, or reached after this many checks, are checked as if any name could
  /// resolve: a partial that includes itself, or several partials including each other, would otherwise be
  /// followed through every order of inclusion.
  private static let maximumDepth = 8
  private static let maximumChecks = 1000

  init(templates: [String: Template]) {
    self.templates = templates
  }

  mutating func check(_ name: String, contexts: [ValueShape], depth: Int) {
    guard let template = templates[name] else { return }
    let followed = depth <= Self.maximumDepth && checked.count < Self.maximumChecks
    let contexts = followed ? contexts : [.unknown]
    guard checked.insert(Visit(name: name, contexts: contexts)).inserted else { return }
    var flags = resolved[name] ?? Array(repeating: false, count: template.nameLookups.count)
    var partials: [(name: String, contexts: [ValueShape])] = []
    for (index, lookup) in template.nameLookups.enumerated() {
      let around = Self.contexts(contexts, inside: lookup.sections)
      if lookup.kind == .partial {
        flags[index] = true
        partials.append((lookup.name, around))
      } else if !flags[index] {
        flags[index] = Self.resolve(lookup.keys, in: around) != nil
      }
    }
    resolved[name] = flags
    for partial in partials { check(partial.name, contexts: partial.contexts, depth: depth + 1) }
  }

  /// The context stack inside the sections named `sections`, entered in order from `contexts`.
  ///
  /// A section whose name never resolves never renders its body; its context is taken as anything, so that
  /// the names in the body do not warn for a mistake already reported.
  private static func contexts(_ contexts: [ValueShape], inside sections: [String]) -> [ValueShape] {
    var stack = contexts
    for section in sections {
      let keys = section == "." ? [] : section.split(separator: ".")
      stack.append((resolve(keys, in: stack) ?? .unknown).sectionContext)
    }
    return stack
  }

  /// The shape of what `keys` may resolve to in `contexts` (innermost last), or `nil` when they never resolve.
  ///
  /// The first context that surely holds the first key ends the search, as in rendering; one that may hold it
  /// adds its answer and the search goes on outward.
  private static func resolve(_ keys: [Substring], in contexts: [ValueShape]) -> ValueShape? {
    guard let first = keys.first else { return contexts.last }
    var found: ValueShape?
    for context in contexts.reversed() {
      switch context.member(first) {
      case .no:
        continue
      case .yes(let member):
        return ValueShape.merge(found, member.following(keys.dropFirst()))
      case .maybe(let member):
        found = ValueShape.merge(found, member.following(keys.dropFirst()))
      }
    }
    return found
  }
}

/// A tag that looks a name up when rendered: a value among the contexts, or a template among the partials.
///
/// Kept beside the program, not in it: rendering never reads these, checking names does.
struct NameLookup: Sendable, Hashable {
  enum Kind: Sendable, Hashable {
    /// `{{name}}` or `{{{name}}}`.
    case variable
    /// `{{#name}}`, whose value becomes the context of its body.
    case section
    /// `{{^name}}`, whose body renders in the contexts around it.
    case invertedSection
    /// `{{>name}}` or `{{<name}}`: the template renders in the contexts around the tag.
    case partial
  }

  let kind: Kind
  /// The name as written: a dotted path, `.`, or a template's name.
  let name: String
  /// The 1-based line of the tag's opening delimiter.
  let line: Int
  /// The 1-based column (in Unicode scalars) of the tag's opening delimiter.
  let column: Int
  /// The names of the sections around the tag, outermost first: each one's value is a context the tag sees.
  /// Inverted sections push no context and are left out.
  let sections: [String]

  /// The keys of a data path; none for `.`.
  var keys: [Substring] {
    name == "." ? [] : name.split(separator: ".")
  }
}

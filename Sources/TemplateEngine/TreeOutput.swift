import Dispatch

/// One output rendered from a tree: a template, or the tree's own JSON encoding.
public enum TreeOutput: Sendable {
  /// The template, with `partials` for its partials and parents.
  case template(Template, partials: [String: Template])
  /// The tree encoded as JSON, indented down to `compactDepth` (`ValueTree.encodeJSON`).
  case json(compactDepth: Int)
}

extension TreeOutput {
  /// Renders `outputs` side by side, each on a thread of its own, from one tree that `tree` builds around
  /// `list`; bytes go to `emit` with the output's index, in pieces of about `chunkSize`.
  ///
  /// The outputs read the list side by side, so each part of it is built once, by the first output to reach
  /// it, and is let go once all have read it: the whole list is never held. While `tree` builds the rest of
  /// the tree on this thread, the first parts of the list are built on another.
  ///
  /// - Parameters:
  ///   - outputs: what to render, each handed to `emit` under its index.
  ///   - list: the list the outputs share.
  ///   - tree: builds the tree in the builder it is given around `list`'s value, and returns its root.
  ///   - chunkSize: about how many bytes each call of `emit` gets.
  ///   - emit: takes an output's bytes, which it must use before returning; each output calls it from its own
  ///     thread, in order.
  /// - Throws: the first output's (by index) `TemplateError`, after all outputs finished.
  public static func render(
    _ outputs: [TreeOutput], list: some LazyList,
    tree: (inout ValueTreeBuilder, _ list: TreeValue) -> TreeValue,
    chunkSize: Int, emit: @escaping @Sendable (_ output: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Void
  ) throws(TemplateError) {
    let shared = SharedListParts(LazyListParts(list), readers: outputs.count, lead: lead)
    var builder = ValueTreeBuilder()
    let listValue = builder.list(lazy: list)
    // The list's parts are read in the segment after the one the rest of the tree is built in.
    let partSegment = builder.segment + 1
    let buildingAhead = DispatchGroup()
    DispatchQueue.global().async(group: buildingAhead) { shared.buildAhead(segment: partSegment) }
    let root = tree(&builder, listValue)
    let whole = builder.finish(root: root)
    let failures = onThreadsOfTheirOwn(outputs.count, notStarted: { shared.finish(reader: $0) }) {
      index -> TemplateError? in
      defer { shared.finish(reader: index) }
      // Other lazy lists `tree` may have added are built by each output for itself.
      var lists = whole.partsBuiltOnDemand()
      lists[listValue.listNumber] = shared.reader(index)
      do throws(TemplateError) {
        try outputs[index].render(whole, lists: lists, chunkSize: chunkSize) { bytes in emit(index, bytes) }
        return nil
      } catch {
        return error
      }
    }
    // No part is built once this returns.
    buildingAhead.wait()
    if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
  }

  /// How many parts of the list an output may read ahead of the slowest output.
  ///
  /// The outputs render at different speeds (a report's JSON takes as long as the rest together), and a reader
  /// held back leaves its core to the others; a few parts of lead keep both cores busy.
  static let lead = 4

  /// Renders `tree` alone, reading the parts of its lazy lists from `lists`, by list number.
  func render(
    _ tree: ValueTree, lists: [any ListParts], chunkSize: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void
  ) throws(TemplateError) {
    switch self {
    case .template(let template, let partials):
      try template.render(tree, lists: lists, partials: partials, chunkSize: chunkSize, emit: emit)
    case .json(let compactDepth):
      tree.encodeJSON(compactDepth: compactDepth, lists: lists, chunkSize: chunkSize, emit: emit)
    }
  }
}

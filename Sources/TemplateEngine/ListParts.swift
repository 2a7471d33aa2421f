/// A list that a reader gets a part at a time and never holds whole: a `LazyList`'s rows, built here or shared
/// among readers (`SharedListParts`).
///
/// A tree holds such a list as one value; a template section or the JSON encoding that reaches it asks for
/// its parts in order and lets each go before asking for the next, so the memory a reader needs grows with a
/// part, not with the list.
protocol ListParts: Sendable {
  /// How many members the parts hold together.
  var count: Int { get }
  /// How many parts there are.
  var partCount: Int { get }
  /// Part `number`: a tree whose root is a list of that part's members, every value of it in segment
  /// `segment` (which the reader sets aside for it). Equal numbers give equal parts.
  func part(_ number: Int, segment: Int) -> ValueTree
  /// Takes back a part its reader has finished with, whose memory later parts may be built in.
  func recycle(_ part: consuming ValueTree)
}

extension ListParts {
  /// Lets the part go.
  func recycle(_ part: consuming ValueTree) {}

  /// Calls `body` with each part in order and a reader of it that reads `outer`'s segments too, holding one
  /// part at a time.
  ///
  /// Each part is read in the segment after `outer`'s, so a part read inside another (the same list in its
  /// own section, say) leaves the outer part readable.
  func forEachPart<Failure: Error>(
    readAfter outer: TreeReader, _ body: (ValueTree, TreeReader) throws(Failure) -> Void
  ) throws(Failure) {
    for number in 0..<partCount {
      let part = part(number, segment: outer.segments.count)
      try part.withReader(extending: outer) { (reader) throws(Failure) in try body(part, reader) }
      recycle(consume part)
    }
  }
}

/// A list whose rows are built only when a reader reaches them, a range at a time, and never held whole.
public protocol LazyList: Sendable {
  /// How many rows the list holds.
  var count: Int { get }
  /// Adds rows `range` to `tree` and returns their values, in order.
  func rows(_ range: Range<Int>, in tree: inout ValueTreeBuilder) -> [TreeValue]
}

/// The parts of a `LazyList`, each `partSize` rows (the last fewer), built whenever a reader asks for one.
struct LazyListParts: ListParts {
  let list: any LazyList
  let partSize: Int
  /// The buffers of parts let go, which later parts are built in: they are in the cache, and fresh memory
  /// first has to be faulted in from the system.
  private let spares = SpareBuffers()

  /// Rows per part: large enough that a part's own cost (its shared values, its field names) is small, and
  /// small enough that a part stays in the cache while every output reads it (about 1.7 MB for a report's runs).
  static let partSize = 512

  init(_ list: any LazyList, partSize: Int = Self.partSize) {
    precondition(partSize > 0, "a part holds at least one row")
    self.list = list
    self.partSize = partSize
  }

  var count: Int { list.count }
  var partCount: Int { (list.count + partSize - 1) / partSize }

  func part(_ number: Int, segment: Int) -> ValueTree {
    let start = number * partSize
    let end = Swift.min(list.count, start + partSize)
    var builder = ValueTreeBuilder(segment: segment, storage: spares.take())
    let rows = list.rows(start..<end, in: &builder)
    precondition(rows.count == end - start, "a lazy list gives one value for each row asked for")
    let root = builder.list(rows)
    return builder.finish(root: root)
  }

  func recycle(_ part: consuming ValueTree) {
    spares.keep(part.storage())
  }
}

/// Buffers to build tree parts in, taken and given back by the threads building and reading the parts.
final class SpareBuffers: @unchecked Sendable {
  // @unchecked: `spares` is read and written only with `lock` locked.
  private let lock = Condition()
  private var spares: [ValueTreeStorage] = []
  /// More than the parts held at once never come back.
  private static let limit = 16

  func take() -> ValueTreeStorage {
    lock.withLock { spares.popLast() } ?? ValueTreeStorage()
  }

  func keep(_ storage: ValueTreeStorage) {
    lock.withLock {
      if spares.count < Self.limit { spares.append(storage) }
    }
  }
}

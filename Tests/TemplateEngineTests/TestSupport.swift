import Foundation
import Testing

@testable import TemplateEngine

/// Numbers in the order they are asked for, from any thread.
final class Counter: @unchecked Sendable {
  // @unchecked: `count` is read and written only with `lock` locked.
  private let lock = NSLock()
  private var count = 0

  /// How many numbers were given.
  var value: Int { lock.withLock { count } }

  /// The next number, from 0.
  func next() -> Int {
    lock.withLock {
      defer { count += 1 }
      return count
    }
  }
}

/// What `body` returns when it returns within 30 seconds on another thread, so that readers waiting for each
/// other for ever fail the test rather than hang it.
func finishesInTime<Value: Sendable>(_ body: @escaping @Sendable () -> Value) -> Value? {
  let box = Box<Value>()
  let done = DispatchSemaphore(value: 0)
  DispatchQueue.global().async {
    box.value = body()
    done.signal()
  }
  let inTime = done.wait(timeout: .now() + 30) == .success
  #expect(inTime, "the readers waited for each other for ever")
  return inTime ? box.value : nil
}

private final class Box<Value>: @unchecked Sendable {
  // @unchecked: written before a semaphore is signalled, read after it was waited for.
  var value: Value?
}

/// The rows "m0", "m1", … of a list of `count`.
struct NumberedRows: LazyList {
  let count: Int

  func rows(_ range: Range<Int>, in tree: inout ValueTreeBuilder) -> [TreeValue] {
    range.map { tree.string("m\($0)") }
  }
}

/// The parts of `NumberedRows`, counting how many are built and taken back.
final class CountingParts: ListParts, @unchecked Sendable {
  // @unchecked: the counts are read and written only with `lock` locked.
  private let parts: LazyListParts
  private let lock = NSLock()
  private var counts = (built: 0, recycled: 0, mostHeld: 0)

  init(count: Int, size: Int) {
    parts = LazyListParts(NumberedRows(count: count), partSize: size)
  }

  var count: Int { parts.count }
  var partCount: Int { parts.partCount }
  var built: Int { lock.withLock { counts.built } }
  var recycled: Int { lock.withLock { counts.recycled } }
  /// The most parts built and not yet taken back at any one time.
  var mostHeld: Int { lock.withLock { counts.mostHeld } }

  func part(_ number: Int, segment: Int) -> ValueTree {
    lock.withLock {
      counts.built += 1
      counts.mostHeld = max(counts.mostHeld, counts.built - counts.recycled)
    }
    return parts.part(number, segment: segment)
  }

  func recycle(_ part: consuming ValueTree) {
    lock.withLock { counts.recycled += 1 }
    parts.recycle(part)
  }

  /// What the parts hold, in order.
  var members: [String] { (0..<count).map { "m\($0)" } }

  /// Every member of `list`, part by part.
  static func read(_ list: any ListParts) -> [String] {
    (0..<list.partCount).flatMap { number in read(list.part(number, segment: 1)) }
  }

  /// The members of `part`.
  static func read(_ part: ValueTree) -> [String] {
    guard case .list(let members) = part.templateValue(part.root) else { return [] }
    return members.map { member in
      guard case .string(let text) = member else { return "\(member)" }
      return text
    }
  }
}

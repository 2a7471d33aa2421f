/// A list built in parts that several readers (the outputs, each on its own thread) read side by side: each
/// part is built once, by the first reader to reach it, and let go once every reader has moved past it.
///
/// So that the parts held stay few, a reader that gets more than `lead` parts ahead of the slowest one
/// waits for it. Every reader must therefore be running at once, each on a thread of its own; a reader
/// that has not started holds the others back at the first parts.
final class SharedListParts: @unchecked Sendable {
  // @unchecked: the mutable members are read and written only with `condition` locked.
  private let list: any ListParts
  private let lead: Int
  private let condition = Condition()
  /// The part each reader asked for last; `Int.max` once it has finished.
  private var positions: [Int]
  /// Parts built and not yet let go, by number and segment.
  private var parts: [PartKey: ValueTree] = [:]
  /// Parts some reader is building now.
  private var building: Set<PartKey> = []

  private struct PartKey: Hashable {
    let number: Int
    let segment: Int
  }

  /// Shares `list` among `readers` readers, numbered from 0.
  init(_ list: any ListParts, readers: Int, lead: Int) {
    self.list = list
    self.lead = lead
    positions = Array(repeating: 0, count: readers)
  }

  /// What reader `reader` reads instead of the list.
  func reader(_ reader: Int) -> any ListParts {
    Reader(shared: self, number: reader)
  }

  /// Builds the parts the readers will ask for first, into segment `segment`; for a thread that has nothing
  /// else to do before they start.
  func buildAhead(segment: Int) {
    condition.withLock {
      while let next = partToBuild(segment: segment) { _ = build(next) }
    }
  }

  /// Notes that `reader` will ask for no more parts.
  func finish(reader: Int) {
    condition.withLock {
      positions[reader] = .max
      letGoOfPassedParts()
    }
  }

  /// Part `number`, built here or by another reader. A reader that must wait, for a slower one or for a part
  /// being built, builds a part the readers will need soon in the meantime: parts are built on every core,
  /// and ahead of the readers.
  private func part(_ number: Int, segment: Int, reader: Int) -> ValueTree {
    let key = PartKey(number: number, segment: segment)
    condition.lock()
    defer { condition.unlock() }
    positions[reader] = number
    letGoOfPassedParts()
    while true {
      let inReach = number <= slowest + lead
      if inReach, let part = parts[key] { return part }
      if inReach, !building.contains(key) {
        return build(key)
      } else if let next = partToBuild(segment: segment) {
        _ = build(next)
      } else {
        condition.wait()
      }
    }
  }

  /// Builds the part of `key` with the lock let go meanwhile, and keeps it.
  private func build(_ key: PartKey) -> ValueTree {
    building.insert(key)
    condition.unlock()
    let part = list.part(key.number, segment: key.segment)
    condition.lock()
    building.remove(key)
    // A reader that went back to an earlier part may have let this one go while it was being built.
    if key.number >= slowest { parts[key] = part }
    condition.broadcast()
    return part
  }

  /// The first part within the lead of the slowest reader that is neither built nor being built.
  private func partToBuild(segment: Int) -> PartKey? {
    let slowest = slowest
    guard slowest < list.partCount else { return nil }
    for number in slowest...Swift.min(list.partCount - 1, slowest + lead) {
      let key = PartKey(number: number, segment: segment)
      if parts[key] == nil && !building.contains(key) { return key }
    }
    return nil
  }

  private var slowest: Int { positions.min() ?? .max }

  /// Gives the parts every reader is past back to the list, and wakes the readers waiting for the slowest to
  /// catch up.
  private func letGoOfPassedParts() {
    let slowest = slowest
    // The keys are copied out first: removing parts while walking the dictionary's own keys would copy the
    // dictionary, parts and all, and the parts would not be the list's alone to take back.
    for key in parts.keys.filter({ $0.number < slowest }) {
      if let part = parts.removeValue(forKey: key) { list.recycle(part) }
    }
    condition.broadcast()
  }

  private struct Reader: ListParts {
    let shared: SharedListParts
    let number: Int

    var count: Int { shared.list.count }
    var partCount: Int { shared.list.partCount }

    func part(_ part: Int, segment: Int) -> ValueTree {
      shared.part(part, segment: segment, reader: number)
    }
  }
}

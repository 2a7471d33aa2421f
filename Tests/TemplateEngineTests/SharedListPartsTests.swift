import Foundation
import Testing

@testable import TemplateEngine

/// Readers on threads of their own read one list's parts side by side.
@Suite struct SharedListPartsTests {
  @Test func readersSideBySideBuildEachPartOnceAndHoldFew() {
    let list = CountingParts(count: 1000, size: 10)
    let shared = SharedListParts(list, readers: 5, lead: 3)
    let seen = finishesInTime {
      onThreadsOfTheirOwn(5) { reader in
        defer { shared.finish(reader: reader) }
        return CountingParts.read(shared.reader(reader))
      }
    }
    guard let seen else { return }
    #expect(seen.count == 5 && seen.allSatisfy { $0 == list.members })
    #expect(list.built == 100)
    #expect(list.recycled == 100)
    // The slowest reader's part and the lead beyond it.
    #expect(list.mostHeld <= 4)
  }

  /// When the system refuses a reader its thread, the others go on without it, and it reads on its own after.
  @Test func aReaderWhoseThreadIsRefusedReadsAfterTheOthers() {
    let list = CountingParts(count: 200, size: 10)
    let shared = SharedListParts(list, readers: 3, lead: 2)
    let clock = Counter()
    let seen = finishesInTime {
      onThreadsOfTheirOwn(3, notStarted: { shared.finish(reader: $0) }, startsThread: { $0 != 1 }) { reader in
        defer { shared.finish(reader: reader) }
        let members = CountingParts.read(shared.reader(reader))
        return (members: members, finished: clock.next())
      }
    }
    guard let seen else { return }
    let once = list.members
    #expect(seen.map(\.members) == [once, once, once])
    #expect(seen.map(\.finished).sorted() == [0, 1, 2])
    #expect(seen.count == 3 && seen[1].finished == 2)
  }

  @Test func aReaderThatReadsNothingOrTwiceHoldsNobodyBackForEver() {
    let list = CountingParts(count: 200, size: 10)
    let shared = SharedListParts(list, readers: 3, lead: 2)
    let seen = finishesInTime {
      onThreadsOfTheirOwn(3) { reader in
        defer { shared.finish(reader: reader) }
        let parts = shared.reader(reader)
        return reader == 0 ? [] : (0..<reader).flatMap { _ in CountingParts.read(parts) }
      }
    }
    guard let seen else { return }
    let once = list.members
    #expect(seen == [[], once, once + once])
    // Parts read again after the others passed them are built again; never more than once a reading.
    #expect(list.built >= 20 && list.built <= 40)
    #expect(list.recycled <= list.built)
  }
}

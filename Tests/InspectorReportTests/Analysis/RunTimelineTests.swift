import SeededRandom
import Testing

@testable import InspectorReport

@Suite struct RunTimelineTests {
  private func at(_ seconds: Int64) -> Timestamp {
    Timestamp(microseconds: seconds * 1_000_000)
  }

  @Test func lastTerminalStateCountsZero() {
    let timeline = RunTimeline(
      changes: [
        StateChange(at: at(0), state: "CREATED"), StateChange(at: at(10), state: "COLLECTING_DATA"),
        StateChange(at: at(70), state: "COMPLETED"),
      ], state: "COMPLETED", now: at(1000))
    #expect(!timeline.inProgress)
    #expect(timeline.elapsed.microseconds == 70_000_000)
    #expect(timeline.duration(of: .setup).microseconds == 10_000_000)
    #expect(timeline.duration(of: .collection).microseconds == 60_000_000)
  }

  @Test func unfinishedRunRunsUntilNow() {
    let timeline = RunTimeline(
      changes: [StateChange(at: at(0), state: "CREATED"), StateChange(at: at(5), state: "COLLECTING_DATA")],
      state: "COLLECTING_DATA", now: at(65))
    #expect(timeline.inProgress)
    #expect(timeline.duration(of: .collection).microseconds == 60_000_000)
    #expect(timeline.lastState == "COLLECTING_DATA")
  }

  @Test func nowBeforeTheLastChangeCountsZeroNotNegative() {
    let timeline = RunTimeline(
      changes: [StateChange(at: at(100), state: "COLLECTING_DATA")], state: "COLLECTING_DATA", now: at(50))
    #expect(timeline.elapsed == .zero)
  }

  @Test func stateEnteredTwiceSumsAndUnknownStatesCountOnlyInElapsed() {
    let timeline = RunTimeline(
      changes: [
        StateChange(at: at(0), state: "COLLECTING_DATA"), StateChange(at: at(10), state: "SOMETHING_NEW"),
        StateChange(at: at(15), state: "COLLECTING_DATA"), StateChange(at: at(45), state: "FAILED"),
      ], state: "FAILED", now: nil)
    #expect(timeline.duration(of: .collection).microseconds == 40_000_000)
    #expect(timeline.elapsed.microseconds == 45_000_000)
    #expect(timeline.stateDurations.map(\.state) == ["COLLECTING_DATA", "SOMETHING_NEW", "FAILED"])
  }

  @Test func changesAreSortedStablyByTime() {
    // Newest-first input, with two changes at the same instant that must keep their recorded order.
    let timeline = RunTimeline(
      changes: [
        StateChange(at: at(20), state: "COMPLETED"), StateChange(at: at(5), state: "COLLECTING_DATA"),
        StateChange(at: at(0), state: "CREATED"), StateChange(at: at(0), state: "START_DATA_COLLECTION_PENDING"),
      ], state: "COMPLETED", now: nil)
    #expect(
      timeline.stateDurations.map(\.state) == [
        "CREATED", "START_DATA_COLLECTION_PENDING", "COLLECTING_DATA", "COMPLETED",
      ])
    #expect(timeline.duration(of: .setup).microseconds == 5_000_000)
  }

  @Test func noChangesMeansInProgressOnlyForNonTerminalState() {
    #expect(!RunTimeline(changes: [], state: "COMPLETED", now: at(9)).inProgress)
    #expect(RunTimeline(changes: [], state: "CREATED", now: at(9)).inProgress)
  }

  /// Random, shuffled and skewed histories: phases and unknown states add up to elapsed, nothing is negative,
  /// and elapsed is exactly the span from the first change to the end.
  @Test(arguments: 0..<200)
  func phasesSumToElapsed(seed: Int) {
    var random = SeededGenerator(seed: UInt64(seed))
    let states = [
      "CREATED", "START_DATA_COLLECTION_PENDING", "START_DATA_COLLECTION_IN_PROGRESS", "COLLECTING_DATA",
      "STOP_DATA_COLLECTION_PENDING", "DATA_COLLECTED", "START_EVALUATING_RULES_PENDING", "EVALUATING_RULES",
      "NEW_STATE", "COMPLETED", "FAILED",
    ].map(RunState.init(name:))
    let count = Int.random(in: 1...50, using: &random)
    let skew = Bool.random(using: &random)
    var changes = (0..<count).map { _ in
      let seconds = skew ? Int64.random(in: 0...3, using: &random) : Int64.random(in: 0...10_000_000, using: &random)
      return StateChange(
        at: Timestamp(microseconds: seconds * 1_000_000 + Int64.random(in: 0..<1_000_000, using: &random)),
        state: states.randomElement(using: &random) ?? "CREATED")
    }
    changes.shuffle(using: &random)
    let now = Timestamp(microseconds: Int64.random(in: 0...12_000_000_000_000, using: &random))
    let timeline = RunTimeline(changes: changes, state: "CREATED", now: now)

    let phaseSum = RunPhase.allCases.reduce(TimeSpan.zero) { $0 + timeline.duration(of: $1) }
    let outside = timeline.stateDurations.filter { $0.state.phase == nil }.reduce(TimeSpan.zero) {
      $0 + $1.duration
    }
    #expect(phaseSum + outside == timeline.elapsed)
    #expect(timeline.stateDurations.allSatisfy { $0.duration.microseconds >= 0 })
    let times = changes.map(\.at)
    guard let first = times.min(), let last = times.max() else { return }
    let end = timeline.inProgress ? max(last, now) : last
    #expect(timeline.elapsed == end.duration(since: first))
  }
}

@Suite struct RunStateTests {
  /// Every AssessmentRunState of the service model, with its phase; nil for the terminal ones.
  static let states: [(String, RunPhase?)] = [
    ("CREATED", .setup), ("START_DATA_COLLECTION_PENDING", .setup), ("START_DATA_COLLECTION_IN_PROGRESS", .setup),
    ("COLLECTING_DATA", .collection), ("STOP_DATA_COLLECTION_PENDING", .wrapup), ("DATA_COLLECTED", .wrapup),
    ("START_EVALUATING_RULES_PENDING", .evaluation), ("EVALUATING_RULES", .evaluation), ("FAILED", nil),
    ("ERROR", nil), ("COMPLETED", nil), ("COMPLETED_WITH_ERRORS", nil), ("CANCELED", nil),
  ]

  @Test func everyStateHasItsPhaseAndOnlyTheLastFiveAreTerminal() {
    #expect(RunState.documented.map(\.name) == Self.states.map(\.0))
    for (name, phase) in Self.states {
      let state = RunState(name: name)
      #expect(state != .undocumented(name), "\(name)")
      #expect(state.phase == phase, "\(name)")
      #expect(state.isTerminal == (phase == nil), "\(name)")
    }
  }

  @Test(arguments: ["", "created", "CREATED ", "COMPLETEX", "COMPLETED_WITH_ERROR", "DATA_COLLECTEDX", "ÉRROR"])
  func otherTextIsUndocumentedNeitherAPhaseNorTerminal(_ text: String) {
    let state = RunState(name: text)
    #expect(state == .undocumented(text))
    #expect(state.name == text)
    #expect(state.phase == nil)
    #expect(!state.isTerminal)
  }
}

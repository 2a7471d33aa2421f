/// How long a run spent in each state and phase, from its `stateChanges`.
public struct RunTimeline: Sendable, Hashable {
  /// Seconds per state, in the order states were first entered; a state entered twice sums.
  public var stateDurations: [(state: String, duration: TimeSpan)] {
    order.map { ($0, durations[$0] ?? .zero) }
  }
  /// Time per phase; states outside the phases count in `elapsed` only.
  public private(set) var phases: [RunPhase: TimeSpan] = [:]
  /// The sum of all state durations.
  public private(set) var elapsed: TimeSpan = .zero
  /// Whether the last state is not terminal, so the run was still going at *now*.
  public private(set) var inProgress: Bool
  /// The last state by time, or the run's `state` when there are no changes.
  public private(set) var lastState: String
  /// When the first state was entered.
  public private(set) var start: Timestamp?

  private var order: [String] = []
  private var durations: [String: TimeSpan] = [:]

  /// Computes the timeline.
  ///
  /// Changes are sorted by time (stably, so same-instant changes keep their recorded order). Each
  /// state lasts until the next change; the last lasts 0 s when terminal, else until `now`.
  /// - Parameters:
  ///   - changes: the run's `stateChanges`, in any order.
  ///   - state: the run's `state`, which decides *in progress* when there are no changes.
  ///   - now: the instant an unfinished run is measured to.
  public init(changes: [StateChange], state: String, now: Timestamp?) {
    let sorted = changes.enumerated().sorted { a, b in
      a.element.at != b.element.at ? a.element.at < b.element.at : a.offset < b.offset
    }.map(\.element)
    lastState = sorted.last?.state ?? state
    inProgress = !RunStates.isTerminal(lastState)
    start = sorted.first?.at
    for (index, change) in sorted.enumerated() {
      let end: Timestamp? =
        index + 1 < sorted.count ? sorted[index + 1].at : (RunStates.isTerminal(change.state) ? change.at : now)
      add(change.state, end.map { $0.duration(since: change.at) } ?? .zero)
    }
  }

  private mutating func add(_ state: String, _ duration: TimeSpan) {
    if durations[state] == nil { order.append(state) }
    durations[state, default: .zero] += duration
    elapsed += duration
    if let phase = RunPhase(state: state) { phases[phase, default: .zero] += duration }
  }

  /// The time spent in `phase` (zero when none of its states occurred).
  public func duration(of phase: RunPhase) -> TimeSpan {
    phases[phase] ?? .zero
  }
}

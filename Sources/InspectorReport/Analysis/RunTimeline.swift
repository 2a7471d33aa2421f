/// How long a run spent in each state and phase, from its `stateChanges`.
public struct RunTimeline: Sendable, Hashable {
  /// Seconds per state, in the order states were first entered; a state entered twice sums.
  public var stateDurations: [(state: RunState, duration: TimeSpan)] {
    // Labeled as they are made: converting unlabeled pairs goes through a dynamic cast for each.
    zip(order, durations).map { (state: $0, duration: $1) }
  }
  /// Time per phase that occurred; states outside the phases count in `elapsed` only.
  public var phases: [RunPhase: TimeSpan] {
    var phases: [RunPhase: TimeSpan] = [:]
    for state in order { if let phase = state.phase { phases[phase] = duration(of: phase) } }
    return phases
  }
  /// The sum of all state durations.
  public private(set) var elapsed: TimeSpan = .zero
  /// Whether the last state is not terminal, so the run was still going at *now*.
  public private(set) var inProgress: Bool
  /// The last state by time, or the run's `state` when there are no changes.
  public private(set) var lastState: RunState
  /// When the first state was entered.
  public private(set) var start: Timestamp?

  // A run enters a handful of states, so short parallel lists beat hashing each state.
  private var order: [RunState] = []
  private var durations: [TimeSpan] = []
  /// Time per phase.
  public private(set) var phaseDurations = PhaseDurations()

  /// Computes the timeline.
  ///
  /// Changes are sorted by time (stably, so same-instant changes keep their recorded order). Each
  /// state lasts until the next change; the last lasts 0 s when terminal, else until `now`.
  /// - Parameters:
  ///   - changes: the run's `stateChanges`, in any order.
  ///   - state: the run's `state`, which decides *in progress* when there are no changes.
  ///   - now: the instant an unfinished run is measured to.
  public init(changes: [StateChange], state: RunState, now: Timestamp?) {
    // Snapshots list changes in time order; sorting those stably would change nothing.
    let inOrder = zip(changes, changes.dropFirst()).allSatisfy { $0.at <= $1.at }
    let sorted =
      inOrder
      ? changes
      : changes.enumerated().sorted { a, b in
        a.element.at != b.element.at ? a.element.at < b.element.at : a.offset < b.offset
      }.map(\.element)
    lastState = sorted.last?.state ?? state
    inProgress = !lastState.isTerminal
    start = sorted.first?.at
    for (index, change) in sorted.enumerated() {
      let end: Timestamp? =
        index + 1 < sorted.count ? sorted[index + 1].at : (change.state.isTerminal ? change.at : now)
      add(change.state, end.map { $0.duration(since: change.at) } ?? .zero)
    }
  }

  private mutating func add(_ state: RunState, _ duration: TimeSpan) {
    if let index = order.firstIndex(of: state) {
      durations[index] += duration
    } else {
      order.append(state)
      durations.append(duration)
    }
    elapsed += duration
    if let phase = state.phase { phaseDurations.add(duration, to: phase) }
  }

  /// The time spent in `phase` (zero when none of its states occurred).
  public func duration(of phase: RunPhase) -> TimeSpan { phaseDurations.duration(of: phase) }
}

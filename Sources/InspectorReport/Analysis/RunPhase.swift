/// The four phases an Inspector run passes through, each a fixed set of states (`RunState.phase`).
public enum RunPhase: String, Sendable, CaseIterable, Hashable {
  case setup, collection, wrapup, evaluation
}

/// Time per phase: a field each, where a dictionary would hash four phases per run.
public struct PhaseDurations: Sendable, Hashable {
  private var setup = TimeSpan.zero
  private var collection = TimeSpan.zero
  private var wrapup = TimeSpan.zero
  private var evaluation = TimeSpan.zero

  /// The time spent in `phase` (zero when none of its states occurred).
  public func duration(of phase: RunPhase) -> TimeSpan {
    switch phase {
    case .setup: setup
    case .collection: collection
    case .wrapup: wrapup
    case .evaluation: evaluation
    }
  }

  mutating func add(_ duration: TimeSpan, to phase: RunPhase) {
    switch phase {
    case .setup: setup += duration
    case .collection: collection += duration
    case .wrapup: wrapup += duration
    case .evaluation: evaluation += duration
    }
  }

  mutating func add(_ other: PhaseDurations) {
    setup += other.setup
    collection += other.collection
    wrapup += other.wrapup
    evaluation += other.evaluation
  }
}

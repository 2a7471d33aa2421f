/// When a run still in progress at *now* will never finish.
///
/// Inspector Classic was shut down on 2026-05-20, so a run a snapshot shows in progress long after it should have
/// ended is not running any more: it never reached a final state, and passing it would pass a scan that never
/// finished. A run is *stale* when it has been in progress longer than its configured `durationInSeconds`
/// (without one, 86,400 s, the longest duration Inspector allows) plus a margin of 1 hour for setting up and
/// evaluating rules. Exactly at the limit it is not stale yet.
public enum StaleRun {
  /// The longest `durationInSeconds` Inspector allows, which stands in when a run has none.
  public static let longestDuration = TimeSpan(microseconds: 86_400 * 1_000_000)
  /// What setup and rule evaluation may add to the configured duration; `message` says "1 h".
  public static let margin = TimeSpan(microseconds: 3600 * 1_000_000)

  /// How long a run configured for `configured` (nil: none) may be in progress before it is stale.
  public static func limit(configured: TimeSpan?) -> TimeSpan {
    (configured ?? longestDuration) + margin
  }

  /// Whether a run in progress for `elapsed`, configured for `configured`, is stale.
  public static func isStale(elapsed: TimeSpan, configured: TimeSpan?) -> Bool {
    elapsed.microseconds > limit(configured: configured).microseconds
  }

  /// `run stale: in progress for 2 d 1 h since 2024-05-01T00:00:00Z, longer than its configured 1 h plus 1 h`.
  static func message(elapsed: TimeSpan, since: Timestamp?, configured: TimeSpan?) -> String {
    let since = since.map { " since \($0)" } ?? ""
    let allowed =
      configured.map { "its configured \($0.humanDescription)" }
      ?? "Inspector's longest duration, \(longestDuration.humanDescription),"
    return "run stale: in progress for \(elapsed.humanDescription)\(since), longer than \(allowed) plus 1 h"
  }
}

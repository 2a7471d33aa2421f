/// `1,266,675`: a count as people read it, in every output that shows counts to people.
func grouped(_ count: Int) -> String {
  // A sign, 19 digits and 6 separators at most.
  String(unsafeUninitializedCapacity: 26) { buffer in
    var writer = DigitWriter(buffer: buffer)
    if count < 0 { writer.byte("-") }
    writer.groupedDigits(UInt64(count.magnitude))
    return writer.count
  }
}

/// One bar of a bar chart: a label, its count, and the bar's length in the chart's units.
public struct BarView: Sendable {
  /// What the bar counts, e.g. `High` or `COMPLETED`.
  public var label: String
  /// The count.
  public var count: Int
  /// The count with thousands separators.
  public var countText: String
  /// The bar's length, from 0 to `BarView.fullLength`; at least 1 for a count above 0, so that it shows.
  public var length: Int

  /// The length of the largest count's bar: the page's SVG charts are this many units wide for the bars.
  public static let fullLength = 400

  /// The bars of `counts`, each as long as its share of the largest.
  static func bars(_ counts: [(label: String, count: Int)]) -> [BarView] {
    let largest = counts.map(\.count).max() ?? 0
    return counts.map { entry in
      let length = largest == 0 ? 0 : max(entry.count > 0 ? 1 : 0, entry.count * fullLength / largest)
      return BarView(label: entry.label, count: entry.count, countText: grouped(entry.count), length: length)
    }
  }
}

/// Where a run's time goes on its timeline: `width` units for the whole elapsed time.
struct TimelineScale {
  let elapsed: TimeSpan

  /// The timeline's width in the page's SVG units.
  static let width = 600
  /// The narrowest bar that has room for its state's name.
  static let labelWidth = 150

  /// The position of `offset` from the run's start, within the timeline.
  func position(_ offset: TimeSpan) -> Int {
    guard elapsed.microseconds > 0 else { return 0 }
    let clamped = min(max(offset.microseconds, 0), elapsed.microseconds)
    return Int(clamped * Int64(Self.width) / elapsed.microseconds)
  }
}

/// The findings of one template's runs, oldest to newest, as lines of a chart: one per severity found.
public struct TrendView: Sendable {
  /// The runs the chart shows: the template's newest, at most `TrendView.runLimit`.
  public var runs: Int
  /// How many of the template's runs are older than those shown.
  public var runsLeftOut: Int
  /// The largest count of a severity in one shown run, the top of the chart.
  public var largest: Int
  /// The largest count with thousands separators.
  public var largestText: String
  /// One line per severity with findings in a shown run.
  public var lines: [TrendLine]

  /// The newest runs a trend shows: enough to see a direction, few enough to stay small on the page.
  public static let runLimit = 50
  /// The chart's size in the page's SVG units.
  static let width = 600
  static let height = 100

  /// The trend of `findings`, one per run oldest first, of which the newest `runLimit` are shown.
  init(_ findings: [FindingCounts]) {
    let shown = findings.suffix(Self.runLimit)
    runs = shown.count
    runsLeftOut = findings.count - shown.count
    var severities = Severity.documented
    for counts in shown where counts.hasUndocumented {
      for entry in counts.entries where !severities.contains(entry.severity) { severities.append(entry.severity) }
    }
    largest = shown.lazy.flatMap { counts in severities.lazy.map { counts[$0] } }.max() ?? 0
    largestText = grouped(largest)
    let (runs, largest) = (runs, largest)
    lines = severities.enumerated().compactMap { position, severity in
      guard shown.contains(where: { $0[severity] > 0 }) else { return nil }
      var points = ""
      for (index, counts) in shown.enumerated() {
        let x = runs == 1 ? 0 : index * Self.width / (runs - 1)
        let y = Self.height - counts[severity] * Self.height / max(largest, 1)
        if !points.isEmpty { points += " " }
        points += "\(x),\(y)"
      }
      let newest = shown.last?[severity] ?? 0
      return TrendLine(severity: severity.name, style: position % TrendLine.styles, points: points, newest: newest)
    }
  }
}

/// One severity's line in a trend chart.
public struct TrendLine: Sendable {
  /// The severity.
  public var severity: String
  /// Which of the page's line styles (colour and dash) draws it, from 0, so that lines differ in more than colour.
  public var style: Int
  /// The SVG polyline's points, `x,y` in the chart's units, oldest run first.
  public var points: String
  /// The count in the newest run.
  public var newest: Int

  /// The page has this many line styles.
  static let styles = 6
}

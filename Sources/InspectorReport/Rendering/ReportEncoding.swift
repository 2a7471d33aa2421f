import TemplateEngine

/// The report model as the value tree every template renders and `report.json` encodes: each field of the views
/// under its name, with what Mustache cannot compute itself beside it (see `ReportView`).
///
/// Mustache iterates lists, not maps, so maps that templates show come twice: as a map for programs
/// (`findings`) and as an ordered list for templates (`findingList`).
enum ReportEncoding {
  /// The tree of `model`, its runs built a part at a time as they are read.
  static func make(_ model: ReportView) -> ValueTree {
    var tree = ValueTreeBuilder()
    let runs = tree.list(lazy: RunRows(model.runs))
    let root = root(of: model, runs: runs, in: &tree)
    return tree.finish(root: root)
  }

  /// The tree of `model` but its runs, built in `tree` around `runs`, the runs' list.
  static func root(of model: ReportView, runs: TreeValue, in tree: inout ValueTreeBuilder) -> TreeValue {
    var encoder = ModelEncoder()
    swap(&encoder.tree, &tree)
    defer { swap(&encoder.tree, &tree) }
    return encoder.report(model, runs: runs)
  }

  /// The tree of `model` with each map whose keys come from the data written as one key, `inputKeys`, holding
  /// the list of the map's values: which maps take any key is decided where their keys are written, here.
  static func describing(_ model: ReportView) -> ValueTree {
    var encoder = ModelEncoder()
    encoder.marksInputKeys = true
    let runs = model.runs.map { encoder.value(of: $0) }
    let runList = encoder.tree.list(runs)
    let root = encoder.report(model, runs: runList)
    return encoder.tree.finish(root: root)
  }

  /// The key that stands for a map's keys in `describing`; it holds whitespace, which no template name can.
  static let inputKeys = "keys from the input"
}

/// The report's runs, built when a reader reaches them.
struct RunRows: LazyList {
  let runs: RunViews

  init(_ runs: RunViews) {
    self.runs = runs
  }

  var count: Int { runs.count }

  func rows(_ range: Range<Int>, in tree: inout ValueTreeBuilder) -> [TreeValue] {
    // An encoder of its own for each range: the values it shares among runs are those of the range's tree.
    var encoder = ModelEncoder()
    swap(&encoder.tree, &tree)
    defer { swap(&encoder.tree, &tree) }
    // Room for the whole range up front: grown by doubling instead, a part's buffers end up larger than it
    // needs, and 10k runs peak at 59 MiB rather than 54.
    encoder.tree.reserveCapacity(
      values: range.count * ModelEncoder.valuesPerRun, bytes: range.count * ModelEncoder.bytesPerRun)
    return range.map { encoder.value(of: runs[$0]) }
  }
}

/// Builds the tree with one layout per kind of object, so the thousands of runs, checks and list entries
/// share their field names instead of each hashing and storing its own.
private struct ModelEncoder {
  /// The tree being built; each builder owns one segment of it.
  var tree: ValueTreeBuilder
  /// Writes each map whose keys come from the data as `ReportEncoding.describing` says, not as the data says.
  var marksInputKeys = false
  private var root = ObjectLayout()
  private var tool = ObjectLayout()
  private var totals = ObjectLayout()
  private var run = ObjectLayout()
  private var runJUnit = ObjectLayout()
  private var check = ObjectLayout()
  private var reportCheck = ObjectLayout()
  private var counts = ObjectLayout()
  private var state = ObjectLayout()
  private var runDetails = ObjectLayout()
  private var timelineBar = ObjectLayout()
  private var attribute = ObjectLayout()
  private var stateTotal = ObjectLayout()
  private var bar = ObjectLayout()
  private var figure = ObjectLayout()
  private var trend = ObjectLayout()
  private var trendLine = ObjectLayout()
  private var phase = ObjectLayout()
  private var phases = ObjectLayout()
  private var finding = ObjectLayout()
  private var notifications = ObjectLayout()
  private var namedCount = ObjectLayout()
  private var delivery = ObjectLayout()
  private var template = ObjectLayout()
  private var failedItem = ObjectLayout()
  private var input = ObjectLayout()
  private var maximum = ObjectLayout()
  private var policy = ObjectLayout()
  private var provenance = ObjectLayout()
  private var templateFile = ObjectLayout()
  private var policyOverride = ObjectLayout()
  private var waiver = ObjectLayout()
  private var junit = ObjectLayout()
  private var baseline = ObjectLayout()
  private var baselineTemplate = ObjectLayout()
  private var findingChange = ObjectLayout()
  private var maximumIncrease = ObjectLayout()
  /// Shapes of maps whose keys come from the data (states, severities, events), by their key lists.
  private var mapLayouts: [[String]: MapLayout] = [:]
  /// The last few of those, found by comparing key lists, which are mostly the same strings, without hashing.
  private var recentMapLayouts: [(names: [String], layout: MapLayout)] = []

  /// Values built once and shared by every run that has an equal one.
  private var findingEntries = SharedCountEntries(knownNames: Severity.documented.count)
  private var countEntries = SharedCountEntries(knownNames: countedNames.count)
  /// Check objects without details, by content: most runs pass most checks with the same words.
  private var sharedChecks: [CheckView: TreeValue] = [:]

  /// Generous bounds of what a run adds to the tree: about 180 values and 1,250 bytes in generated corpora.
  static let valuesPerRun = 256
  static let bytesPerRun = 2048

  /// A builder with an empty tree, for one given to it to be swapped in.
  init() {
    tree = ValueTreeBuilder()
  }

  /// A shape and, for each key in the order a map's entries come, its slot.
  private struct MapLayout {
    let shape: TemplateShape
    let slots: [Int]
  }

  mutating func report(_ model: ReportView, runs: TreeValue) -> TreeValue {
    let totals = model.totals
    let sums = totals.sums
    let stateList = totals.byState.map { entry in
      stateTotal.make(in: &tree, ["state": tree.string(entry.state.name), "runs": .int(entry.runs)])
    }
    let totalsValue = self.totals.make(
      in: &tree,
      [
        "runs": .int(totals.runs),
        "inputs": .int(totals.inputs),
        "runEntries": .int(totals.runEntries),
        "duplicatesDropped": .int(totals.duplicatesDropped),
        "duplicatesDroppedText": tree.string(totals.duplicatesDroppedText),
        "scopeText": tree.string(totals.scopeText),
        "inProgress": .int(sums.inProgress),
        "byState": map(totals.byState.map { ($0.state.name, .int($0.runs)) }),
        "stateList": tree.list(stateList),
        "stateBars": tree.list(totals.stateBars.map { value(of: $0) }),
        "findingBars": tree.list(totals.findingBars.map { value(of: $0) }),
        "figures": tree.list(
          totals.figures.map { entry in
            figure.make(
              in: &tree,
              [
                "label": tree.string(entry.label), "count": .int(entry.count),
                "countText": tree.string(grouped(entry.count)),
              ])
          }),
        "elapsedSeconds": seconds(sums.elapsed),
        "elapsedText": tree.string(sums.elapsed.humanDescription),
        "phases": phaseMap(sums.phases),
        "phaseList": phaseList(sums.phases),
        "findings": value(of: sums.findings),
        "findingList": list(of: sums.findings),
        "notifications": notificationValue(sums.notifications, deliveries: totals.failedDeliveries),
        "failedItems": .int(totals.failedItems),
        "checks": value(of: sums.checks),
        "runsWithProblems": .int(sums.runsWithProblems),
      ])

    let failedItems = model.failedItems.map { failed in
      failedItem.make(
        in: &tree,
        [
          "arn": tree.string(failed.item.arn),
          "failureCode": tree.string(failed.item.failureCode),
          "retryable": .bool(failed.item.retryable),
          "source": tree.string(failed.item.source.description),
          "message": tree.string(failed.message),
        ])
    }

    let maximaList = model.maxima.map { value(ofMaximum: $0) }
    let maxima = model.maxima.map { ($0.severity.name, $0.max.map { TreeValue.int($0) } ?? .null) }
    let overrides = model.policyOverrides.map { override in
      policyOverride.make(
        in: &tree,
        [
          "matches": tree.string(override.matches), "pattern": tree.string(override.pattern),
          "maximaList": tree.list(override.maxima.map { value(ofMaximum: $0) }), "text": tree.string(override.text),
        ])
    }
    let waivers = model.waivers.map { value(of: $0) }

    return root.make(
      in: &tree,
      [
        "tool": tool.make(
          in: &tree, ["name": tree.string(model.tool.name), "version": tree.string(model.tool.version)]),
        "now": timestamp(model.now),
        "nowSource": tree.string(model.nowSource.rawValue),
        "passed": .bool(model.passed),
        "verdict": tree.string(model.passed ? "passed" : "failed"),
        "verdictText": tree.string(model.verdictText),
        "detailsOnlyForRunsWithProblems": .bool(model.detailsOnlyForRunsWithProblems),
        "detailedRunsText": tree.string(model.detailedRunsText),
        "policy": policy.make(
          in: &tree,
          [
            "maxima": map(maxima), "maximaList": tree.list(maximaList), "minimumRuns": .int(model.minimumRuns),
            "text": tree.string(model.policyText),
            "source": model.policySource.map { tree.string($0) } ?? .null,
            "sourceSha256": model.policySourceSHA256.map { tree.string($0) } ?? .null,
            "overrides": tree.list(overrides), "hasOverrides": .bool(!overrides.isEmpty),
            "waivers": tree.list(waivers), "hasWaivers": .bool(!waivers.isEmpty),
          ]),
        "junitIdentity": tree.string(model.junitIdentity.rawValue),
        "provenance": model.provenance.map { value(of: $0) } ?? .null,
        "inputs": tree.list(model.inputs.map { value(of: $0) }),
        "runs": runs,
        "templates": tree.list(model.templates.map { value(of: $0) }),
        "failedItems": tree.list(failedItems),
        "hasFailedItems": .bool(!model.failedItems.isEmpty),
        "checks": tree.list(model.checks.map { reportValue(of: $0) }),
        "checkCounts": value(of: model.checkCounts),
        "totals": totalsValue,
        "junit": junit.make(
          in: &tree,
          [
            "reportSuite": .int(model.junit.reportSuite),
            "failedItemsSuite": .int(model.junit.failedItemsSuite),
            "failedItemsTests": .int(model.junit.failedItemsTests),
            "timestamp": timestamp(model.junit.timestamp, junit: true),
          ]),
        "baseline": model.baseline.map { value(of: $0) } ?? .null,
      ])
  }

  // MARK: - Runs

  mutating func value(of run: RunView) -> TreeValue {
    let elapsed = run.elapsed
    let stateList = run.states.map { entry in
      state.make(
        in: &tree,
        [
          "state": tree.string(entry.state.name),
          "seconds": seconds(entry.duration),
          "phase": tree.string(entry.state.phase?.rawValue ?? ""),
        ])
    }
    let stateSeconds = run.states.map { ($0.state.name, seconds($0.duration)) }
    let phases = run.phases
    let phaseTexts = RunPhase.allCases.map { phases.duration(of: $0).humanDescription }
    var phasesText = ""
    phasesText.reserveCapacity(80)
    for (phase, text) in zip(RunPhase.allCases, phaseTexts) {
      if !phasesText.isEmpty { phasesText += ", " }
      phasesText += phase.rawValue
      phasesText += " "
      phasesText += text
    }
    let junitView = run.junit
    return self.run.make(
      in: &tree,
      [
        "index": .int(run.index),
        "arn": tree.string(run.arn),
        "id": tree.string(run.id),
        "name": tree.string(run.name),
        "template": tree.string(run.template),
        "templateId": tree.string(run.templateId),
        "region": tree.string(run.region),
        "account": tree.string(run.account),
        "state": tree.string(run.state.name),
        "lastState": tree.string(run.lastState.name),
        "inProgress": .bool(run.inProgress),
        "stale": .bool(run.stale),
        "dataCollected": run.dataCollected.map { .bool($0) } ?? .null,
        "createdAt": timestamp(run.createdAt),
        "startedAt": timestamp(run.startedAt),
        "completedAt": timestamp(run.completedAt),
        "stateChangedAt": timestamp(run.stateChangedAt),
        "elapsedSeconds": seconds(elapsed),
        "elapsedText": tree.string(elapsed.humanDescription),
        "phases": phaseMap(phases),
        "phaseList": phaseList(phases, texts: phaseTexts),
        "phasesText": tree.string(phasesText),
        "stateSeconds": map(stateSeconds),
        "stateList": tree.list(stateList),
        "configuredCollectionSeconds": run.configuredCollection.map(seconds) ?? .null,
        "details": run.showsDetails ? details(of: run) : .null,
        "collectionShort": .bool(run.collectionShort),
        "findings": value(of: run.findings),
        "findingList": list(of: run.findings),
        "findingsTotalText": tree.string(grouped(run.findings.total)),
        "notifications": notificationValue(run.notifications.counts, deliveries: run.notifications.failedDeliveries),
        "checks": tree.list(run.checks.map { value(of: $0) }),
        "checkCounts": value(of: run.checkCounts),
        "problem": .bool(run.problem),
        "source": tree.string(run.source.description),
        "summaryText": tree.string(run.summaryText),
        "junit": runJUnit.make(
          in: &tree,
          [
            "shown": .bool(junitView.shown),
            "id": .int(junitView.id),
            "suite": tree.string(junitView.suite),
            "classname": tree.string(junitView.classname),
            "hostname": tree.string(junitView.hostname),
            "timestamp": timestamp(junitView.timestamp, junit: true),
            "time": tree.string(junitView.time.fixedSeconds),
          ]),
      ])
  }

  /// What the HTML page shows of a run in full: its timeline, a bar per state on a line of
  /// `TimelineScale.width` units, the configured collection time, and the settings of its template. Only for the
  /// runs the page shows in full, since it is most of a run's part of the tree and of `report.json`.
  private mutating func details(of run: RunView) -> TreeValue {
    let scale = TimelineScale(elapsed: run.elapsed)
    var offset = TimeSpan.zero
    var collectionStart: TimeSpan?
    let timeline = run.states.map { entry in
      if collectionStart == nil, entry.state.phase == .collection { collectionStart = offset }
      let x = scale.position(offset)
      offset += entry.duration
      let end = scale.position(offset)
      return timelineBar.make(
        in: &tree,
        [
          "state": tree.string(entry.state.name),
          "text": tree.string(entry.duration.humanDescription),
          "kind": tree.string(entry.state.phase?.rawValue ?? "none"),
          "x": .int(x),
          "shown": .bool(end > x),
          "end": .int(end),
          "labelled": .bool(end - x >= TimelineScale.labelWidth),
        ])
    }
    let configured = run.configuredCollection
    let collectionMark = configured.flatMap { span in collectionStart.map { scale.position($0 + span) } }
    return runDetails.make(
      in: &tree,
      [
        "timeline": tree.list(timeline),
        "configuredCollectionText": configured.map { tree.string($0.humanDescription) } ?? .null,
        "collectionMark": collectionMark.map { .int($0) } ?? .null,
        "rulesPackageArns": tree.list(run.rulesPackageArns.map { tree.string($0) }),
        "userAttributesForFindings": tree.list(
          run.userAttributesForFindings.map { entry in
            attribute.make(
              in: &tree, ["key": tree.string(entry.key), "value": entry.value.map { tree.string($0) } ?? .null])
          }),
      ])
  }

  /// Checks without details and without a time of their own are mostly the same few, shared by content;
  /// a check with a time of its own is nearly always unique, and not worth looking for among them.
  private mutating func value(of check: CheckView) -> TreeValue {
    guard check.details.isEmpty, check.time == .zero else { return newValue(of: check) }
    if let shared = sharedChecks[check] { return shared }
    let value = newValue(of: check)
    sharedChecks[check] = value
    return value
  }

  private mutating func newValue(of check: CheckView) -> TreeValue {
    self.check.make(in: &tree, fields(of: check))
  }

  /// A check of the report as a whole, which alone has a `subject`: the report's checks are few, and a run's
  /// many.
  private mutating func value(ofMaximum entry: (severity: Severity, max: Int?)) -> TreeValue {
    maximum.make(
      in: &tree,
      [
        "severity": tree.string(entry.severity.name),
        "max": entry.max.map { .int($0) } ?? .null,
        "text": tree.string(entry.max.map(grouped) ?? "unlimited"),
      ])
  }

  private mutating func value(of outcome: WaiverOutcome) -> TreeValue {
    let waiver = outcome.waiver
    return self.waiver.make(
      in: &tree,
      [
        "check": tree.string(waiver.check.name),
        "subjectKind": tree.string(waiver.subject.kind),
        "subject": tree.string(waiver.subject.arn),
        "reason": tree.string(waiver.reason),
        "expires": tree.string(waiver.expiresText),
        "state": tree.string(outcome.state.rawValue),
        "applied": .bool(outcome.state == .applied),
        "expired": .bool(outcome.state == .expired),
        "unused": .bool(outcome.state == .unused),
        "waivedChecks": .int(outcome.waivedChecks),
        "stateText": tree.string(outcome.stateText),
      ])
  }

  private mutating func reportValue(of view: ReportCheckView) -> TreeValue {
    let subject = view.subject.map { tree.string($0) } ?? .null
    return reportCheck.make(in: &tree, fields(of: view.check), ("subject", subject))
  }

  private mutating func fields(of check: CheckView) -> KeyValuePairs<String, TreeValue> {
    [
      "name": tree.string(check.name),
      "status": tree.string(check.status.rawValue),
      "message": tree.string(check.message),
      "details": tree.list(check.details.map { tree.string($0) }),
      "passed": .bool(check.status == .passed),
      "failed": .bool(check.status == .failed),
      "error": .bool(check.status == .error),
      "skipped": .bool(check.status == .skipped),
      "time": tree.string(check.time.fixedSeconds),
    ]
  }

  private mutating func value(of counts: CheckCounts) -> TreeValue {
    self.counts.make(
      in: &tree,
      [
        "tests": .int(counts.tests), "passed": .int(counts.passed), "failures": .int(counts.failures),
        "errors": .int(counts.errors), "skipped": .int(counts.skipped),
      ])
  }

  // MARK: - Templates

  private mutating func value(of view: TemplateView) -> TreeValue {
    template.make(
      in: &tree,
      [
        "arn": tree.string(view.arn),
        "id": tree.string(view.id),
        "runs": .int(view.totals.runs),
        "inProgress": .int(view.totals.inProgress),
        "runsWithProblems": .int(view.totals.runsWithProblems),
        "inProgressText": tree.string(grouped(view.totals.inProgress)),
        "runsWithProblemsText": tree.string(grouped(view.totals.runsWithProblems)),
        "findingsTotalText": tree.string(grouped(view.totals.findings.total)),
        "latestRun": tree.string(view.totals.latest?.run.name ?? ""),
        "latestState": tree.string(view.totals.latest?.run.state.name ?? ""),
        "runsText": tree.string(grouped(view.totals.runs)),
        "findings": value(of: view.totals.findings),
        "findingList": list(of: view.totals.findings),
        "trend": view.trend.map { value(of: $0) } ?? .null,
      ])
  }

  private mutating func value(of trend: TrendView) -> TreeValue {
    let lines = trend.lines.map { line in
      trendLine.make(
        in: &tree,
        [
          "severity": tree.string(line.severity), "style": .int(line.style), "points": tree.string(line.points),
          "newest": .int(line.newest), "newestText": tree.string(grouped(line.newest)),
        ])
    }
    return self.trend.make(
      in: &tree,
      [
        "runs": .int(trend.runs), "runsLeftOut": .int(trend.runsLeftOut),
        "hasOlderRuns": .bool(trend.runsLeftOut > 0), "largest": .int(trend.largest),
        "largestText": tree.string(trend.largestText), "lines": tree.list(lines),
      ])
  }

  private mutating func value(of bar: BarView) -> TreeValue {
    self.bar.make(
      in: &tree,
      [
        "label": tree.string(bar.label), "count": .int(bar.count), "countText": tree.string(bar.countText),
        "length": .int(bar.length),
      ])
  }

  // MARK: - Baseline

  private mutating func value(of view: BaselineView) -> TreeValue {
    let increases = view.maximumIncreases.map { entry in
      maximumIncrease.make(
        in: &tree,
        ["severity": tree.string(entry.severity.name), "max": .int(entry.max), "text": tree.string(signed(entry.max))])
    }
    return baseline.make(
      in: &tree,
      [
        "source": tree.string(view.source),
        "sourceSha256": tree.string(view.sourceSHA256),
        "now": view.now.map { tree.string($0) } ?? .null,
        "maximumIncreases": map(view.maximumIncreases.map { ($0.severity.name, .int($0.max)) }),
        "maximumIncreaseList": tree.list(increases),
        "maximumIncreasesText": tree.string(view.maximumIncreasesText),
        "templates": tree.list(view.templates.map { value(of: $0) }),
        "appeared": tree.list(view.appeared.map { tree.string($0) }),
        "disappeared": tree.list(view.disappeared.map { tree.string($0) }),
        "checkCounts": value(of: view.checkCounts),
        "hasListed": .bool(view.hasListed),
        // Not a `junit` object of its own: inside `{{#baseline}}` it would hide the report's `junit.timestamp`.
        "junitSuite": .int(view.junitSuite),
        "junitTests": .int(view.junitTests),
      ])
  }

  private mutating func value(of view: BaselineTemplateView) -> TreeValue {
    let change = view.change
    let findings = change.findings.map { entry in
      findingChange.make(
        in: &tree,
        [
          "severity": tree.string(entry.severity.name),
          "known": .bool(entry.severity.documentedIndex != nil),
          "then": .int(entry.then), "thenText": tree.string(grouped(entry.then)),
          "now": .int(entry.now), "nowText": tree.string(grouped(entry.now)),
          "change": .int(entry.change), "changeText": tree.string(signed(entry.change)),
          "changed": .bool(entry.change != 0), "grew": .bool(entry.change > 0), "fell": .bool(entry.change < 0),
        ])
    }
    return baselineTemplate.make(
      in: &tree,
      [
        "arn": tree.string(change.arn),
        "id": tree.string(view.id),
        "presence": tree.string(change.presence.rawValue),
        "compared": .bool(change.presence == .compared),
        "appeared": .bool(change.presence == .appeared),
        "disappeared": .bool(change.presence == .disappeared),
        "runNow": change.runNow.map { tree.string($0) } ?? .null,
        "runThen": change.runThen.map { tree.string($0) } ?? .null,
        "findingChanges": tree.list(findings),
        "newlyFailing": tree.list(change.newlyFailing.map { tree.string($0) }),
        "newlyPassing": tree.list(change.newlyPassing.map { tree.string($0) }),
        "newlyFailingText": tree.string(change.newlyFailing.joined(separator: ", ")),
        "newlyPassingText": tree.string(change.newlyPassing.joined(separator: ", ")),
        "hasNewlyFailing": .bool(!change.newlyFailing.isEmpty),
        "hasNewlyPassing": .bool(!change.newlyPassing.isEmpty),
        "hasFindingChanges": .bool(change.findings.contains { $0.change != 0 }),
        "changed": .bool(change.changed),
        "listed": .bool(view.listed),
        "summaryText": tree.string(view.summaryText),
        "check": newValue(of: view.check),
        "junitName": tree.string(view.junitName),
      ])
  }

  // MARK: - Pieces

  private mutating func value(of provenance: Provenance) -> TreeValue {
    let files = provenance.templateFiles.map { file in
      templateFile.make(
        in: &tree,
        [
          "name": tree.string(file.name), "folder": file.folder.map { tree.string($0) } ?? .null,
          "builtIn": .bool(file.folder == nil), "sha256": tree.string(file.sha256),
        ])
    }
    return self.provenance.make(
      in: &tree,
      [
        "command": tree.string(provenance.command),
        "arguments": tree.list(provenance.arguments.map { tree.string($0) }),
        "environment": tree.list(provenance.environment.map { tree.string($0) }),
        "templateFiles": tree.list(files),
        "templatesSha256": tree.string(provenance.templateSetSHA256),
        "templatesOverridden": .bool(provenance.templateFiles.contains { $0.folder != nil }),
      ])
  }

  private mutating func value(of summary: InputSummary) -> TreeValue {
    input.make(
      in: &tree,
      [
        "name": tree.string(summary.name.description),
        "bytes": .int(summary.byteCount),
        "bytesText": tree.string(grouped(summary.byteCount)),
        "sha256": tree.string(summary.sha256),
        "runEntries": .int(summary.runEntries),
        "runEntriesText": tree.string(grouped(summary.runEntries)),
        "failedItems": .int(summary.failedItems),
        "failedItemsText": tree.string(grouped(summary.failedItems)),
      ])
  }

  private mutating func value(of findings: FindingCounts) -> TreeValue {
    let counts = findings.entries.map { ($0.severity.name, TreeValue.int($0.count)) }
    return map(counts + [("total", .int(findings.total))])
  }

  private mutating func list(of findings: FindingCounts) -> TreeValue {
    tree.list(
      findings.entries.map { entry in
        let position = entry.severity.documentedIndex
        return findingEntry(
          severity: entry.severity.name, count: entry.count, known: position != nil, position: position)
      })
  }

  /// Most runs have the same few counts per severity (often 0), so equal entries are one shared object;
  /// `position` is a documented severity's place in `Severity.documented`.
  private mutating func findingEntry(severity: String, count: Int, known: Bool, position: Int?) -> TreeValue {
    findingEntries.entry(name: severity, count: count, position: position) {
      finding.make(
        in: &tree,
        [
          "severity": tree.string(severity), "count": .int(count), "countText": tree.string(grouped(count)),
          "known": .bool(known),
        ])
    }
  }

  /// A `{name, count}` entry, shared between equal ones like `findingEntry`; `position` is a documented name's
  /// place in `countedNames`.
  private mutating func countEntry(name: String, count: Int, position: Int?) -> TreeValue {
    countEntries.entry(name: name, count: count, position: position) {
      namedCount.make(in: &tree, ["name": tree.string(name), "count": .int(count), "some": .bool(count > 0)])
    }
  }

  /// The names `countEntry` knows by position: the documented events, then the documented SNS statuses.
  private static let countedNames = NotificationEvent.documented.map(\.name) + SNSStatus.documented.map(\.name)

  /// Notifications as counts and the failed deliveries.
  private mutating func notificationValue(
    _ counts: NotificationCounts, deliveries: [NotificationSummary.FailedDelivery]
  ) -> TreeValue {
    let events = counts.byEvent.entries.map { (name: $0.name.name, count: $0.count) }
    let statuses = counts.bySNSStatus.entries.map { (name: $0.name.name, count: $0.count) }
    let deliveries = deliveries.map { failed in
      delivery.make(
        in: &tree,
        [
          "date": timestamp(failed.date),
          "event": tree.string(failed.event.name),
          "topic": tree.string(failed.topic),
          "code": tree.string(failed.status.name),
        ])
    }
    let (byEvent, eventList) = counted(events, firstPosition: 0)
    let (byStatus, statusList) = counted(statuses, firstPosition: NotificationEvent.documented.count)
    return notifications.make(
      in: &tree,
      [
        "total": .int(counts.total),
        "errors": .int(counts.errors),
        "byEvent": byEvent,
        "eventList": eventList,
        "snsStatus": byStatus,
        "snsStatusList": statusList,
        "failedDeliveries": tree.list(deliveries),
        "failedDeliveryCount": .int(deliveries.count),
        "hasFailedDeliveries": .bool(!deliveries.isEmpty),
      ])
  }

  /// Counts by name as a map and as a list; the first of them are the documented names from `firstPosition`
  /// of `countedNames` on.
  private mutating func counted(
    _ counts: [(name: String, count: Int)], firstPosition: Int
  ) -> (map: TreeValue, list: TreeValue) {
    let list = counts.enumerated().map { index, entry in
      let position = firstPosition + index
      let known = position < Self.countedNames.count && Self.countedNames[position] == entry.name
      return countEntry(name: entry.name, count: entry.count, position: known ? position : nil)
    }
    return (map(counts.map { ($0.name, .int($0.count)) }), tree.list(list))
  }

  private mutating func phaseMap(_ phases: PhaseDurations) -> TreeValue {
    func of(_ phase: RunPhase) -> TreeValue { seconds(phases.duration(of: phase)) }
    return self.phases.make(
      in: &tree,
      [
        "setup": of(.setup), "collection": of(.collection), "wrapup": of(.wrapup), "evaluation": of(.evaluation),
      ])
  }

  /// The phases in order; `texts`, when given, are their durations already written for people.
  private mutating func phaseList(_ phases: PhaseDurations, texts: [String]? = nil) -> TreeValue {
    tree.list(
      RunPhase.allCases.enumerated().map { index, entry in
        let span = phases.duration(of: entry)
        return phase.make(
          in: &tree,
          [
            "phase": tree.string(entry.rawValue), "seconds": seconds(span),
            "text": tree.string(texts?[index] ?? span.humanDescription),
          ])
      })
  }

  /// A map whose keys come from the data; maps with the same keys in the same order share one shape.
  private mutating func map(_ entries: [(String, TreeValue)]) -> TreeValue {
    if marksInputKeys {
      return tree.object(TemplateShape([ReportEncoding.inputKeys]), fields: [tree.list(entries.map(\.1))])
    }
    let names = entries.map(\.0)
    let layout: MapLayout
    // The same few key lists come again and again, as the same strings, which compare without hashing.
    if let recent = recentMapLayouts.first(where: { $0.names == names }) {
      layout = recent.layout
    } else if let known = mapLayouts[names] {
      layout = known
      recentMapLayouts = [(names, known)] + recentMapLayouts.prefix(7)
    } else {
      let shape = TemplateShape(Array(Set(names)))
      var slotOf: [String: Int] = [:]
      for (slot, key) in shape.names.enumerated() { slotOf[key.name] = slot }
      layout = MapLayout(shape: shape, slots: names.map { slotOf[$0] ?? 0 })
      mapLayouts[names] = layout
    }
    var values = [TreeValue](repeating: .null, count: layout.shape.names.count)
    for (index, entry) in entries.enumerated() { values[layout.slots[index]] = entry.1 }
    return tree.object(layout.shape, fields: values)
  }

  private func seconds(_ span: TimeSpan) -> TreeValue {
    span.microseconds % 1_000_000 == 0 ? .int(Int(span.microseconds / 1_000_000)) : .double(span.seconds)
  }

  private mutating func timestamp(_ instant: Timestamp?, junit: Bool = false) -> TreeValue {
    guard let instant else { return .null }
    return tree.string(capacity: Timestamp.textCapacity) { instant.write(to: $0, junit: junit) }
  }
}

/// Entries of a name and a count, each made once and shared by every run that has an equal one.
///
/// Known names (severities, documented events) with small counts, nearly all entries, are found by position
/// and count rather than by hashing.
private struct SharedCountEntries {
  private var known: [TreeValue?]
  private var hashed: [Key: TreeValue] = [:]

  private struct Key: Hashable {
    let name: String
    let count: Int
  }

  /// Counts below this are shared by position; larger ones, rare, by hashing.
  private static let smallCounts = 64

  init(knownNames: Int) {
    known = [TreeValue?](repeating: nil, count: knownNames * Self.smallCounts)
  }

  /// The entry of `name` and `count`, made by `make` the first time; `position` is a known name's place.
  mutating func entry(name: String, count: Int, position: Int?, make: () -> TreeValue) -> TreeValue {
    let slot = position.flatMap { (0..<Self.smallCounts).contains(count) ? $0 * Self.smallCounts + count : nil }
    if let slot, let shared = known[slot] { return shared }
    let key = Key(name: name, count: count)
    if slot == nil, let shared = hashed[key] { return shared }
    let entry = make()
    if let slot { known[slot] = entry } else { hashed[key] = entry }
    return entry
  }
}

import TemplateEngine

/// What templates can find in the report model, read off the encoding of a report that has something in every
/// list, so the keys are those `ReportEncoding` writes and cannot drift from them.
///
/// Read off a tree rather than written out by hand: a second list of keys would be one more place to change
/// with every field, and a forgotten one would warn about a name that works.
enum ReportShape {
  /// The shape of every report's tree.
  static let model: ValueShape = {
    let file = TemplateFile(name: "report.html.mustache", folder: "mine", sha256: String(repeating: "0", count: 64))
    let provenance = Provenance(
      environment: ["SOURCE_DATE_EPOCH=0"], arguments: ["-"], templateFiles: [file],
      templateSetSHA256: file.sha256)
    let tree = ReportEncoding.describing(ReportView(representativeReport(), provenance: provenance))
    return shape(of: tree.templateValue(tree.root))
  }()

  /// The warnings for names in `templates` that never resolve against the report model; the templates of the
  /// report formats render against it, the others as partials where they are included.
  static func warnings(for templates: [String: Template]) -> [TemplateWarning] {
    Template.namesThatNeverResolve(
      in: templates, roots: OutputFormat.allCases.compactMap(\.templateName), against: model,
      model: "the report model")
  }

  /// The shape of `value`.
  private static func shape(of value: TemplateValue) -> ValueShape {
    switch value {
    case .null, .bool, .int, .double, .string:
      return .scalar
    case .list(let elements):
      return .list(shape(ofEach: elements))
    case .object(let object):
      if case .list(let values)? = object[ReportEncoding.inputKeys] { return .map(shape(ofEach: values)) }
      var keys: [String: ValueShape] = [:]
      for (key, value) in zip(object.shape.names, object.values) { keys[key.name] = shape(of: value) }
      return .object(keys)
    }
  }

  /// A shape that allows what any of `values` has, or `nil` when there are none.
  private static func shape(ofEach values: [TemplateValue]) -> ValueShape? {
    values.reduce(nil) { ValueShape.merge($0, shape(of: $1)) }
  }

  /// A run that has every part a report can show: rules packages and attributes, state changes, a notification with a failed delivery (and
  /// so a check with details), findings, and a failed item, so that every list of the model has an element; and a
  /// second run of its template, so that the template has a trend.
  private static func representativeReport() -> Report {
    func time(_ seconds: Int64) -> Timestamp { Timestamp(microseconds: seconds * 1_000_000) }
    let template = "arn:aws:inspector:us-west-2:1:target/0-a/template/0-b"
    let run = AssessmentRun(
      arn: template + "/run/0-c", name: "run", templateArn: template, state: .completed, durationInSeconds: 3600,
      rulesPackageArns: ["arn:aws:inspector:us-west-2:1:rulespackage/0-p"],
      userAttributesForFindings: [UserAttribute(key: "k", value: "v")],
      createdAt: time(1), startedAt: time(2), completedAt: time(5), stateChangedAt: time(5), dataCollected: true,
      stateChanges: [
        StateChange(at: time(1), state: .created), StateChange(at: time(2), state: .collectingData),
        StateChange(at: time(3), state: .evaluatingRules), StateChange(at: time(5), state: .completed),
      ],
      notifications: NotificationSummary([
        RunNotification(
          date: time(4), event: .assessmentRunCompleted, error: true, snsTopicArn: "arn:aws:sns:us-west-2:1:topic",
          snsPublishStatusCode: .accessDenied)
      ]),
      findingCounts: [SeverityCount(severity: .high, count: 1)])
    let second = AssessmentRun(
      arn: template + "/run/0-e", name: "second", templateArn: template, state: .completed, createdAt: time(6),
      stateChanges: [StateChange(at: time(6), state: .completed)])
    // A run of a template the baseline does not have, so that one appeared.
    let third = AssessmentRun(
      arn: "arn:aws:inspector:us-west-2:1:target/0-a/template/0-i/run/0-j", name: "third",
      templateArn: "arn:aws:inspector:us-west-2:1:target/0-a/template/0-i", state: .completed, createdAt: time(6),
      stateChanges: [StateChange(at: time(6), state: .completed)])
    let failed = FailedItem(
      arn: template + "/run/0-d", failureCode: "ACCESS_DENIED", retryable: false, source: SourceLocation(file: ""))
    let input = LoadedInput(
      name: "representative.json", snapshot: Snapshot(runs: [run, second, third], failedItems: [failed]), byteCount: 1,
      sha256: String(repeating: "0", count: 64))
    var policy = Policy.standard
    policy.source = "policy.yml"
    policy.overrides = [PolicyOverride(match: .runName(RunNamePattern("sec*")), maxima: [.medium: 1])]
    policy.waivers = [
      Waiver(
        check: .findings(.high), subject: .templateArn(template), reason: "accepted", expiry: time(8),
        expiresText: time(8).description)
    ]
    // A template whose newest run is compared, with a check newly failing (data-collected) and one newly passing
    // (run-state), one that disappeared, and the third run's, which appeared.
    let baseline = Baseline(
      source: "baseline.json", sha256: String(repeating: "0", count: 64), now: "1970-01-01T00:00:00Z",
      newestRuns: [
        template: BaselineRun(
          arn: template + "/run/0-f", findings: FindingCounts([SeverityCount(severity: .high, count: 2)]),
          checks: ["run-state": .failed, "data-collected": .passed]),
        "arn:aws:inspector:us-west-2:1:target/0-a/template/0-g": BaselineRun(
          arn: "arn:aws:inspector:us-west-2:1:target/0-a/template/0-g/run/0-h", findings: FindingCounts(), checks: [:]),
      ])
    return Report(
      inputs: [input], policy: policy, now: (time(7), .option), baseline: baseline, maximumIncreases: [.high: 0])
  }
}

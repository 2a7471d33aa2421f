import InspectorReport

// The tests spell states, events, statuses and severities as snapshots do.

extension RunState: ExpressibleByStringLiteral {
  public init(stringLiteral name: String) { self.init(name: name) }
}

extension NotificationEvent: ExpressibleByStringLiteral {
  public init(stringLiteral name: String) { self.init(name: name) }
}

extension SNSStatus: ExpressibleByStringLiteral {
  public init(stringLiteral name: String) { self.init(name: name) }
}

extension Severity: ExpressibleByStringLiteral {
  public init(stringLiteral name: String) { self.init(name: name) }
}

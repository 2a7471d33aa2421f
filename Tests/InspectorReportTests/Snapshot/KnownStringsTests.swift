import Testing

@testable import InspectorReport

@Suite struct KnownStringsTests {
  private func known(_ text: String) -> String? {
    Array(text.utf8).withUnsafeBufferPointer { KnownStrings.known($0) }
  }

  private func string(_ text: String) -> String {
    Array(text.utf8).withUnsafeBufferPointer { KnownStrings.string($0) }
  }

  @Test(arguments: [
    "arn", "name", "assessmentRuns", "snsPublishStatusCode", "userAttributesForFindings",
    "START_DATA_COLLECTION_IN_PROGRESS", "ASSESSMENT_RUN_STATE_CHANGED", "High", "Undefined", "key", "value",
  ])
  func knownNamesAreFound(_ name: String) {
    #expect(known(name) == name)
  }

  @Test(arguments: [
    "", "a", "ar", "arnx", "Arn", "nam", "names", "START_DATA_COLLECTION_IN_PROGRES",
    "START_DATA_COLLECTION_IN_PROGRESS_",
    "START_DATA_COLLECTION_IN_PROGRESX", "XTART_DATA_COLLECTION_IN_PROGRESS", "HIGH", "high", "snsPublishStatusCodes",
    "ASSESSMENT_RUN_STATE_CHANGEX", "é", "arn\u{0}",
  ])
  func otherTextIsNotKnownButKeptAsItIs(_ text: String) {
    #expect(known(text) == nil)
    #expect(string(text) == text)
  }

  /// Each vocabulary's documented names decode to their values; any other text, a name of another vocabulary
  /// included, is an undocumented value spelled as it was.
  @Test func vocabulariesDecodeTheirDocumentedNamesAndKeepOthers() {
    func decoded<V: InspectorVocabulary>(_ text: String, _ decode: (UnsafeBufferPointer<UInt8>) -> V) -> V {
      Array(text.utf8).withUnsafeBufferPointer(decode)
    }
    for state in RunState.documented { #expect(decoded(state.name, KnownStrings.runState) == state) }
    for event in NotificationEvent.documented { #expect(decoded(event.name, KnownStrings.event) == event) }
    for status in SNSStatus.documented { #expect(decoded(status.name, KnownStrings.status) == status) }
    for severity in Severity.documented { #expect(decoded(severity.name, KnownStrings.severity) == severity) }
    #expect(decoded("High", KnownStrings.runState) == .undocumented("High"))
    #expect(decoded("COMPLETED", KnownStrings.event) == .undocumented("COMPLETED"))
    #expect(decoded("state", KnownStrings.status) == .undocumented("state"))
    #expect(decoded("Critical", KnownStrings.severity) == .undocumented("Critical"))
    #expect(decoded("", KnownStrings.severity) == .undocumented(""))
  }
}

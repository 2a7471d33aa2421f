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
}

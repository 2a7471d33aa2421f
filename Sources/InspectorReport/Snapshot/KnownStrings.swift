import Foundation

/// The member names and enumerated values snapshots repeat hundreds of thousands of times, handed out as
/// the program's own string constants instead of a new string for each occurrence.
///
/// Most of what a snapshot spells is one of these (every notification repeats `snsPublishStatusCode`,
/// `ASSESSMENT_RUN_STATE_CHANGED`, …); matching the bytes in place spares an allocation for each.
enum KnownStrings {
  private static let all: [String] = [
    // Members of the response, AssessmentRun, AssessmentRunStateChange, AssessmentRunNotification, FailedItemDetails.
    "assessmentRuns", "failedItems", "ResponseMetadata", "arn", "name", "assessmentTemplateArn", "state",
    "durationInSeconds", "rulesPackageArns", "userAttributesForFindings", "createdAt", "startedAt", "completedAt",
    "stateChangedAt", "dataCollected", "stateChanges", "notifications", "findingCounts", "date", "event", "message",
    "error", "snsTopicArn", "snsPublishStatusCode", "failureCode", "retryable", "key", "value",
    // AssessmentRunState.
    "CREATED", "START_DATA_COLLECTION_PENDING", "START_DATA_COLLECTION_IN_PROGRESS", "COLLECTING_DATA",
    "STOP_DATA_COLLECTION_PENDING", "DATA_COLLECTED", "START_EVALUATING_RULES_PENDING", "EVALUATING_RULES",
    "FAILED", "ERROR", "COMPLETED", "COMPLETED_WITH_ERRORS", "CANCELED",
    // InspectorEvent, AssessmentRunNotificationSnsStatusCode, Severity.
    "ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_COMPLETED", "ASSESSMENT_RUN_STATE_CHANGED", "FINDING_REPORTED", "OTHER",
    "SUCCESS", "TOPIC_DOES_NOT_EXIST", "ACCESS_DENIED", "INTERNAL_ERROR",
    "High", "Medium", "Low", "Informational", "Undefined",
  ]

  private static let longest = all.map(\.utf8.count).max() ?? 0

  /// Slot `i` holds an index into `all`, or -1; placed by hash, probed linearly.
  private static let table: [Int] = {
    var table = [Int](repeating: -1, count: tableSize)
    for (index, name) in all.enumerated() {
      var slot = Array(name.utf8).withUnsafeBufferPointer { hash($0) } & (tableSize - 1)
      while table[slot] >= 0 { slot = (slot + 1) & (tableSize - 1) }
      table[slot] = index
    }
    return table
  }()

  private static let tableSize = 256

  /// The string `bytes` spell: a shared constant when it is a known name, else a new string.
  static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    known(bytes) ?? String(decoding: bytes, as: UTF8.self)
  }

  /// The shared constant `bytes` spell, or `nil` when they spell no known name.
  static func known(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    guard bytes.count <= longest else { return nil }
    var slot = hash(bytes) & (tableSize - 1)
    while true {
      let index = table[slot]
      guard index >= 0 else { return nil }
      var candidate = all[index]
      let matches = candidate.withUTF8 { name in
        guard name.count == bytes.count else { return false }
        guard let left = name.baseAddress, let right = bytes.baseAddress else { return true }
        return memcmp(left, right, name.count) == 0
      }
      if matches { return candidate }
      slot = (slot + 1) & (tableSize - 1)
    }
  }

  private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return Int(truncatingIfNeeded: hash)
  }
}

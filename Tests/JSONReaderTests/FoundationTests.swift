import Foundation
import JSONReader
import Testing

/// `readValue` must agree with Foundation's parser on documents both accept.
struct FoundationTests {
  static let documents: [String] = [
    #"""
    {
      "assessmentRuns": [
        {
          "arn": "arn:aws:inspector:us-west-2:123456789012:target/0-0kFIPusq/template/0-4r1V2mAw/run/0-MKkpXXPE",
          "name": "Run 1 for Example",
          "state": "COMPLETED",
          "durationInSeconds": 3600,
          "rulesPackageArns": ["arn:aws:inspector:us-west-2:758058086616:rulespackage/0-X1KXtawP"],
          "userAttributesForFindings": [],
          "createdAt": 1458680170.035,
          "startedAt": 1.458680301263E9,
          "dataCollected": true,
          "stateChanges": [{"stateChangedAt": 1458680170.035, "state": "CREATED"}],
          "notifications": [],
          "findingCounts": {"High": 14, "Informational": 0, "Low": 0, "Medium": 2, "Undefined": 0}
        }
      ],
      "failedItems": {}
    }
    """#,
    #"{"unicode": "é 日本 \ud83d\ude00 \u00e9 \u2028", "escapes": "\"\\\/\b\f\n\r\t", "empty": "", "nul": "\u0000"}"#,
    #"[0, -0, 1, -1, 1.5, -1.5e-3, 1E300, 12345678901234567890, 9007199254740993, 0.1, 1e-7, 2.5E+10, 100e-2]"#,
    #"[[[[]]], {"a": {"b": {"c": [null, true, false]}}}, [{}], "x", 3]"#,
    #""just a string""#,
    "42",
  ]

  @Test(arguments: documents)
  func agreesWithJSONSerialization(_ document: String) throws {
    let input = Array(document.utf8)
    let ours = try JSONValue(parsing: input)
    let theirs = try JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])
    #expect(Self.matches(ours, theirs), "\(ours)")
    // Our own compact output must read back to the same tree.
    #expect(try JSONValue(parsing: Array(ours.description.utf8)) == ours)
  }

  /// RFC 8259 leaves the range of numbers to implementations; Foundation rejects what `Double` cannot hold, while
  /// this reader accepts it and leaves the choice to `doubleValue` (infinity) or `scaled(by:)` (nil).
  @Test func acceptsNumbersFoundationRejects() throws {
    let input = Array("[1E400]".utf8)
    #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: Data(input)) }
    #expect(try JSONValue(parsing: input)[0] == .number(try #require(JSONNumber("1E400"))))
  }

  static func matches(_ value: JSONValue, _ object: Any) -> Bool {
    switch value {
    case .null:
      return object is NSNull
    case .bool(let flag):
      return (object as? Bool) == flag
    case .number(let number):
      guard let theirs = (object as? NSNumber)?.doubleValue else { return false }
      let ours = number.doubleValue
      return ours == theirs || abs(ours - theirs) <= abs(ours) * 1e-15
    case .string(let text):
      return (object as? String) == text
    case .array(let elements):
      guard let array = object as? [Any], array.count == elements.count else { return false }
      return zip(elements, array).allSatisfy { matches($0, $1) }
    case .object(let members):
      guard let dictionary = object as? [String: Any], dictionary.count == Set(members.map(\.key)).count else {
        return false
      }
      return members.allSatisfy { member in dictionary[member.key].map { matches(member.value, $0) } ?? false }
    }
  }
}

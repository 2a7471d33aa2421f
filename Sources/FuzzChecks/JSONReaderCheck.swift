import JSONReader

/// Every way of reading a buffer must accept the same texts, reject them with the same error, and build the same trees.
enum JSONReaderCheck {
  struct Outcome: Equatable {
    var values: [JSONValue] = []
    var error: JSONSyntaxError?
  }

  static func check(_ input: [UInt8]) throws(InvariantViolation) {
    let read = readAll(input) { (reader) throws(JSONSyntaxError) in try reader.readValue() }
    let pulled = readAll(input) { (reader) throws(JSONSyntaxError) in try pull(&reader) }
    let skipped = readAll(input) { (reader) throws(JSONSyntaxError) -> JSONValue in
      try reader.skipValue()
      return .null
    }
    guard read == pulled, read.error == skipped.error, read.values.count == skipped.values.count else {
      throw InvariantViolation("modes disagree: read \(read), pulled \(pulled), skipped \(skipped)")
    }
    for value in read.values {
      guard (try? JSONValue(parsing: Array(value.description.utf8))) == value else {
        throw InvariantViolation("\(value) does not read back as itself")
      }
    }
  }

  static func readAll(
    _ input: [UInt8], _ body: (inout JSONReader) throws(JSONSyntaxError) -> JSONValue
  ) -> Outcome {
    var reader = JSONReader(bytes: input)
    var outcome = Outcome()
    do {
      while !reader.isAtEnd() { outcome.values.append(try body(&reader)) }
    } catch {
      outcome.error = error
    }
    return outcome
  }

  /// The tree as the pull API sees it; recursion is bounded by the reader's depth limit.
  static func pull(_ reader: inout JSONReader) throws(JSONSyntaxError) -> JSONValue {
    switch try reader.peekKind() {
    case .object:
      try reader.beginObject()
      var members: [JSONMember] = []
      while let key = try reader.nextKey() { members.append(JSONMember(key: key, value: try pull(&reader))) }
      return .object(members)
    case .array:
      try reader.beginArray()
      var elements: [JSONValue] = []
      while try reader.nextElement() { elements.append(try pull(&reader)) }
      return .array(elements)
    case .string: return .string(try reader.readString())
    case .number: return .number(try reader.readNumber())
    case .bool: return .bool(try reader.readBool())
    case .null:
      try reader.readNull()
      return .null
    }
  }
}

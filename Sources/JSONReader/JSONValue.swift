/// The kind of a JSON value, as seen from its first byte.
public enum JSONKind: Sendable, Hashable, CustomStringConvertible {
  /// `{ … }`
  case object
  /// `[ … ]`
  case array
  /// `"…"`
  case string
  /// `-1.5e3` and the like.
  case number
  /// `true` or `false`.
  case bool
  /// `null`.
  case null

  /// The kind's name as used in messages, such as `an object`.
  public var description: String {
    switch self {
    case .object: "an object"
    case .array: "an array"
    case .string: "a string"
    case .number: "a number"
    case .bool: "a boolean"
    case .null: "null"
    }
  }
}

/// A JSON value as a tree; objects keep their members in input order, duplicates included.
public enum JSONValue: Sendable, Hashable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number with its exact text.
  case number(JSONNumber)
  /// A string, unescaped.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object, members in input order.
  case object([JSONMember])

  /// Parses `bytes` as exactly one JSON text (surrounding whitespace and a leading BOM allowed).
  /// - Throws: `JSONSyntaxError` if the bytes are not one valid JSON text.
  public init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
    var reader = JSONReader(bytes: bytes)
    self = try reader.readValue()
    try reader.expectEnd()
  }

  /// The value's kind.
  public var kind: JSONKind {
    switch self {
    case .null: .null
    case .bool: .bool
    case .number: .number
    case .string: .string
    case .array: .array
    case .object: .object
    }
  }

  /// The value of the first member named `key`, if this is an object that has one.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// The element at `index`, if this is an array that long.
  public subscript(index: Int) -> JSONValue? {
    guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
    return elements[index]
  }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Hashable {
  /// The member's name, unescaped.
  public var key: String
  /// The member's value.
  public var value: JSONValue

  /// Creates a member.
  public init(key: String, value: JSONValue) {
    self.key = key
    self.value = value
  }
}

extension JSONValue: CustomStringConvertible {
  /// Compact JSON text for the value (numbers as written; `/` and non-ASCII characters unescaped).
  public var description: String {
    var output = ""
    Self.write(self, to: &output)
    return output
  }

  private static func write(_ value: JSONValue, to output: inout String) {
    switch value {
    case .null: output += "null"
    case .bool(let flag): output += flag ? "true" : "false"
    case .number(let number): output += number.text
    case .string(let text): writeString(text, to: &output)
    case .array(let elements):
      output += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { output += "," }
        write(element, to: &output)
      }
      output += "]"
    case .object(let members):
      output += "{"
      for (index, member) in members.enumerated() {
        if index > 0 { output += "," }
        writeString(member.key, to: &output)
        output += ":"
        write(member.value, to: &output)
      }
      output += "}"
    }
  }

  private static func writeString(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{00}"..."\u{1F}":
        let hex = String(scalar.value, radix: 16, uppercase: true)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}

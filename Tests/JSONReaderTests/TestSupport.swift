import JSONReader
import Testing

/// Input bytes from test notation: the text's UTF-8, with each `\xHH` turned into the raw byte 0xHH so that invalid
/// UTF-8 can be written inline. Cases meant to test JSON's own escapes never use `\x`.
func bytes(_ notation: String) -> [UInt8] {
  let source = Array(notation.utf8)
  var output: [UInt8] = []
  var i = 0
  while i < source.count {
    if source[i] == UInt8(ascii: "\\"), i + 3 < source.count, source[i + 1] == UInt8(ascii: "x"),
      let byte = UInt8(String(decoding: source[i + 2...i + 3], as: UTF8.self), radix: 16)
    {
      output.append(byte)
      i += 4
    } else {
      output.append(source[i])
      i += 1
    }
  }
  return output
}

/// The three ways to consume a value; all must accept and reject exactly the same texts with the same errors.
enum ReadMode: CaseIterable, Sendable {
  case readValue, skipValue, pull
}

/// Consumes one whole text (value, then end of input) in the given mode; the tree is nil when skipping.
func parseSingle(_ input: [UInt8], mode: ReadMode, maximumDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue? {
  var reader = JSONReader(bytes: input, maximumDepth: maximumDepth)
  var value: JSONValue?
  switch mode {
  case .readValue: value = try reader.readValue()
  case .skipValue: try reader.skipValue()
  case .pull: value = try pullValue(&reader)
  }
  try reader.expectEnd()
  return value
}

/// The outcome of `parseSingle` in every mode, as a `Result` so that cases can compare them.
func outcomes(
  _ input: [UInt8], maximumDepth: Int = 512, modes: [ReadMode] = ReadMode.allCases
) -> [ReadMode: Result<JSONValue?, JSONSyntaxError>] {
  var results: [ReadMode: Result<JSONValue?, JSONSyntaxError>] = [:]
  for mode in modes {
    do {
      results[mode] = .success(try parseSingle(input, mode: mode, maximumDepth: maximumDepth))
    } catch {
      results[mode] = .failure(error)
    }
  }
  return results
}

/// The error every mode agrees on, or nil if all accept; records an issue when they disagree.
func agreedError(
  _ input: [UInt8], maximumDepth: Int = 512, modes: [ReadMode] = ReadMode.allCases,
  sourceLocation: SourceLocation = #_sourceLocation
) -> JSONSyntaxError? {
  let results = outcomes(input, maximumDepth: maximumDepth, modes: modes)
  let errors = modes.map { mode -> JSONSyntaxError? in
    if case .failure(let error) = results[mode] { return error }
    return nil
  }
  #expect(
    Set(errors.map { $0.map(\.description) ?? "accepted" }).count == 1, "modes disagree: \(results)",
    sourceLocation: sourceLocation)
  if case .success(let read) = results[.readValue], case .success(let pulled) = results[.pull] {
    #expect(read == pulled, sourceLocation: sourceLocation)
  }
  return errors[0]
}

/// Rebuilds a tree through the pull API only, so it exercises `peekKind`, `begin…`, `next…` and the scalar reads.
func pullValue(_ reader: inout JSONReader) throws(JSONSyntaxError) -> JSONValue {
  switch try reader.peekKind() {
  case .object:
    try reader.beginObject()
    var members: [JSONMember] = []
    while let key = try reader.nextKey() {
      members.append(JSONMember(key: key, value: try pullValue(&reader)))
    }
    return .object(members)
  case .array:
    try reader.beginArray()
    var elements: [JSONValue] = []
    while try reader.nextElement() {
      elements.append(try pullValue(&reader))
    }
    return .array(elements)
  case .string: return .string(try reader.readString())
  case .number: return .number(try reader.readNumber())
  case .bool: return .bool(try reader.readBool())
  case .null:
    try reader.readNull()
    return .null
  }
}

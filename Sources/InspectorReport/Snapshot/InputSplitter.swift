import JSONReader

/// Cuts an input holding many JSON texts into parts that can be decoded separately.
///
/// Cuts fall only between texts and at the start of a line, so each part's positions are its
/// input's positions shifted by whole lines; and only where keeping going resumes after a text that fails, so a
/// part's decoder never reads a text that the whole input's would skip.
enum InputSplitter {
  /// A part of an input: its bytes and how many lines come before it.
  struct Part {
    var range: Range<Int>
    var linesBefore: Int
  }

  /// About `count` parts of `bytes`, or none when it cannot be cut (one text, or a syntax error before the first
  /// cut). After a syntax error the rest is one last part, whose decoder reports the error with its place: a polling
  /// job's JSON Lines cut short in its last line is still decoded on all cores.
  static func parts(of bytes: [UInt8], count: Int) -> [Part] {
    var reader = JSONReader(bytes: bytes)
    let target = Swift.max(1, bytes.count / count)
    var parts: [Part] = []
    var start = 0
    var linesBefore = 0
    var end = 0
    do {
      while !reader.isAtEnd() {
        try reader.skipValue()
        end = reader.offset
        guard end - start >= target, let next = lineStart(after: end, in: bytes) else { continue }
        parts.append(Part(range: start..<next, linesBefore: linesBefore))
        linesBefore += newlines(in: bytes[start..<next])
        start = next
      }
    } catch {
      guard !parts.isEmpty else { return [] }
      parts.append(Part(range: start..<bytes.count, linesBefore: linesBefore))
      return parts
    }
    if end > start { parts.append(Part(range: start..<bytes.count, linesBefore: linesBefore)) }
    return parts
  }

  /// The start of the line after `offset` if only whitespace lies between and keeping going resumes there; `nil`
  /// when text follows on the same line, or the next line does not start as one that reading resumes at.
  private static func lineStart(after offset: Int, in bytes: [UInt8]) -> Int? {
    var index = offset
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "\n"):
        let next = index + 1
        return next < bytes.count && SnapshotDecoder.resumesAtLine(startingWith: bytes[next]) ? next : nil
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
      default: return nil
      }
    }
    return nil
  }

  private static func newlines(in bytes: ArraySlice<UInt8>) -> Int {
    bytes.withUnsafeBufferPointer { buffer in buffer.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } }
  }
}

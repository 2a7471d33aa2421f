/// A place in the input: 1-based line and column plus the 0-based byte offset.
public struct JSONPosition: Sendable, Hashable, CustomStringConvertible {
  /// The 1-based line; LF, CRLF and a lone CR each end a line.
  public var line: Int
  /// The 1-based column, counted in Unicode scalars from the start of the line (a leading BOM is not counted).
  public var column: Int
  /// The 0-based byte offset from the start of the buffer (a leading BOM is counted).
  public var offset: Int

  /// Creates a position from its parts.
  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  /// The position as `line:column`.
  public var description: String { "\(line):\(column)" }
}

extension JSONPosition {
  /// Walks the bytes before `offset`; lines are never tracked while parsing, so this runs only when a position is asked
  /// for, typically once per reported error.
  init(offset rawOffset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
    let offset = min(max(rawOffset, 0), bytes.count)
    var line = 1
    var column = 1
    var index = offset >= 3 && JSONScanner.hasByteOrderMark(bytes) ? 3 : 0
    while index < offset {
      let byte = bytes[index]
      if byte == ASCII.lineFeed {
        line += 1
        column = 1
      } else if byte == ASCII.carriageReturn {
        // In CRLF the LF ends the line; a lone CR ends it by itself.
        if index + 1 >= bytes.count || bytes[index + 1] != ASCII.lineFeed {
          line += 1
          column = 1
        }
      } else if byte & 0xC0 != 0x80 {
        // Continuation bytes belong to the scalar their lead byte already counted.
        column += 1
      }
      index += 1
    }
    self.init(line: line, column: column, offset: offset)
  }
}

/// A violation of RFC 8259 (or of the reader's depth limit or call protocol), with the place it was found.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Where the offending byte is; for a premature end of input, the end of the buffer.
  public var position: JSONPosition
  /// A short explanation, such as `expected ',' or '}' after object member, found 'x'`.
  public var message: String

  /// Creates an error from its parts.
  public init(position: JSONPosition, message: String) {
    self.position = position
    self.message = message
  }

  /// The error as `line:column: message`.
  public var description: String { "\(position): \(message)" }
}

import JSONReader

/// Recognises the `report.json` this tool writes, so that one read as a snapshot is named for what it is.
enum OwnReport {
  /// Whether `bytes` are a JSON object whose top-level `tool` member is `{"name": "inspector-report", …}`, as in
  /// every `report.json` (`ToolView`).
  static func recognizes(_ bytes: [UInt8]) -> Bool {
    var reader = JSONReader(bytes: bytes)
    do {
      guard try reader.peekKind() == .object else { return false }
      try reader.beginObject()
      while let key = try reader.nextKey() {
        guard key == "tool", try reader.peekKind() == .object else {
          try reader.skipValue()
          continue
        }
        try reader.beginObject()
        while let member = try reader.nextKey() {
          if member == "name", try reader.peekKind() == .string {
            if try reader.readString() == ToolView().name { return true }
          } else {
            try reader.skipValue()
          }
        }
      }
    } catch {
      return false
    }
    return false
  }
}

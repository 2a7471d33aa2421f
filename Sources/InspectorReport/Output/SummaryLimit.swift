/// Keeps `summary.md` within a size, as a GitHub step summary (1 MiB) or a check run's text (65,535 bytes) must be,
/// by leaving out the end of its list rather than the verdict and totals above it.
///
/// It reads the Markdown as it streams past, one line at a time: everything before the first list entry (a line
/// that starts with `- `) is written whatever its size, and so is every line after it while the whole still fits.
/// When it would not, the output ends at the last whole line that leaves room for the closing line, which says
/// how many entries were left out: `…and 9,000 more runs with problems or in progress, see report.html`. Lines
/// are never split, so the output stays UTF-8 and its list stays Markdown. Entries are told apart by how the
/// built-in template writes them: `- failed item …` is a failed item, `- **…` and `- in progress…` a run, any other
/// a problem of the report itself (or an entry of a `--templates` summary).
final class SummaryLimit: @unchecked Sendable {
  // @unchecked: fed by the one task that renders summary.md, then finished after it.

  /// Room kept below the limit for the closing line.
  static let closingRoom = 256

  private let limit: Int
  private let write: (UnsafeBufferPointer<UInt8>) -> Void
  private var written = 0
  /// The start of the line the last piece ended in, kept until its end arrives.
  private var partialLine: [UInt8] = []
  /// Whole lines past `limit - closingRoom` that still fit in `limit`: written if the output ends there.
  private var held: [UInt8] = []
  private var listStarted = false
  private var leftOut = (runs: 0, failedItems: 0, others: 0)
  private var isCut = false

  init(limit: Int, write: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
    self.limit = limit
    self.write = write
  }

  /// Takes the next piece of the output.
  func feed(_ bytes: UnsafeBufferPointer<UInt8>) {
    var start = 0
    // Lines that pass are written together, in one call per piece rather than one per line.
    var passingFrom = 0
    while start < bytes.count, let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
      let end = newline + 1
      if partialLine.isEmpty, passes(UnsafeBufferPointer(rebasing: bytes[start..<end])) {
        written += end - start
      } else {
        if start > passingFrom { write(UnsafeBufferPointer(rebasing: bytes[passingFrom..<start])) }
        partialLine += bytes[start..<end]
        let line = partialLine
        partialLine = []
        line.withUnsafeBufferPointer { take($0) }
        passingFrom = end
      }
      start = end
    }
    if start > passingFrom { write(UnsafeBufferPointer(rebasing: bytes[passingFrom..<start])) }
    partialLine += bytes[start...]
  }

  /// Ends the output: writes what is held, or the closing line when entries were left out.
  func finish() {
    if !partialLine.isEmpty {
      let line = partialLine
      partialLine = []
      line.withUnsafeBufferPointer { take($0) }
    }
    if isCut {
      let closing = Array("\n\(closingLine)\n".utf8)
      closing.withUnsafeBufferPointer { emit($0) }
    } else if !held.isEmpty {
      held.withUnsafeBufferPointer { emit($0) }
    }
  }

  /// The line that ends a cut summary.
  var closingLine: String {
    var parts: [String] = []
    if leftOut.runs > 0 { parts.append(counted(leftOut.runs, "more run") + " with problems or in progress") }
    if leftOut.failedItems > 0 { parts.append(counted(leftOut.failedItems, "more failed item")) }
    if leftOut.others > 0 { parts.append(counted(leftOut.others, "more problem")) }
    let list =
      parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1] : parts.first ?? ""
    return "…and \(list), see report.html"
  }

  /// Whether `line` can be written at once, as every line is while the output is well within its limit; counted
  /// as written by the caller.
  private func passes(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !isCut, held.isEmpty else { return false }
    if Self.isEntry(line) { listStarted = true }
    return !listStarted || written + line.count <= limit - Self.closingRoom
  }

  /// Writes, holds or leaves out one whole line.
  private func take(_ line: UnsafeBufferPointer<UInt8>) {
    let isEntry = Self.isEntry(line)
    if isEntry { listStarted = true }
    if isCut {
      if isEntry { countLeftOut(line) }
    } else if !listStarted || written + line.count <= limit - Self.closingRoom && held.isEmpty {
      emit(line)
    } else if written + held.count + line.count <= limit {
      held += line
    } else {
      isCut = true
      var start = 0
      while start < held.count {
        let end = held[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? held.count
        held.withUnsafeBufferPointer { held in
          let line = UnsafeBufferPointer(rebasing: held[start..<end])
          if Self.isEntry(line) { countLeftOut(line) }
        }
        start = end
      }
      held = []
      if isEntry { countLeftOut(line) }
    }
  }

  private func emit(_ bytes: UnsafeBufferPointer<UInt8>) {
    written += bytes.count
    write(bytes)
  }

  private func countLeftOut(_ line: UnsafeBufferPointer<UInt8>) {
    if line.starts(with: "- failed item ".utf8) {
      leftOut.failedItems += 1
    } else if line.starts(with: "- **".utf8) || line.starts(with: "- in progress".utf8) {
      leftOut.runs += 1
    } else {
      leftOut.others += 1
    }
  }

  private static func isEntry(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    line.starts(with: "- ".utf8)
  }
}

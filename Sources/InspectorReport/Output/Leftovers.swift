#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a run writes beside the reports, and so what a killed run may leave: the files it staged, the second
/// names of the reports it replaced, the marks of the reports it removes, the record of a commit it had begun, and
/// the folder it was swapping in.
///
/// Only a run that holds the output folder's lock reads or removes these, so whatever it finds belongs to a run
/// that is gone.
struct Leftovers {
  /// The reports' names: those written and those removed.
  let names: [RawPath]
  /// The output folder, as the user wrote it.
  let folder: RawPath

  /// While this file exists, the staged files of the process it names are complete and are to replace the
  /// reports; it holds that process's ID and a line break, so a record cut short names no process.
  private static let commitRecordName: RawPath = ".inspector-report.commit"

  /// Where a process writes the new `name` before the commit.
  static func stagedName(_ name: RawPath, process: pid_t) -> RawPath { numbered(name, process, ".tmp") }

  /// The second name that keeps the old `name` until the new one is in place.
  static func retiredName(_ name: RawPath, process: pid_t) -> RawPath { numbered(name, process, ".old") }

  /// An empty file that says the commit of `process` removes the report `name`, which the set it writes lacks.
  static func removalName(_ name: RawPath, process: pid_t) -> RawPath { numbered(name, process, ".rm") }

  private static func numbered(_ name: RawPath, _ process: pid_t, _ suffix: String) -> RawPath {
    RawPath(bytes: Array(".".utf8) + name.bytes + Array(".\(process)\(suffix)".utf8))
  }

  /// The folder, beside the output folder `base`, that a process fills with the new reports and swaps in for it.
  static func swapFolderName(for base: RawPath, process: pid_t) -> RawPath {
    RawPath(bytes: Array(".".utf8) + base.bytes + Array(".\(process).inspector-report".utf8))
  }

  private var commitRecord: RawPath { path(Self.commitRecordName, in: folder) }

  /// Finishes a commit that a killed run had begun, then removes everything such runs left in the folder and,
  /// when `realFolder` (the folder's real path) is given, beside it.
  func clear(beside realFolder: RawPath?) {
    if let process = recordedProcess() {
      for name in names {
        // Fails, harmlessly, for the files that run had renamed or removed already.
        rename(path(Self.stagedName(name, process: process), in: folder).cString, path(name, in: folder).cString)
        if FileIdentity(path: path(Self.removalName(name, process: process), in: folder), following: false) != nil {
          unlink(path(name, in: folder).cString)
        }
      }
    }
    for entry in entries(of: folder) where isStagedOrRetired(entry) { unlink(path(entry, in: folder).cString) }
    removeCommitRecord()
    guard let realFolder, let (parent, base) = split(realFolder) else { return }
    let prefix = Array(".".utf8) + base.bytes + Array(".".utf8)
    for entry in entries(of: parent) where hasNumberedForm(entry, prefix: prefix, suffix: ".inspector-report") {
      removeSwapFolder(path(entry, in: parent))
    }
  }

  /// Removes a swap folder holding only reports; one holding anything else is left as it is.
  private func removeSwapFolder(_ swapFolder: RawPath) {
    for entry in entries(of: swapFolder) where names.contains(entry) || isStagedOrRetired(entry) {
      unlink(path(entry, in: swapFolder).cString)
    }
    rmdir(swapFolder.cString)
  }

  /// Records that the staged files of `process` are complete and are to replace the reports.
  /// - Throws: `OutputError` when the record cannot be written.
  func writeCommitRecord(process: pid_t) throws(OutputError) {
    let descriptor = open(commitRecord.cString, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
    var line = "\(process)\n"
    let written = descriptor < 0 ? -1 : line.withUTF8 { write(descriptor, $0.baseAddress, $0.count) }
    let failure = written == line.utf8.count ? nil : String(cString: strerror(errno))
    if descriptor >= 0 { close(descriptor) }
    if let failure {
      removeCommitRecord()
      throw OutputError(path: commitRecord.description, reason: failure)
    }
  }

  /// Marks the reports `removed` as to be removed by the commit of `process`, before its record is written.
  /// - Throws: `OutputError` when a mark cannot be written; then none is left.
  func markRemovals(_ removed: [RawPath], process: pid_t) throws(OutputError) {
    for (index, name) in removed.enumerated() {
      let mark = path(Self.removalName(name, process: process), in: folder)
      let descriptor = open(mark.cString, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        let failure = OutputError(path: mark.description, reason: String(cString: strerror(errno)))
        unmarkRemovals(removed.prefix(index), process: process)
        throw failure
      }
      close(descriptor)
    }
  }

  /// Removes the marks `markRemovals` wrote, once the commit record is gone.
  func unmarkRemovals(_ removed: some Sequence<RawPath>, process: pid_t) {
    for name in removed { unlink(path(Self.removalName(name, process: process), in: folder).cString) }
  }

  /// Ends a commit: whatever happens next, the reports in the folder are complete.
  func removeCommitRecord() {
    unlink(commitRecord.cString)
  }

  /// Whether the output folder holds nothing but the reports and what `process` staged for them.
  func folderHoldsOnlyReports(stagedBy process: pid_t) -> Bool {
    let allowed = Set(names + names.map { Self.stagedName($0, process: process) })
    return entries(of: folder).allSatisfy(allowed.contains)
  }

  /// The process a complete commit record names, or `nil` when there is none.
  private func recordedProcess() -> pid_t? {
    let descriptor = open(commitRecord.cString, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 16)
    let count = read(descriptor, &bytes, bytes.count)
    guard count > 1, bytes[count - 1] == UInt8(ascii: "\n") else { return nil }
    return pid_t(String(decoding: bytes[..<(count - 1)], as: UTF8.self))
  }

  /// Whether `entry` is a staged, retired or removal file of one of the reports: `.NAME.DIGITS.tmp`,
  /// `.NAME.DIGITS.old` or `.NAME.DIGITS.rm`.
  private func isStagedOrRetired(_ entry: RawPath) -> Bool {
    names.contains { name in
      let prefix = Array(".".utf8) + name.bytes + Array(".".utf8)
      return [".tmp", ".old", ".rm"].contains { hasNumberedForm(entry, prefix: prefix, suffix: $0) }
    }
  }
}

/// Whether `entry` is `prefix`, one or more digits, then `suffix`.
private func hasNumberedForm(_ entry: RawPath, prefix: [UInt8], suffix: String) -> Bool {
  let bytes = entry.bytes
  let suffix = Array(suffix.utf8)
  guard bytes.count > prefix.count + suffix.count, bytes.starts(with: prefix),
    bytes.suffix(suffix.count).elementsEqual(suffix)
  else { return false }
  return bytes.dropFirst(prefix.count).dropLast(suffix.count).allSatisfy {
    $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")
  }
}

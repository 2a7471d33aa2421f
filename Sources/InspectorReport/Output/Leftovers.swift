#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a run writes beside the reports, and so what a killed run may leave: the files it staged, the second
/// names of the reports it replaced, the record of a commit it had begun, and the folder it was swapping in.
///
/// Only a run that holds the output folder's lock reads or removes these, so whatever it finds belongs to a run
/// that is gone.
struct Leftovers {
  /// The reports' names.
  let names: [String]
  /// The output folder, as the user wrote it.
  let folder: RawPath

  /// While this file exists, the staged files of the process it names are complete and are to replace the
  /// reports; it holds that process's ID and a line break, so a record cut short names no process.
  private static let commitRecordName: RawPath = ".inspector-report.commit"

  /// Where a process writes the new `name` before the commit.
  static func stagedName(_ name: String, process: pid_t) -> RawPath { RawPath(".\(name).\(process).tmp") }

  /// The second name that keeps the old `name` until the new one is in place.
  static func retiredName(_ name: String, process: pid_t) -> RawPath { RawPath(".\(name).\(process).old") }

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
        // Fails, harmlessly, for the files that run had renamed already.
        rename(
          path(Self.stagedName(name, process: process), in: folder).cString, path(RawPath(name), in: folder).cString)
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
    for entry in entries(of: swapFolder) where names.contains(entry.description) || isStagedOrRetired(entry) {
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

  /// Ends a commit: whatever happens next, the reports in the folder are complete.
  func removeCommitRecord() {
    unlink(commitRecord.cString)
  }

  /// Whether the output folder holds nothing but the reports and what `process` staged for them.
  func folderHoldsOnlyReports(stagedBy process: pid_t) -> Bool {
    let allowed = Set(names.map { RawPath($0) } + names.map { Self.stagedName($0, process: process) })
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

  /// Whether `entry` is a staged or retired file of one of the reports: `.NAME.DIGITS.tmp` or `.NAME.DIGITS.old`.
  private func isStagedOrRetired(_ entry: RawPath) -> Bool {
    names.contains { name in
      let prefix = Array(".\(name).".utf8)
      return hasNumberedForm(entry, prefix: prefix, suffix: ".tmp")
        || hasNumberedForm(entry, prefix: prefix, suffix: ".old")
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

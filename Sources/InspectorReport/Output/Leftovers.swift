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
  let folder: String

  /// While this file exists, the staged files of the process it names are complete and are to replace the
  /// reports; it holds that process's ID and a line break, so a record cut short names no process.
  private static let commitRecordName = ".inspector-report.commit"

  /// Where a process writes the new `name` before the commit.
  static func stagedName(_ name: String, process: pid_t) -> String { ".\(name).\(process).tmp" }

  /// The second name that keeps the old `name` until the new one is in place.
  static func retiredName(_ name: String, process: pid_t) -> String { ".\(name).\(process).old" }

  /// The folder, beside the output folder `base`, that a process fills with the new reports and swaps in for it.
  static func swapFolderName(for base: String, process: pid_t) -> String { ".\(base).\(process).inspector-report" }

  private var commitRecord: String { path(Self.commitRecordName, in: folder) }

  /// Finishes a commit that a killed run had begun, then removes everything such runs left in `folder` and,
  /// when `beside` is given (the output folder's real path), beside it.
  func clear(beside realFolder: String?) {
    if let process = recordedProcess() {
      for name in names {
        // Fails, harmlessly, for the files that run had renamed already.
        rename(path(Self.stagedName(name, process: process), in: folder), path(name, in: folder))
      }
    }
    for entry in entries(of: folder) where isStagedOrRetired(entry) { unlink(path(entry, in: folder)) }
    removeCommitRecord()
    guard let realFolder, let (parent, base) = split(realFolder) else { return }
    for entry in entries(of: parent) where hasNumberedForm(entry, prefix: ".\(base).", suffix: ".inspector-report") {
      removeSwapFolder(path(entry, in: parent))
    }
  }

  /// Removes a swap folder holding only reports; one holding anything else is left as it is.
  func removeSwapFolder(_ swapFolder: String) {
    for entry in entries(of: swapFolder) where names.contains(entry) || isStagedOrRetired(entry) {
      unlink(path(entry, in: swapFolder))
    }
    rmdir(swapFolder)
  }

  /// Records that the staged files of `process` are complete and are to replace the reports.
  /// - Throws: `OutputError` when the record cannot be written.
  func writeCommitRecord(process: pid_t) throws(OutputError) {
    let descriptor = open(commitRecord, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
    var line = "\(process)\n"
    let written = descriptor < 0 ? -1 : line.withUTF8 { write(descriptor, $0.baseAddress, $0.count) }
    let failure = written == line.utf8.count ? nil : String(cString: strerror(errno))
    if descriptor >= 0 { close(descriptor) }
    if let failure {
      removeCommitRecord()
      throw OutputError(path: commitRecord, reason: failure)
    }
  }

  /// Ends a commit: whatever happens next, the reports in the folder are complete.
  func removeCommitRecord() {
    unlink(commitRecord)
  }

  /// Whether the output folder holds nothing but the reports and what `process` staged for them.
  func folderHoldsOnlyReports(stagedBy process: pid_t) -> Bool {
    let allowed = Set(names + names.map { Self.stagedName($0, process: process) })
    return entries(of: folder).allSatisfy(allowed.contains)
  }

  /// The process a complete commit record names, or `nil` when there is none.
  private func recordedProcess() -> pid_t? {
    let descriptor = open(commitRecord, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 16)
    let count = read(descriptor, &bytes, bytes.count)
    guard count > 1, bytes[count - 1] == UInt8(ascii: "\n") else { return nil }
    return pid_t(String(decoding: bytes[..<(count - 1)], as: UTF8.self))
  }

  /// Whether `entry` is a staged or retired file of one of the reports: `.NAME.DIGITS.tmp` or `.NAME.DIGITS.old`.
  private func isStagedOrRetired(_ entry: String) -> Bool {
    names.contains { name in
      hasNumberedForm(entry, prefix: ".\(name).", suffix: ".tmp")
        || hasNumberedForm(entry, prefix: ".\(name).", suffix: ".old")
    }
  }
}

/// Whether `entry` is `prefix`, one or more digits, then `suffix`.
private func hasNumberedForm(_ entry: String, prefix: String, suffix: String) -> Bool {
  let bytes = entry.utf8
  guard bytes.count > prefix.utf8.count + suffix.utf8.count, bytes.starts(with: prefix.utf8),
    bytes.reversed().starts(with: suffix.utf8.reversed())
  else { return false }
  return bytes.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count).allSatisfy {
    $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")
  }
}

/// The folder holding `path` and the last name in it; `nil` for `/`.
private func split(_ path: String) -> (parent: String, base: String)? {
  guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return (".", path) }
  let base = String(path[path.index(after: slash)...])
  guard !base.isEmpty else { return nil }
  return (slash == path.startIndex ? "/" : String(path[..<slash]), base)
}

/// The names in `folder` but `.` and `..`; names that are not UTF-8 are never ours and may come out altered.
func entries(of folder: String) -> [String] {
  guard let stream = opendir(folder.isEmpty ? "." : folder) else { return [] }
  defer { closedir(stream) }
  var names: [String] = []
  while let entry = readdir(stream) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    if name != "." && name != ".." { names.append(name) }
  }
  return names
}

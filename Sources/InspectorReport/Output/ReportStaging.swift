#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a set of reports so that each file is either the old one or the complete new one.
///
/// Every report is streamed into a temporary file beside its target and renamed over it only when all of
/// them are complete: a reader never sees half a report, and a failure leaves the old reports in place
/// (and no folder behind that this run created).
final class ReportStaging: @unchecked Sendable {
  // @unchecked: each staged file is written by one task; `commit` and `deinit` run after all are done.
  private let folder: RawPath
  private let createdFolder: Bool
  private var files: [StagedFile] = []
  private var committed = false

  /// Creates `folder` if needed and a temporary file for each of `names`.
  /// - Throws: `OutputError` when the folder or a file cannot be created.
  init(folder: RawPath, names: [String]) throws(OutputError) {
    self.folder = folder
    let kind = isFolder(atPath: folder)
    let existed = kind != nil
    if kind == false { throw OutputError(path: folder.description, reason: "not a folder") }
    if !existed, let reason = Self.makeFolder(folder) {
      throw OutputError(path: folder.description, reason: "cannot create the output folder: \(reason)")
    }
    createdFolder = !existed
    for name in names {
      let final = path(RawPath(name), in: folder)
      let temporary = path(RawPath(".\(name).\(getpid()).tmp"), in: folder)
      let descriptor = open(temporary.cString, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        let reason = String(cString: strerror(errno))
        discard()
        throw OutputError(path: final.description, reason: reason)
      }
      files.append(StagedFile(descriptor: descriptor, temporary: temporary, final: final))
    }
  }

  deinit {
    if !committed { discard() }
  }

  /// Creates `folder` and the folders missing above it, as `mkdir -p` does.
  /// - Returns: why it could not, in the system's words, or `nil` once it exists.
  private static func makeFolder(_ folder: RawPath) -> String? {
    if mkdir(folder.cString, 0o777) == 0 { return nil }
    var code = errno
    if code == ENOENT, let parent = parent(of: folder) {
      if let reason = makeFolder(parent) { return reason }
      if mkdir(folder.cString, 0o777) == 0 { return nil }
      code = errno
    }
    if code == EEXIST {
      if isFolder(atPath: folder) == true { return nil }
      var status = stat()
      // `stat` found nothing there, but something is: a symbolic link to nothing.
      if lstat(folder.cString, &status) == 0, status.st_mode & S_IFMT == S_IFLNK, stat(folder.cString, &status) != 0 {
        return "a symbolic link to nothing"
      }
      return "not a folder"
    }
    return String(cString: strerror(code))
  }

  /// The folder `path` names, or `nil` when it has none to create (`a` or `/`).
  private static func parent(of path: RawPath) -> RawPath? {
    var bytes = path.bytes
    while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return nil }
    var end = slash
    while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
    guard end > 0 else { return nil }
    return RawPath(bytes: bytes[..<end])
  }

  /// The staged file for the `index`th name.
  subscript(index: Int) -> StagedFile { files[index] }

  /// Renames every staged file over its target.
  /// - Throws: `OutputError` for the first file that could not be completed or renamed.
  func commit() throws(OutputError) {
    for file in files {
      if let failure = file.failure { throw OutputError(path: file.final.description, reason: failure) }
      guard close(file.descriptor) == 0 else {
        throw OutputError(path: file.final.description, reason: String(cString: strerror(errno)))
      }
      file.descriptor = -1
    }
    for file in files where rename(file.temporary.cString, file.final.cString) != 0 {
      throw OutputError(path: file.final.description, reason: String(cString: strerror(errno)))
    }
    committed = true
  }

  private func discard() {
    for file in files {
      if file.descriptor >= 0 { close(file.descriptor) }
      unlink(file.temporary.cString)
    }
    if createdFolder { rmdir(folder.cString) }
  }
}

/// One report being written; the first write error is kept and reported when the reports are committed.
final class StagedFile: @unchecked Sendable {
  // @unchecked: written by the one task rendering this report.
  fileprivate var descriptor: Int32
  fileprivate let temporary: RawPath
  fileprivate let final: RawPath
  fileprivate private(set) var failure: String?

  fileprivate init(descriptor: Int32, temporary: RawPath, final: RawPath) {
    self.descriptor = descriptor
    self.temporary = temporary
    self.final = final
  }

  /// Appends `bytes` to the file.
  func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard failure == nil else { return }
    var offset = 0
    while offset < bytes.count {
      let written = systemWrite(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        failure = String(cString: strerror(errno))
        return
      }
      offset += written
    }
  }
}

/// A report file that could not be written.
public struct OutputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The path, as messages show it (`RawPath.description`).
  public var path: String
  /// Why.
  public var reason: String

  public var description: String { "\(path): error: \(reason)" }
}

/// The system's `write`, which a method of the same name would otherwise hide.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

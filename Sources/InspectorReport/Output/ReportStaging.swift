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
  private let folder: String
  private let createdFolder: Bool
  private var files: [StagedFile] = []
  private var committed = false

  /// Creates `folder` if needed and a temporary file for each of `names`.
  /// - Throws: `OutputError` when the folder or a file cannot be created.
  init(folder: String, names: [String]) throws(OutputError) {
    self.folder = folder
    let kind = isFolder(atPath: folder)
    let existed = kind != nil
    if kind == false { throw OutputError(path: folder, reason: "not a folder") }
    if !existed {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw OutputError(path: folder, reason: "cannot create the output folder")
      }
    }
    createdFolder = !existed
    for name in names {
      let final = path(name, in: folder)
      let temporary = path(".\(name).\(getpid()).tmp", in: folder)
      let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        let reason = String(cString: strerror(errno))
        discard()
        throw OutputError(path: final, reason: reason)
      }
      files.append(StagedFile(descriptor: descriptor, temporary: temporary, final: final))
    }
  }

  deinit {
    if !committed { discard() }
  }

  /// The staged file for the `index`th name.
  subscript(index: Int) -> StagedFile { files[index] }

  /// Renames every staged file over its target.
  /// - Throws: `OutputError` for the first file that could not be completed or renamed.
  func commit() throws(OutputError) {
    for file in files {
      if let failure = file.failure { throw OutputError(path: file.final, reason: failure) }
      guard close(file.descriptor) == 0 else {
        throw OutputError(path: file.final, reason: String(cString: strerror(errno)))
      }
      file.descriptor = -1
    }
    for file in files where rename(file.temporary, file.final) != 0 {
      throw OutputError(path: file.final, reason: String(cString: strerror(errno)))
    }
    committed = true
  }

  private func discard() {
    for file in files {
      if file.descriptor >= 0 { close(file.descriptor) }
      unlink(file.temporary)
    }
    if createdFolder { rmdir(folder) }
  }
}

/// One report being written; the first write error is kept and reported when the reports are committed.
final class StagedFile: @unchecked Sendable {
  // @unchecked: written by the one task rendering this report.
  fileprivate var descriptor: Int32
  fileprivate let temporary: String
  fileprivate let final: String
  fileprivate private(set) var failure: String?

  fileprivate init(descriptor: Int32, temporary: String, final: String) {
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
  /// The path.
  public var path: String
  /// Why.
  public var reason: String

  public var description: String { "\(path): error: \(reason)" }
}

/// The system's `write`, which a method of the same name would otherwise hide.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

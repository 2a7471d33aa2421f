import CFolderSwap
import Dispatch

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

/// Writes a set of reports so that the folder holds either the whole old set or the whole new one.
///
/// The protocol, which README's "Guarantees" section promises:
/// 1. The output folder is locked (`flock` on the folder itself) for the whole write: a second run into it waits,
///    and whatever staged files it then finds were left by a run that is gone.
/// 2. A commit that such a run had begun is finished (see 5), and its other leftovers are removed.
/// 3. Every report is streamed into a temporary file in the folder, `.NAME.PID.tmp`.
/// 4. When all are complete and the folder holds nothing else, they are moved into a new folder beside it, which
///    is exchanged with the output folder in one step (`renameat2`'s `RENAME_EXCHANGE`, `renamex_np`'s
///    `RENAME_SWAP`): the name never shows a mixed set, whenever the process is killed.
/// 5. Otherwise (the folder holds other files, or the file system cannot exchange folders) a commit record naming
///    this process is written, the old reports get a second name (`.NAME.PID.old`), the staged files are renamed
///    over the reports and the record is removed. Killed among those renames, which take microseconds, the run
///    leaves the record, and the next run into the folder finishes the renames before anything else.
///    Reports the new set lacks (`removing`) are marked (`.NAME.PID.rm`) before the record is written and removed
///    after the renames, so that a run finishing the commit removes them too. (In a swap, 4, the new folder
///    simply lacks them.)
/// 6. The old reports are freed last, side by side: kept by a second name or in the swapped-out folder, they
///    make no rename wait for the kernel to free them.
///
/// A failure before the commit leaves the old reports in place (and no folder behind that this run created).
final class ReportStaging: @unchecked Sendable {
  // @unchecked: each staged file is written by one task; `commit` and `deinit` run after all are done.
  private let folder: RawPath
  private let createdFolder: Bool
  private let leftovers: Leftovers
  private let lock: FolderLock
  private var files: [StagedFile] = []
  /// The reports the folder may hold that the new set lacks.
  private let removing: [RawPath]
  private var committed = false

  /// Creates `folder` if needed, locks it, clears what an interrupted run left there, and creates a temporary
  /// file for each of `names`.
  /// - Parameters:
  ///   - folder: the output folder.
  ///   - names: the reports' file names.
  ///   - removing: the names of reports that are not in the new set, and so are removed by the commit.
  ///   - whileWaiting: called once if another process holds the folder, before waiting for it.
  /// - Throws: `OutputError` when the folder or a file cannot be created.
  init(folder: RawPath, names: [RawPath], removing: [RawPath] = [], whileWaiting: () -> Void = {}) throws(OutputError) {
    self.folder = folder
    self.removing = removing
    let kind = isFolder(atPath: folder)
    let existed = kind != nil
    if kind == false { throw OutputError(path: folder.description, reason: "not a folder") }
    if !existed, let reason = Self.makeFolder(folder) {
      throw OutputError(path: folder.description, reason: "cannot create the output folder: \(reason)")
    }
    createdFolder = !existed
    do {
      lock = try FolderLock(folder, whileWaiting: whileWaiting)
    } catch {
      if createdFolder { rmdir(folder.cString) }
      throw error
    }
    leftovers = Leftovers(names: names + removing, folder: folder)
    leftovers.clear(beside: realPath(folder))
    for name in names {
      let final = path(name, in: folder)
      if isFolder(atPath: final) == true {
        discard()
        throw OutputError(path: final.description, reason: "a folder is in the report's place")
      }
      let temporary = path(Leftovers.stagedName(name, process: getpid()), in: folder)
      let descriptor = open(temporary.cString, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        let reason = String(cString: strerror(errno))
        discard()
        throw OutputError(path: final.description, reason: reason)
      }
      files.append(StagedFile(name: name, descriptor: descriptor, temporary: temporary, final: final))
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

  /// Puts the staged files in place of the reports, all of them or, on failure, none.
  /// - Throws: `OutputError` for the first file that could not be completed or renamed.
  func commit() throws(OutputError) {
    for file in files {
      if let failure = file.failure { throw OutputError(path: file.final.description, reason: failure) }
      guard close(file.descriptor) == 0 else {
        throw OutputError(path: file.final.description, reason: String(cString: strerror(errno)))
      }
      file.descriptor = -1
    }
    if !swapInFolderOfNewReports() { try renameFileByFile() }
    committed = true
  }

  /// Step 4 of the protocol.
  /// - Returns: whether the new reports are in place; if not, nothing has changed.
  private func swapInFolderOfNewReports() -> Bool {
    let process = getpid()
    guard leftovers.folderHoldsOnlyReports(stagedBy: process), let target = realPath(folder),
      let (parent, base) = split(target), !Self.holdsWorkingFolder(target)
    else { return false }
    var status = stat()
    guard stat(target.cString, &status) == 0, status.st_uid == geteuid() else { return false }
    let swap = path(Leftovers.swapFolderName(for: base, process: process), in: parent)
    guard mkdir(swap.cString, 0o700) == 0 else { return false }
    var moved = 0
    // The new folder must be the old one in all but its reports: who may read and write it, and its group.
    var swapped = chmod(swap.cString, status.st_mode & 0o7777) == 0 && Self.setGroup(of: swap, to: status.st_gid)
    while swapped && moved < files.count {
      swapped = rename(files[moved].temporary.cString, files[moved].named(in: swap).cString) == 0
      if swapped { moved += 1 }
    }
    swapped = swapped && exchange_paths(swap.cString, target.cString) == 0
    guard swapped else {
      for file in files.prefix(moved) { rename(file.named(in: swap).cString, file.temporary.cString) }
      rmdir(swap.cString)
      return false
    }
    // `swap` now names the old folder. Anything created in it since it was found holding only reports goes back.
    freeSideBySide(files.map { $0.named(in: swap) } + removing.map { path($0, in: swap) })
    if rmdir(swap.cString) != 0 {
      for entry in entries(of: swap) { rename(path(entry, in: swap).cString, path(entry, in: target).cString) }
      rmdir(swap.cString)
    }
    return true
  }

  /// Step 5 of the protocol.
  private func renameFileByFile() throws(OutputError) {
    let process = getpid()
    let removed = removing.filter { FileIdentity(path: path($0, in: folder), following: false) != nil }
    try leftovers.markRemovals(removed, process: process)
    do {
      try leftovers.writeCommitRecord(process: process)
    } catch {
      leftovers.unmarkRemovals(removed, process: process)
      throw error
    }
    let retired = files.map { path(Leftovers.retiredName($0.name, process: process), in: folder) }
    // A report without a second name would be freed by the rename, which takes as long as writing it did.
    let kept = zip(files, retired).map { file, retired in link(file.final.cString, retired.cString) == 0 }
    for index in files.indices where rename(files[index].temporary.cString, files[index].final.cString) != 0 {
      let failure = OutputError(path: files[index].final.description, reason: String(cString: strerror(errno)))
      for done in 0..<index {
        if kept[done] {
          rename(retired[done].cString, files[done].final.cString)
        } else {
          unlink(files[done].final.cString)
        }
      }
      for later in index..<files.count where kept[later] { unlink(retired[later].cString) }
      leftovers.removeCommitRecord()
      leftovers.unmarkRemovals(removed, process: process)
      throw failure
    }
    let retiredRemoved = removed.map { path(Leftovers.retiredName($0, process: process), in: folder) }
    let keptRemoved = zip(removed, retiredRemoved).map { name, retired in
      link(path(name, in: folder).cString, retired.cString) == 0
    }
    for name in removed { unlink(path(name, in: folder).cString) }
    leftovers.removeCommitRecord()
    leftovers.unmarkRemovals(removed, process: process)
    freeSideBySide(zip(retired + retiredRemoved, kept + keptRemoved).filter(\.1).map(\.0))
  }

  /// Whether the process's working folder is `folder` or inside it, which a swap would leave behind.
  private static func holdsWorkingFolder(_ folder: RawPath) -> Bool {
    guard let working = realPath("") else { return true }
    return working == folder || working.bytes.starts(with: folder.bytes + [UInt8(ascii: "/")])
  }

  /// Gives `folder` the group `group`, unless it has it already.
  private static func setGroup(of folder: RawPath, to group: gid_t) -> Bool {
    var status = stat()
    guard stat(folder.cString, &status) == 0 else { return false }
    return status.st_gid == group || chown(folder.cString, uid_t.max, group) == 0
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
  fileprivate let name: RawPath
  fileprivate var descriptor: Int32
  fileprivate let temporary: RawPath
  fileprivate let final: RawPath
  fileprivate private(set) var failure: String?

  /// The report's name in `folder`, such as the folder swapped in for the output folder.
  fileprivate func named(in folder: RawPath) -> RawPath { path(name, in: folder) }

  fileprivate init(name: RawPath, descriptor: Int32, temporary: RawPath, final: RawPath) {
    self.name = name
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

/// Unlinks `paths` side by side: each file's blocks are freed by its own unlink, so together they take the time
/// of the largest.
private func freeSideBySide(_ paths: [RawPath]) {
  DispatchQueue.concurrentPerform(iterations: paths.count) { index in _ = unlink(paths[index].cString) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive hold on a folder for as long as the value lives, given up by the system if the process dies.
final class FolderLock {
  private let descriptor: Int32

  /// Locks the folder `folder` names, waiting while another process holds it.
  /// - Parameters:
  ///   - folder: the folder.
  ///   - whileWaiting: called once, before waiting, if another process holds the folder.
  /// - Throws: `OutputError` when the folder cannot be opened or locked.
  init(_ folder: RawPath, whileWaiting: () -> Void) throws(OutputError) {
    var waited = false
    while true {
      let descriptor = open(folder.folderCString, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw OutputError(
          path: folder.description, reason: "cannot open the output folder: \(String(cString: strerror(errno)))")
      }
      var locked = flock(descriptor, LOCK_EX | LOCK_NB) == 0
      if !locked, errno == EWOULDBLOCK {
        if !waited { whileWaiting() }
        waited = true
        repeat { locked = flock(descriptor, LOCK_EX) == 0 } while !locked && errno == EINTR
      }
      guard locked else {
        let reason = String(cString: strerror(errno))
        close(descriptor)
        throw OutputError(path: folder.description, reason: "cannot lock the output folder: \(reason)")
      }
      // The run we waited for may have swapped a new folder in under the name: the lock must be on that one.
      if names(folder, sameAs: descriptor) {
        self.descriptor = descriptor
        return
      }
      close(descriptor)
    }
  }

  deinit {
    close(descriptor)
  }
}

/// Whether `path` names the file open as `descriptor`.
private func names(_ path: RawPath, sameAs descriptor: Int32) -> Bool {
  var open = stat()
  var named = stat()
  guard fstat(descriptor, &open) == 0, stat(path.folderCString, &named) == 0 else {
    return false
  }
  return open.st_dev == named.st_dev && open.st_ino == named.st_ino
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `name` in `folder`, as the user wrote the folder (the current one when empty).
func path(_ name: String, in folder: String) -> String {
  folder.isEmpty ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
}

/// Whether `path` is a folder (following a link there), or `nil` when nothing is there.
func isFolder(atPath path: String) -> Bool? {
  var status = stat()
  guard stat(path, &status) == 0 else { return nil }
  return status.st_mode & S_IFMT == S_IFDIR
}

/// What a path names, whatever its spelling: the device and inode of the file there.
struct FileIdentity: Hashable {
  var device: UInt64
  var inode: UInt64

  /// The file at `path`, following symbolic links when `following`; `nil` when nothing is there.
  init?(path: String, following: Bool = true) {
    var status = stat()
    guard (following ? stat(path, &status) : lstat(path, &status)) == 0 else { return nil }
    device = UInt64(status.st_dev)
    inode = UInt64(status.st_ino)
  }
}

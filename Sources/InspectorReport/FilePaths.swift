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

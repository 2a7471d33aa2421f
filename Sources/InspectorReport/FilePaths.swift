#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file or folder name as the system spells it: bytes, which need not be UTF-8.
///
/// A `String` would replace each byte that is not UTF-8 with U+FFFD, and then no longer name the file; so names
/// from the command line and from folders stay bytes until the system calls that open them.
public struct RawPath: Sendable, Hashable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
  /// The name's bytes.
  public let bytes: [UInt8]
  /// The bytes with a NUL after them, which the system calls take as they are.
  let cString: [CChar]

  /// The name of these bytes (up to a NUL, which no name holds).
  public init(bytes: some Sequence<UInt8>) {
    self.bytes = Array(bytes.prefix { $0 != 0 })
    cString = self.bytes.map { CChar(bitPattern: $0) } + [0]
  }

  /// The name of `text`'s UTF-8 bytes.
  public init(_ text: String) {
    self.init(bytes: text.utf8)
  }

  public init(stringLiteral text: String) {
    self.init(text)
  }

  /// The name as messages and reports show it: UTF-8 as it is, each other byte as `\x` and two uppercase hex
  /// digits (`bad\xFF.json`). Control characters are left to the output that shows them.
  public var description: String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    var shown = ""
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = bytes.startIndex
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        shown.unicodeScalars.append(Unicode.UTF8.decode(encoded))
        offset += encoded.count
      case .error(let length):
        // Never ASCII, so always two digits.
        for byte in bytes[offset..<offset + length] { shown += "\\x" + String(byte, radix: 16, uppercase: true) }
        offset += length
      case .emptyInput:
        return shown
      }
    }
  }

  /// The name as the system calls take it when it names a folder: the empty name, which `path(_:in:)` reads as the
  /// working folder, is `.` to them.
  var folderCString: [CChar] { bytes.isEmpty ? [CChar(bitPattern: UInt8(ascii: ".")), 0] : cString }

  /// Byte order, not the locale's: the same names sort the same way everywhere.
  public static func < (a: RawPath, b: RawPath) -> Bool {
    a.bytes.lexicographicallyPrecedes(b.bytes)
  }
}

/// `name` in `folder`, as the user wrote the folder (the current one when empty).
func path(_ name: RawPath, in folder: RawPath) -> RawPath {
  let slash = UInt8(ascii: "/")
  if folder.bytes.isEmpty { return name }
  return RawPath(bytes: folder.bytes.last == slash ? folder.bytes + name.bytes : folder.bytes + [slash] + name.bytes)
}

/// `name` in `folder`, for names that came as text (the templates folder, read through Foundation).
func path(_ name: String, in folder: String) -> String {
  path(RawPath(name), in: RawPath(folder)).description
}

/// Whether `path` is a folder (following a link there), or `nil` when nothing is there.
func isFolder(atPath path: RawPath) -> Bool? {
  var status = stat()
  guard stat(path.cString, &status) == 0 else { return nil }
  return status.st_mode & S_IFMT == S_IFDIR
}

/// What a path names, whatever its spelling: the device and inode of the file there.
struct FileIdentity: Hashable {
  var device: UInt64
  var inode: UInt64

  /// The file at `path`, following symbolic links when `following`; `nil` when nothing is there.
  init?(path: RawPath, following: Bool = true) {
    var status = stat()
    guard (following ? stat(path.cString, &status) : lstat(path.cString, &status)) == 0 else { return nil }
    device = UInt64(status.st_dev)
    inode = UInt64(status.st_ino)
  }
}

/// `path` with every symbolic link and `.` or `..` resolved (the working folder's for an empty path), or `nil`
/// when nothing is there.
func realPath(_ path: RawPath) -> RawPath? {
  guard let resolved = realpath(path.folderCString, nil) else { return nil }
  defer { free(resolved) }
  return RawPath(bytes: UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))
}

/// The folder holding the resolved path `path` and the last name in it; `nil` for `/`.
func split(_ path: RawPath) -> (parent: RawPath, base: RawPath)? {
  guard let slash = path.bytes.lastIndex(of: UInt8(ascii: "/")), slash + 1 < path.bytes.count else { return nil }
  return (slash == 0 ? "/" : RawPath(bytes: path.bytes[..<slash]), RawPath(bytes: path.bytes[(slash + 1)...]))
}

/// The names in `folder` but `.` and `..`, in the order the system gives them.
func entries(of folder: RawPath) -> [RawPath] {
  guard let stream = opendir(folder.folderCString) else { return [] }
  defer { closedir(stream) }
  var names: [RawPath] = []
  while let entry = readdir(stream) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { RawPath(bytes: $0) }
    if name != "." && name != ".." { names.append(name) }
  }
  return names
}

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

/// One input file (or standard input) and the snapshots decoded from it.
public struct LoadedInput: Sendable, Hashable {
  /// The input's name as the user gave it, or as found under a folder; `<stdin>` for standard input.
  public var name: RawPath
  /// What the input held.
  public var snapshot: Snapshot
  /// The input's size in bytes.
  public var byteCount: Int
  /// The SHA-256 of its bytes, in lowercase hex, as `sha256sum` prints it.
  public var sha256: String

  /// An input named `name`, of `byteCount` bytes whose SHA-256 is `sha256`, that held `snapshot`.
  public init(name: RawPath, snapshot: Snapshot, byteCount: Int, sha256: String) {
    self.name = name
    self.snapshot = snapshot
    self.byteCount = byteCount
    self.sha256 = sha256
  }
}

/// Why inputs could not be loaded: every unreadable input, not just the first.
public struct InputErrors: Error, Sendable, Hashable, CustomStringConvertible {
  /// One message per problem, in input order.
  public var errors: [SnapshotError]

  public var description: String {
    errors.map(\.description).joined(separator: "\n")
  }
}

/// Finds the snapshot files that inputs name and decodes them, several at a time.
public enum SnapshotLoader {
  /// The name standard input goes by in messages and reports.
  public static let standardInputName: RawPath = "<stdin>"

  /// Expands files, folders (recursively: `*.json` and `*.jsonl`, hidden entries skipped, sorted by path)
  /// and `-` into the list of inputs to read, each once.
  /// - Throws: `InputErrors` for names that do not exist and folders that hold no snapshot files.
  public static func expand(_ arguments: [RawPath]) throws(InputErrors) -> [RawPath] {
    let (files, errors) = expandAll(arguments)
    guard errors.isEmpty else { throw InputErrors(errors: errors) }
    return files
  }

  /// Like `expand(_:)`, but returns the problems beside the files found, so that they can be reported together
  /// with the problems in those files.
  static func expandAll(_ arguments: [RawPath]) -> (files: [RawPath], errors: [SnapshotError]) {
    var files: [RawPath] = []
    var errors: [SnapshotError] = []
    for argument in arguments {
      if argument == "-" {
        files.append(argument)
        continue
      }
      guard let isFolder = isFolder(atPath: argument) else {
        errors.append(SnapshotError("no such file or folder", at: SourceLocation(file: argument.description)))
        continue
      }
      guard isFolder else {
        files.append(argument)
        continue
      }
      let found = snapshotFiles(under: argument)
      if found.isEmpty {
        errors.append(
          SnapshotError("the folder holds no .json or .jsonl files", at: SourceLocation(file: argument.description)))
      }
      files += found
    }
    var seen = Set<RawPath>()
    return (files.filter { seen.insert($0).inserted }, errors)
  }

  /// The snapshot files under `folder`, by POSIX calls: Foundation's enumerator with resource values took
  /// 40 ms for a thousand files, a tenth of a whole report.
  ///
  /// Symbolic links inside the folder are not followed (so no link can make a cycle); the folder named
  /// may itself be one.
  private static func snapshotFiles(under folder: RawPath) -> [RawPath] {
    var found: [RawPath] = []
    collectSnapshotFiles(in: folder, into: &found)
    return found.sorted()
  }

  /// Adds the snapshot files in `folder` and its subfolders to `found`.
  private static func collectSnapshotFiles(in folder: RawPath, into found: inout [RawPath]) {
    guard let stream = opendir(folder.cString) else { return }
    defer { closedir(stream) }
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { RawPath(bytes: $0) }
      guard name.bytes.first != UInt8(ascii: ".") else { continue }
      let path = path(name, in: folder)
      switch EntryKind(entry.pointee.d_type, path: path) {
      case .folder: collectSnapshotFiles(in: path, into: &found)
      case .file where isSnapshotFileName(name): found.append(path)
      case .file, .other: continue
      }
    }
  }

  /// Whether a file found in a folder is read: its name ends in `.json` or `.jsonl`, in any case (`A.JSON` is a
  /// snapshot saved on a system that upper-cases names).
  static func isSnapshotFileName(_ name: RawPath) -> Bool {
    // ASCII letters only: the end of the name, lower-cased byte by byte, so no locale comes into it.
    let end = name.bytes.suffix(6).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    return end.suffix(5).elementsEqual(".json".utf8) || end.elementsEqual(".jsonl".utf8)
  }

  /// Reads and decodes every input, on all cores, returning them in the order given.
  /// - Parameters:
  ///   - names: inputs from `expand(_:)`.
  ///   - standardInput: reads standard input, for the input named `-`.
  /// - Returns: one entry per input, in the order of `names`.
  /// - Throws: `InputErrors` listing every input that could not be read or decoded.
  public static func load(
    _ names: [RawPath], standardInput: @Sendable () -> [UInt8] = { readStandardInput() }
  ) throws(InputErrors) -> [LoadedInput] {
    let (loaded, problems) = loadEach(names) { name in
      do throws(SnapshotError) {
        return (try load(name, standardInput: standardInput), [])
      } catch {
        return (nil, [error])
      }
    }
    guard problems.isEmpty else { throw InputErrors(errors: problems) }
    return loaded
  }

  /// Reads and decodes every input, on all cores, keeping what can be read: an input that cannot be read, a text
  /// in one that fails (a line of JSON Lines) and a run that fails are each a problem, and the rest still loads.
  /// - Parameters:
  ///   - names: inputs from `expand(_:)`.
  ///   - standardInput: reads standard input, for the input named `-`.
  /// - Returns: the inputs that could be read, in the order of `names`, and every problem, each as `load(_:)`
  ///   would throw it, in the same order.
  public static func loadKeepingGoing(
    _ names: [RawPath], standardInput: @Sendable () -> [UInt8] = { readStandardInput() }
  ) -> (inputs: [LoadedInput], problems: [SnapshotError]) {
    loadEach(names) { name in
      do throws(SnapshotError) {
        let bytes = try contents(of: name, standardInput: standardInput)
        return decodeKeepingGoing(bytes, name: displayName(of: name))
      } catch {
        return (nil, [error])
      }
    }
  }

  /// Loads each input with `loadOne`, on all cores.
  /// - Returns: the inputs loaded and the problems, both in the order of `names`.
  private static func loadEach(
    _ names: [RawPath], _ loadOne: @Sendable (RawPath) -> (input: LoadedInput?, problems: [SnapshotError])
  ) -> (inputs: [LoadedInput], problems: [SnapshotError]) {
    let results = ResultSlots<(input: LoadedInput?, problems: [SnapshotError])>(count: names.count)
    DispatchQueue.concurrentPerform(iterations: names.count) { index in results[index] = loadOne(names[index]) }
    var loaded: [LoadedInput] = []
    var problems: [SnapshotError] = []
    for result in results.values {
      guard let result else { continue }
      if let input = result.input { loaded.append(input) }
      problems += result.problems
    }
    return (loaded, problems)
  }

  /// Reads and decodes one input.
  /// - Throws: `SnapshotError` naming the input and the place in it.
  public static func load(
    _ name: RawPath, standardInput: () -> [UInt8] = { readStandardInput() }
  ) throws(SnapshotError) -> LoadedInput {
    try decode(try contents(of: name, standardInput: standardInput), name: displayName(of: name))
  }

  /// The name of an input in messages and reports.
  private static func displayName(of name: RawPath) -> RawPath {
    name == "-" ? standardInputName : name
  }

  /// The bytes of one input.
  /// - Throws: `SnapshotError` when the file cannot be read or is too large.
  private static func contents(of name: RawPath, standardInput: () -> [UInt8]) throws(SnapshotError) -> [UInt8] {
    let bytes: [UInt8]
    if name == "-" {
      bytes = standardInput()
    } else {
      switch readFile(name) {
      case .success(let contents): bytes = contents
      case .failure(let reason): throw SnapshotError(reason.description, at: SourceLocation(file: name.description))
      }
    }
    guard bytes.count <= maximumSize else {
      throw SnapshotError(
        FileReadError.tooLarge.description, at: SourceLocation(file: displayName(of: name).description))
    }
    return bytes
  }

  /// Decodes one input's bytes.
  /// - Throws: `SnapshotError` at the first problem.
  static func decode(_ bytes: [UInt8], name: RawPath) throws(SnapshotError) -> LoadedInput {
    try decode(bytes, name: name, splitAbove: splitSize)
  }

  /// Decodes one input's bytes, keeping what can be read.
  ///
  /// Package access: the fuzz target decodes every input in parts too, as `decode(_:name:splitAbove:)`.
  /// - Returns: what was read, unless the input holds no text at all, and every problem.
  package static func decodeKeepingGoing(
    _ bytes: [UInt8], name: RawPath, splitAbove: Int = splitSize
  ) -> (input: LoadedInput?, problems: [SnapshotError]) {
    do {
      let (input, problems) = try decodeTexts(bytes, name: name, splitAbove: splitAbove, keepingGoing: true)
      guard !problems.isEmpty, OwnReport.recognizes(bytes) else { return (input, problems) }
      return (nil, [ownReportError(name)])
    } catch {
      return (nil, [error])
    }
  }

  /// The size from which an input of several texts is decoded in parts.
  private static let splitSize = 4 << 20

  /// Decodes one input, in parts on all cores when it is at least `splitAbove` bytes of several texts.
  ///
  /// Package access: the fuzz target decodes every input in parts too, which only inputs of megabytes are.
  package static func decode(_ bytes: [UInt8], name: RawPath, splitAbove: Int) throws(SnapshotError) -> LoadedInput {
    do {
      return try decodeTexts(bytes, name: name, splitAbove: splitAbove, keepingGoing: false).input
    } catch {
      // Only a failed input is looked at again, so this costs a good one nothing.
      guard OwnReport.recognizes(bytes) else { throw error }
      throw ownReportError(name)
    }
  }

  /// What reading our own report.json as a snapshot is: it fails at its first member, which is said plainly, since
  /// a report left in an input folder is the usual way to get there.
  private static func ownReportError(_ name: RawPath) -> SnapshotError {
    SnapshotError(
      "this is an inspector-report report.json; it is not a snapshot (keep reports out of input folders)",
      at: SourceLocation(file: name.description, line: 1, column: 1))
  }

  /// Decodes one input, and keeping going, collects its problems.
  private static func decodeTexts(
    _ bytes: [UInt8], name: RawPath, splitAbove: Int, keepingGoing: Bool
  ) throws(SnapshotError) -> (input: LoadedInput, problems: [SnapshotError]) {
    let parts = bytes.count >= splitAbove ? InputSplitter.parts(of: bytes, count: 16) : []
    let file = name.description
    guard parts.count > 1 else {
      // Hashed first, while the bytes just read are still in the cache.
      let digest = sha256(of: bytes)
      var decoder = SnapshotDecoder(bytes: bytes, file: file, keepingGoing: keepingGoing)
      let snapshot = try decoder.decode()
      return (LoadedInput(name: name, snapshot: snapshot, byteCount: bytes.count, sha256: digest), decoder.problems)
    }
    // One large file of many texts (a polling job's JSON Lines) is decoded in parts on all cores, and hashed, which
    // cannot be done in parts, beside them as one more task.
    let results = ResultSlots<Result<(Snapshot, [SnapshotError]), SnapshotError>>(count: parts.count)
    let digest = ResultSlots<String>(count: 1)
    DispatchQueue.concurrentPerform(iterations: parts.count + 1) { index in
      guard index < parts.count else {
        digest[0] = sha256(of: bytes)
        return
      }
      let part = parts[index]
      var decoder = SnapshotDecoder(
        bytes: Array(bytes[part.range]), file: file, linesBefore: part.linesBefore, keepingGoing: keepingGoing)
      results[index] = Result { () throws(SnapshotError) in
        let snapshot = try decoder.decode()
        return (snapshot, decoder.problems)
      }
    }
    var snapshot = Snapshot()
    var problems: [SnapshotError] = []
    for result in results.values {
      guard let result else { continue }
      let (piece, pieceProblems) = try result.get()
      snapshot.runs += piece.runs
      snapshot.failedItems += piece.failedItems
      snapshot.newestTimestamp = [snapshot.newestTimestamp, piece.newestTimestamp].compactMap { $0 }.max()
      problems += pieceProblems
    }
    let input = LoadedInput(
      name: name, snapshot: snapshot, byteCount: bytes.count, sha256: digest[0] ?? sha256(of: bytes))
    return (input, problems)
  }

  /// The most bytes one input may hold: a bound on the memory an input takes, far above any real one (the
  /// largest known is a polling job's JSON Lines file, 73.5 MB for 10,000 runs), and the end of an endless one.
  static let maximumSize = 4 << 30

  /// The whole file, read straight into the array the decoder takes (no intermediate `Data` to copy).
  static func readFile(_ path: RawPath) -> Result<[UInt8], FileReadError> {
    let descriptor = open(path.cString, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(FileReadError(errno: errno)) }
    defer { close(descriptor) }
    return readAll(descriptor)
  }

  /// Everything left to read from `descriptor`, but no more than one byte past `maximumSize`, and only the
  /// first piece once it cannot begin a snapshot: the decoder then says what is wrong with it, and a stream such as
  /// `/dev/zero` is not read on and on.
  private static func readAll(_ descriptor: Int32) -> Result<[UInt8], FileReadError> {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return .failure(FileReadError(errno: errno)) }
    if Int(status.st_size) > maximumSize { return .failure(.tooLarge) }
    var startChecked = false
    // One read of the size fstat gives, one more to see the end; pipes and growing files take more rounds.
    let pieceSize = Swift.max(Int(status.st_size), 1 << 16) + 1
    var contents: [UInt8] = []
    while true {
      let piece: [UInt8]
      switch readPiece(descriptor, size: pieceSize) {
      case .success(let bytes): piece = bytes
      case .failure(let error): return .failure(error)
      }
      if piece.isEmpty { return .success(contents) }
      if contents.isEmpty { contents = piece } else { contents += piece }
      if !startChecked, let fits = mayBeginSnapshot(contents) {
        if !fits { return .success(contents) }
        startChecked = true
      }
      if contents.count > maximumSize { return .success(contents) }
    }
  }

  /// One `read` of at most `size` bytes from `descriptor`, made again when a signal interrupts it; empty at the end.
  static func readPiece(_ descriptor: Int32, size: Int) -> Result<[UInt8], FileReadError> {
    var failure: Int32 = 0
    let piece = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      repeat {
        let result = read(descriptor, buffer.baseAddress, buffer.count)
        (count, failure) = result >= 0 ? (result, 0) : (0, errno)
      } while failure == EINTR
    }
    return failure == 0 ? .success(piece) : .failure(FileReadError(errno: failure))
  }

  /// Whether `bytes` may be the start of a snapshot: past an optional byte order mark and whitespace, a `{` or
  /// `[`; `nil` while they are too few to tell.
  static func mayBeginSnapshot(_ bytes: [UInt8]) -> Bool? {
    let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    var index = 0
    if bytes.starts(with: byteOrderMark) {
      index = byteOrderMark.count
    } else if bytes.count < byteOrderMark.count && byteOrderMark.starts(with: bytes) {
      return nil
    }
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      case UInt8(ascii: "{"), UInt8(ascii: "["): return true
      default: return false
      }
    }
    return nil
  }

  /// All of standard input; nothing when it cannot be read (which then reads as an empty input).
  public static func readStandardInput() -> [UInt8] {
    switch readAll(STDIN_FILENO) {
    case .success(let bytes): bytes
    case .failure: []
    }
  }
}

/// What a folder entry is: the kind `readdir` gave, or, on file systems that give none, the kind of the entry
/// itself (not of what a link points to).
private enum EntryKind {
  case folder, file, other

  init(_ type: UInt8, path: RawPath) {
    switch Int(type) {
    case DT_DIR: self = .folder
    case DT_REG: self = .file
    case DT_UNKNOWN:
      var status = stat()
      guard lstat(path.cString, &status) == 0 else {
        self = .other
        return
      }
      switch status.st_mode & S_IFMT {
      case S_IFDIR: self = .folder
      case S_IFREG: self = .file
      default: self = .other
      }
    default: self = .other
    }
  }
}

/// Why a file could not be read: in the system's words, or too large.
struct FileReadError: Error, CustomStringConvertible {
  var description: String

  init(errno code: Int32) {
    description = "cannot read the file: " + String(cString: strerror(code))
  }

  init(description: String) {
    self.description = description
  }

  /// More than `SnapshotLoader.maximumSize`.
  static let tooLarge = FileReadError(
    description: "larger than the \(SnapshotLoader.maximumSize >> 30) GiB an input may be")
}

/// Fixed slots that concurrent iterations fill, each its own index, read once all are done.
final class ResultSlots<Value>: @unchecked Sendable {
  // Safe without a lock: `concurrentPerform` gives each index to one iteration and returns after all end.
  // A raw buffer, because an array in a class would be checked for exclusive access as a whole.
  private let storage: UnsafeMutableBufferPointer<Value?>

  init(count: Int) {
    storage = .allocate(capacity: count)
    storage.initialize(repeating: nil)
  }

  deinit {
    storage.deinitialize()
    storage.deallocate()
  }

  subscript(index: Int) -> Value? {
    get { storage[index] }
    set { storage[index] = newValue }
  }

  var values: [Value?] { Array(storage) }
}

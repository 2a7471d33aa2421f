#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where each chosen output is written, by folder: the output folder, and the folders of outputs given paths of
/// their own.
///
/// Each folder is written as one set (`ReportStaging`). The output folder's set is the five reports' names: those
/// of the outputs it is not to hold are removed with the commit, so that it never shows reports of two runs. A
/// folder of per-output paths only ever gets its own files replaced.
struct ReportDestinations {
  /// The files to write into one folder.
  struct Folder {
    /// The folder as the user wrote it.
    var path: RawPath
    /// The folder's real path, or what it will be once created: what tells two spellings of one folder apart.
    var key: RawPath
    var isOutputFolder: Bool
    /// The outputs it gets, by their index in the chosen formats, and their names in it.
    var outputs: [(index: Int, name: RawPath)] = []

    /// The tool's report names that the output folder may hold and this run does not write there.
    var removed: [RawPath] {
      guard isOutputFolder else { return [] }
      let written = Set(outputs.map(\.name))
      return OutputFormat.allCases.map { RawPath($0.fileName) }.filter { !written.contains($0) }
    }
  }

  /// The folders, in the order they are locked: by real path, the same in every process, so two runs that write
  /// into the same folders never each wait for the other.
  let folders: [Folder]
  /// Every path this run writes or removes a report at.
  let targets: [RawPath]
  /// The path each chosen format is written to, by its index.
  let paths: [RawPath]

  /// - Throws: `OutputError` when an output has no folder and no path, a path names no file, or two outputs
  ///   would be written to one file.
  init(formats: [OutputFormat], outputFolder: RawPath?, paths ownPaths: [OutputFormat: RawPath]) throws(OutputError) {
    var folders: [RawPath: Folder] = [:]
    func add(_ index: Int, name: RawPath, in folder: RawPath) {
      let key = Self.key(of: folder)
      folders[key, default: Folder(path: folder, key: key, isOutputFolder: false)].outputs.append((index, name))
    }
    if let outputFolder, formats.contains(where: { ownPaths[$0] == nil }) {
      let key = Self.key(of: outputFolder)
      folders[key] = Folder(path: outputFolder, key: key, isOutputFolder: true)
    }
    var paths: [RawPath] = []
    for (index, format) in formats.enumerated() {
      if let own = ownPaths[format] {
        guard let (folder, name) = Self.folderAndName(of: own) else {
          throw OutputError(path: own.description, reason: "names a folder, not a file to write \(format) into")
        }
        add(index, name: name, in: folder)
        paths.append(own)
      } else if let outputFolder {
        add(index, name: RawPath(format.fileName), in: outputFolder)
        paths.append(path(RawPath(format.fileName), in: outputFolder))
      } else {
        throw OutputError(path: format.fileName, reason: "neither an output folder nor a path to write it to")
      }
    }
    for folder in folders.values {
      var seen: [RawPath: Int] = [:]
      for (index, name) in folder.outputs {
        if let earlier = seen[name] {
          throw OutputError(
            path: paths[index].description,
            reason: "both \(formats[earlier]) and \(formats[index]) would be written to this file")
        }
        seen[name] = index
      }
    }
    self.folders = folders.values.sorted { $0.key < $1.key }
    self.paths = paths
    targets =
      paths + self.folders.flatMap { folder in folder.removed.map { path($0, in: folder.path) } }
  }

  /// The real path of `folder`, or of the folder `mkdir -p` would create for it: that of the nearest folder above
  /// it that exists, then the names below it with `.` and `..` resolved (they are folders yet to be created, so
  /// none is a symbolic link).
  private static func key(of folder: RawPath) -> RawPath {
    if let real = realPath(folder) { return real }
    var bytes = folder.bytes
    while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else {
      return below(realPath("") ?? "", RawPath(bytes: bytes))
    }
    let parent = slash == 0 ? "/" : RawPath(bytes: bytes[..<slash])
    return below(key(of: parent), RawPath(bytes: bytes[(slash + 1)...]))
  }

  /// The real path `name` gives inside the real path `folder`.
  private static func below(_ folder: RawPath, _ name: RawPath) -> RawPath {
    if name == "." || name.bytes.isEmpty { return folder }
    if name == ".." { return split(folder)?.parent ?? folder }
    return folder == "/" ? RawPath(bytes: [UInt8(ascii: "/")] + name.bytes) : path(name, in: folder)
  }

  /// The folder a file path is in and its name there, or `nil` when its last part is no file name (`d/`, `..`).
  private static func folderAndName(of file: RawPath) -> (folder: RawPath, name: RawPath)? {
    let bytes = file.bytes
    let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
    let name = RawPath(bytes: slash.map { bytes[($0 + 1)...] } ?? bytes[...])
    guard !name.bytes.isEmpty, name != ".", name != ".." else { return nil }
    guard let slash else { return ("", name) }
    return (slash == 0 ? "/" : RawPath(bytes: bytes[..<slash]), name)
  }

  /// Locks every folder, in order, and stages its files.
  /// - Returns: the staged file of each chosen format, by its index, and the stagings to commit.
  func stage(whileWaiting: (RawPath) -> Void) throws(OutputError) -> StagedReports {
    var stagings: [ReportStaging] = []
    var files: [(index: Int, file: StagedFile)] = []
    for folder in folders {
      let staging = try ReportStaging(
        folder: folder.path, names: folder.outputs.map(\.name), removing: folder.removed,
        whileWaiting: { whileWaiting(folder.path) })
      files += folder.outputs.enumerated().map { position, output in (output.index, staging[position]) }
      stagings.append(staging)
    }
    return StagedReports(stagings: stagings, files: files.sorted { $0.index < $1.index }.map(\.file))
  }
}

/// The chosen outputs' staged files, in one folder or several, committed folder by folder.
final class StagedReports: Sendable {
  private let stagings: [ReportStaging]
  private let files: [StagedFile]

  fileprivate init(stagings: [ReportStaging], files: [StagedFile]) {
    self.stagings = stagings
    self.files = files
  }

  /// The staged file of the chosen format at `index`.
  subscript(index: Int) -> StagedFile { files[index] }

  /// Commits each folder's set in turn.
  func commit() throws(OutputError) {
    for staging in stagings { try staging.commit() }
  }
}

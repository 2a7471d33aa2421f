import Foundation

/// Writes a set of files into a folder so that each is either the old file or the complete new one.
///
/// Each file is written beside its target under a temporary name and renamed over it, which is atomic
/// on one file system: a reader never sees half a report, and a failure leaves the old one in place.
public enum ReportWriter {
  /// Writes `files` (name → bytes) into `folder`, creating it when missing.
  /// - Throws: `OutputError` naming the file that could not be written.
  public static func write(_ files: [(name: String, bytes: [UInt8])], to folder: String) throws(OutputError) {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw OutputError(path: folder, reason: "cannot create the output folder")
    }
    var staged: [(temporary: String, final: String)] = []
    defer { for entry in staged { unlink(entry.temporary) } }
    for file in files {
      let final = (folder as NSString).appendingPathComponent(file.name)
      let temporary = (folder as NSString).appendingPathComponent(".\(file.name).\(getpid()).tmp")
      guard FileManager.default.createFile(atPath: temporary, contents: Data(file.bytes)) else {
        throw OutputError(path: final, reason: "cannot write the file")
      }
      staged.append((temporary, final))
    }
    for entry in staged where rename(entry.temporary, entry.final) != 0 {
      throw OutputError(path: entry.final, reason: String(cString: strerror(errno)))
    }
    staged.removeAll()
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

import Foundation

/// Folders the tests read, found from this file's place in the repository.
enum TestPaths {
  /// The repository root (the folder holding Package.swift).
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The golden files.
  static let snapshots = root.appending(path: "Tests/InspectorReportTests/Snapshots")

  /// The folder the test bundle and the built products are in.
  static let products: URL = {
    #if os(macOS)
      return Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
        ?? Bundle.main.bundleURL
    #else
      return Bundle.main.bundleURL
    #endif
  }()

  /// The built command.
  static let command = products.appending(path: "inspector-report")

  /// A new empty folder, removed by the caller.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appending(path: "inspector-report-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The bytes of `name` under the repository root.
  static func bytes(_ relativePath: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: root.appending(path: relativePath)))
  }
}

extension TestPaths {
  /// The bytes of the file at `url`.
  static func bytesOf(_ url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
  }
}

extension TestPaths {
  /// `name`'s bytes, which need not be UTF-8, under `folder`: a path Foundation's Strings and URLs cannot spell.
  static func rawPath(_ name: [UInt8], in folder: URL) -> [UInt8] {
    Array(folder.path.utf8) + Array("/".utf8) + name
  }

  /// Writes `contents` to a new file at `path`, whose bytes need not be UTF-8.
  static func writeFile(_ contents: [UInt8], toRawPath path: [UInt8]) throws {
    let descriptor = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(descriptor) }
    guard write(descriptor, contents, contents.count) == contents.count else { throw CocoaError(.fileWriteUnknown) }
  }
}

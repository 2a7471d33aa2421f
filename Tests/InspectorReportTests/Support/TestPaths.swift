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

import Foundation

/// The team's shared folder, `../shared` beside the repository: third-party files the tests read but the
/// repository may not carry (the official Mustache spec vectors, the public JUnit schemas, the JUnit contract).
///
/// The team and CI have it; a user's clone does not, and the tests that need it are then skipped, saying why. When
/// the folder is there, a file missing from it or broken fails the tests that read it: only the folder's absence
/// skips them.
public enum Shared {
  /// The shared folder, whether or not it is there: beside the folder holding Package.swift, which is two folders
  /// above this file.
  public static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared", isDirectory: true)

  /// Whether the shared folder is beside the repository.
  public static let isPresent: Bool = {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) && isFolder.boolValue
  }()

  /// The file at `relativePath` in the shared folder.
  public static func file(_ relativePath: String) -> URL {
    folder.appendingPathComponent(relativePath)
  }
}

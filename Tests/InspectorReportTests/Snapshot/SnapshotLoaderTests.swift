import Foundation
import Testing

@testable import InspectorReport

@Suite struct SnapshotLoaderTests {
  /// A folder holding `files` (relative paths, folders made as needed) and the links `links` (name, target).
  private func makeFolder(files: [String], links: [(String, String)] = []) throws -> URL {
    let folder = try TestPaths.temporaryFolder()
    for file in files {
      let url = folder.appending(path: file)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("{}".utf8).write(to: url)
    }
    for (name, target) in links {
      try FileManager.default.createSymbolicLink(
        atPath: folder.appending(path: name).path, withDestinationPath: folder.appending(path: target).path)
    }
    return folder
  }

  @Test func foldersAreReadRecursivelyInByteOrderSkippingHiddenEntriesAndOtherFiles() throws {
    let folder = try makeFolder(files: [
      "b.json", "a/z.jsonl", "a/y.json", "B.json", "a-b.json", ".hidden.json", ".git/x.json", "notes.txt",
      "upper.JSON", "mixed.JsonL", "c.json/inside.json", "deep/er/est.json", "json", "x.json.txt", "x.jsonld",
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let found = try SnapshotLoader.expand([RawPath(folder.path)])
    #expect(
      found.map { String($0.description.dropFirst(folder.path.count + 1)) } == [
        "B.json", "a-b.json", "a/y.json", "a/z.jsonl", "b.json", "c.json/inside.json", "deep/er/est.json",
        "mixed.JsonL", "upper.JSON",
      ])
  }

  @Test func namesThatAreNotUTF8AreFoundInByteOrderAndShownEscaped() throws {
    let folder = try makeFolder(files: ["ab.json"])
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["a\u{FF}.json", "A\u{FF}.JSON", "a\u{FF}.txt"] {
      // Latin-1, so that U+00FF is the byte 0xFF.
      try TestPaths.writeFile(
        Array("{}".utf8), toRawPath: TestPaths.rawPath(name.unicodeScalars.map { UInt8($0.value) }, in: folder))
    }
    let found = try SnapshotLoader.expand([RawPath(folder.path)])
    #expect(
      found.map { String($0.description.dropFirst(folder.path.count + 1)) } == [
        "A\\xFF.JSON", "ab.json", "a\\xFF.json",
      ])
    let broken = TestPaths.rawPath([0x62, 0xFF], in: folder)
    try TestPaths.writeFile(Array("[}".utf8), toRawPath: broken)
    let error = #expect(throws: SnapshotError.self) { try SnapshotLoader.load(RawPath(bytes: broken)) }
    #expect(error?.description.hasPrefix("\(folder.path)/b\\xFF:1:2: error: ") == true, "\(String(describing: error))")
  }

  @Test func aTrailingSlashGivesTheSamePaths() throws {
    let folder = try makeFolder(files: ["a/b.json"])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try SnapshotLoader.expand([RawPath(folder.path + "/")]) == [RawPath(folder.path + "/a/b.json")])
  }

  @Test func linksInsideAFolderAreNotFollowedButALinkedFolderNamedIsRead() throws {
    let folder = try makeFolder(
      files: ["real/run.json"], links: [("file-link.json", "real/run.json"), ("folder-link", "real")])
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try SnapshotLoader.expand([RawPath(folder.path)]) == [RawPath(folder.path + "/real/run.json")])
    let linked = folder.appending(path: "folder-link").path
    #expect(try SnapshotLoader.expand([RawPath(linked)]) == [RawPath(linked + "/run.json")])
  }

  @Test func missingInputsAndEmptyFoldersAreAllReported() throws {
    let folder = try makeFolder(files: ["notes.txt"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appending(path: "missing.json").path
    let (files, errors) = SnapshotLoader.expandAll([RawPath(missing), RawPath(folder.path), "-", "-"])
    #expect(files == ["-"])
    #expect(
      errors.map(\.description) == [
        "\(missing): error: no such file or folder",
        "\(folder.path): error: the folder holds no .json or .jsonl files",
      ])
  }
}

import Foundation
import PackagePlugin

/// Compiles the top-level `templates/` folder, templates and schemas, into the library, so that the binary works
/// when copied alone.
@main
struct EmbedTemplates: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let folder = context.package.directoryURL.appending(path: "templates")
    let templates = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .filter { ["mustache", "xsd"].contains($0.pathExtension) }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedTemplates.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(templates.count) templates and schemas",
        executable: try context.tool(named: "embed-templates").url,
        arguments: [output.path] + templates.map(\.path),
        inputFiles: templates,
        outputFiles: [output]
      )
    ]
  }
}

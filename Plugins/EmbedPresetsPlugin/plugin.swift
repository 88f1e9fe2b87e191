import Foundation
import PackagePlugin

/// Compiles the YAML presets of the top-level `policies/` folder into the MigPolicy module, so
/// the binary copied alone onto a git server still knows `recommended` and `strict`.
@main
struct EmbedPresetsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "policies")
        let presets = try FileManager.default
            .contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPresets.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(presets.count) policy presets",
                executable: try context.tool(named: "EmbedPresets").url,
                arguments: [output.path] + presets.map(\.path),
                inputFiles: presets,
                outputFiles: [output]
            ),
        ]
    }
}

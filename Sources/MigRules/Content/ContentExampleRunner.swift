import MigCore
import MigFormats

extension ContentExample {
    /// The file as the content rules read it. With `downFile` said, the down part comes from
    /// the format's discovery over both files, as `check` would pass it.
    public var migrationText: MigrationText {
        var down: DownPart?
        var downBytes: [UInt8]?
        if let downFile {
            var files = [path: contents]
            if case .present(let downContents) = downFile {
                files[downPath.description] = downContents
                downBytes = Array(downContents.utf8)
            }
            let file = RepoPath(path)
            let tree = MemoryTree(files: files, objects: MemoryObjects())
            let discovery = try? MigrationFormats.format(for: format).discover(in: tree, folder: file.parent)
            down = discovery?.migrations.first { $0.path == file }?.down
        }
        return MigrationReader.read(path: RepoPath(path), bytes: Array(contents.utf8), format: format, dialect: dialect,
                                    newTables: Set(newTables), down: down, downFile: downBytes)
    }

    /// What `rule` finds in the example, so `swift test` checks every rule's documentation
    /// against its behaviour.
    public func hits(of rule: any ContentRule) -> [RuleHit] {
        rule.check(migrationText)
    }
}

import MigCore
import MigFormats

extension ContentExample {
    /// The file as the content rules read it. With `downFile` said, the down part comes from
    /// the format's discovery over both files, as `check` would pass it.
    public var migrationText: MigrationText {
        var down: DownPart?
        var downBytes: [UInt8]?
        if let downFile {
            if case .present(let downContents) = downFile { downBytes = Array(downContents.utf8) }
            down = MigrationReader.down(of: RepoPath(path), contents: Array(contents.utf8), format: format, downFile: downBytes)
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

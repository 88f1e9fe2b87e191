import MigCore

extension ContentExample {
    /// The file as the content rules read it.
    public var migrationText: MigrationText {
        MigrationReader.read(path: RepoPath(path), bytes: Array(contents.utf8), format: format, dialect: dialect,
                             newTables: Set(newTables))
    }

    /// What `rule` finds in the example, so `swift test` checks every rule's documentation
    /// against its behaviour.
    public func hits(of rule: any ContentRule) -> [RuleHit] {
        rule.check(migrationText)
    }
}

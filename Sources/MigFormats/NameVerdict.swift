import MigCore

/// What a file's name alone makes it in a migration set, by its format's rules.
public enum NameVerdict: Sendable, Hashable {
    /// A file of the migration with this version (as written) and descriptive name. `isDown`
    /// marks a rollback kept in its own file: golang-migrate and sql `.down.sql`, Flyway's `U`.
    case migration(version: String, name: String, isDown: Bool)
    /// A file the tool runs again whenever it changes (Flyway `R__`): editing it is the design.
    case repeatable(name: String)
    /// No concern of the tool: clutter, companions such as `schema.rb`, its configuration,
    /// backups of files that are not migrations.
    case ignored
    /// Looks meant as a migration, but the tool would skip or reject it; the reason says which
    /// pattern it misses, for the `migration-naming` rule.
    case misnamed(reason: String)
}

extension NameVerdict {
    /// What every format says before reading its own pattern: clutter is no concern; a backup
    /// copy (`x.sql.orig`) of a file with the migration extension is misnamed, as the tool
    /// skips it, and a backup of anything else is no concern. Nil for every other name.
    static func setAside(_ relativePath: RepoPath, migrationExtension: String) -> NameVerdict? {
        if FileName.isClutter(relativePath) { return .ignored }
        let name = relativePath.fileName.bytes
        guard let suffix = FileName.backupSuffix(of: name) else { return nil }
        guard FileName.hasSuffix(name.dropLast(suffix.utf8.count), migrationExtension) else { return .ignored }
        return .misnamed(reason: "is a `\(suffix)` copy; the tool skips it, so delete it or restore the name")
    }
}

extension MigrationFileRole {
    init(_ verdict: NameVerdict) {
        switch verdict {
        case .migration(let version, _, _): self = .migration(version: version)
        case .repeatable: self = .repeatable
        case .ignored, .misnamed: self = .other
        }
    }
}

extension NameVerdict {
    /// A file its tool runs: a migration (either direction) or a repeatable one.
    public var isMigrationFile: Bool {
        switch self {
        case .migration, .repeatable: true
        case .ignored, .misnamed: false
        }
    }
}

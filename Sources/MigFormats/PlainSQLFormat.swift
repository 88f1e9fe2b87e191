public import MigCore

/// Plain SQL migrations for tools without a format of their own: `<version>_<name>.sql`, or
/// `.up.sql` with `.down.sql`, anywhere below the folder; `schema/` and `data/` subfolders
/// separate schema from data migrations. A rollback may also be a section of the file after
/// `-- down` (or goose's `-- +goose Down`, sql-migrate's `-- +migrate Down`).
public struct PlainSQLFormat: MigrationFormat {
    public let kind = MigrationFormatKind.sql

    public init() {}

    /// Dumps and seeds kept beside migrations.
    private static let companions: Set<String> = ["schema.sql", "structure.sql", "seed.sql", "seeds.sql"]
    private static let separators: Set<UInt8> = [UInt8(ascii: "_"), UInt8(ascii: "-")]

    private struct DownKey: Hashable {
        let directory: RepoPath
        let version: VersionKey
    }

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder, sortingBy: self)
        var downs: [DownKey: TreeFile] = [:]
        for down in scan.named where down.isDown {
            let key = DownKey(directory: down.file.path.parent, version: VersionKey(parsing: down.version))
            if downs[key] != nil {
                scan.problem(down.file, "is a second down migration for version \(down.version)")
            } else {
                downs[key] = down.file
            }
        }
        var migrations: [Migration] = []
        for up in scan.named where !up.isDown {
            guard let text = try scan.text(of: up.file, in: tree, strict: false) else { continue }
            let key = VersionKey(parsing: up.version)
            let sections = SQLSections(text: text, scan: SQLScan(text), recognize: PlainSQLFormat.marker)
            let downFile = downs.removeValue(forKey: DownKey(directory: up.file.path.parent, version: key))
            let down = try downFile.map { try scan.separateDown($0, in: tree) } ?? sections.downPart
            migrations.append(Migration(file: up.file, format: .sql, version: up.version, order: key, name: up.name,
                                        kind: PlainSQLFormat.folderKind(scan.relativePath(up.file)) ?? sections.kind,
                                        down: down))
        }
        for down in downs.values {
            scan.problem(down, "has no up migration with the same version beside it")
        }
        return scan.finished(migrations)
    }

    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".sql") { return verdict }
        let name = relativePath.fileName.bytes
        guard PlainSQLFormat.isMigrationLike(name) else { return .ignored }
        guard let (version, title, isDown) = PlainSQLFormat.parse(name) else {
            return .misnamed(reason: "has no version: name it `<timestamp>_<name>.sql`")
        }
        return .migration(version: version, name: title, isDown: isDown)
    }

    /// A `.sql` file other than a dump or seed.
    private static func isMigrationLike(_ name: [UInt8]) -> Bool {
        FileName.hasSuffix(name, ".sql") && !(String(validating: name, as: UTF8.self).map(companions.contains) ?? false)
    }

    /// `<version>_<name>.sql`, `.up.sql` or `.down.sql` (`-` separates too).
    private static func parse(_ name: [UInt8]) -> (version: String, name: String, isDown: Bool)? {
        if let (version, title) = FileName.versioned(name, separators: separators, suffix: ".down.sql") {
            return (version, title, true)
        }
        let up = FileName.versioned(name, separators: separators, suffix: ".up.sql")
            ?? FileName.versioned(name, separators: separators, suffix: ".sql")
        return up.map { ($0.version, $0.name, false) }
    }

    /// The layout decides when it says: a `schema` or `data` folder on the way to the file.
    private static func folderKind(_ relativePath: RepoPath) -> MigrationKind? {
        for component in relativePath.parent.components.reversed() {
            if component.elementsEqual("schema".utf8) { return .schema }
            if component.elementsEqual("data".utf8) { return .data }
        }
        return nil
    }

    /// `-- up`/`-- down`, `-- +goose Up`, `-- +migrate Down`, `-- migrate:down`, any case.
    static func marker(_ comment: Substring) -> SQLSections.Marker? {
        var words = comment.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        if let first = words.first, first == "+goose" || first == "+migrate" { words.removeFirst() }
        switch words.first {
        case "up", "migrate:up": return .up
        case "down", "migrate:down": return .down
        default: return nil
        }
    }
}

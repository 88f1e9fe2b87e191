public import MigCore

/// dbmate: `<version>_<name>.sql` in the folder itself, with `-- migrate:up` and
/// `-- migrate:down` lines splitting the file.
public struct DbmateFormat: MigrationFormat {
    public let kind = MigrationFormatKind.dbmate

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder, sortingBy: self)
        var migrations: [Migration] = []
        for named in scan.named {
            guard let text = try scan.text(of: named.file, in: tree, strict: true) else { continue }
            let sections = SQLSections(text: text, scan: SQLScan(text), recognize: DbmateFormat.marker)
            guard sections.up != nil else {
                scan.problem(named.file, "has no `-- migrate:up` line; dbmate refuses to run it")
                continue
            }
            migrations.append(Migration(file: named.file, format: .dbmate, version: named.version,
                                        order: VersionKey(parsing: named.version), name: named.name,
                                        kind: sections.kind, down: sections.downPart))
        }
        return scan.finished(migrations)
    }

    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".sql") { return verdict }
        let name = relativePath.fileName.bytes
        // `schema.sql` is dbmate's dump; other extensions are not migrations.
        guard FileName.hasSuffix(name, ".sql"), name != Array("schema.sql".utf8) else { return .ignored }
        // dbmate lists the folder itself, with `^(\d+)_.*\.sql$`.
        guard relativePath.components.count == 1 else {
            return .misnamed(reason: "is in a subfolder; dbmate reads only the migrations folder itself")
        }
        guard let (version, title) = FileName.versioned(name, suffix: ".sql") else {
            return .misnamed(reason: "dbmate skips it: name it `<version>_<name>.sql`")
        }
        return .migration(version: version, name: title, isDown: false)
    }

    /// dbmate's `^--\s*migrate:(up|down)`, options such as `transaction:false` may follow.
    static func marker(_ comment: Substring) -> SQLSections.Marker? {
        let words = comment.drop { $0 == " " || $0 == "\t" }
        if words.hasPrefix("migrate:up") { return .up }
        if words.hasPrefix("migrate:down") { return .down }
        return nil
    }
}

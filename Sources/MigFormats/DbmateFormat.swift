public import MigCore

/// dbmate: `<version>_<name>.sql` in the folder itself, with `-- migrate:up` and
/// `-- migrate:down` lines splitting the file.
public struct DbmateFormat: MigrationFormat {
    public let kind = MigrationFormatKind.dbmate

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        var migrations: [Migration] = []
        for file in scan.files {
            let name = file.path.fileName.bytes
            if scan.setAsideBackup(file, migrationExtensions: [".sql"]) { continue }
            // `schema.sql` is dbmate's dump; other extensions are not migrations.
            guard FileName.hasSuffix(name, ".sql"), name != Array("schema.sql".utf8) else {
                scan.ignore(file)
                continue
            }
            // dbmate lists the folder itself, with `^(\d+)_.*\.sql$`.
            guard file.path.parent == folder else {
                scan.misnamed(file, "is in a subfolder; dbmate reads only the migrations folder itself")
                continue
            }
            guard let (version, title) = FileName.versioned(name, suffix: ".sql") else {
                scan.misnamed(file, "dbmate skips it: name it `<version>_<name>.sql`")
                continue
            }
            guard let text = try scan.text(of: file, in: tree, strict: true) else { continue }
            let sections = SQLSections(text: text, scan: SQLScan(text), recognize: DbmateFormat.marker)
            guard sections.up != nil else {
                scan.problem(file, "has no `-- migrate:up` line; dbmate refuses to run it")
                continue
            }
            migrations.append(Migration(file: file, format: .dbmate, version: version, order: VersionKey(parsing: version),
                                        name: title, kind: sections.kind, down: sections.downPart))
        }
        return scan.finished(migrations)
    }

    public func role(ofFileAt relativePath: RepoPath) -> MigrationFileRole {
        guard relativePath.components.count == 1,
              let (version, _) = FileName.versioned(relativePath.fileName.bytes, suffix: ".sql") else { return .other }
        return .migration(version: version)
    }

    /// dbmate's `^--\s*migrate:(up|down)`, options such as `transaction:false` may follow.
    static func marker(_ comment: Substring) -> SQLSections.Marker? {
        let words = comment.drop { $0 == " " || $0 == "\t" }
        if words.hasPrefix("migrate:up") { return .up }
        if words.hasPrefix("migrate:down") { return .down }
        return nil
    }
}

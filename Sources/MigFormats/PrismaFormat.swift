public import MigCore

/// Prisma Migrate: `<timestamp>_<name>/migration.sql` folders, applied in folder-name order,
/// with no down migrations by design.
public struct PrismaFormat: MigrationFormat {
    public let kind = MigrationFormatKind.prisma

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        var migrations: [Migration] = []
        var foldersWithScript: Set<RepoPath> = []
        var companions: [TreeFile] = []
        for file in scan.files {
            let relative = scan.relativePath(file).components
            let name = file.path.fileName.bytes
            if scan.setAsideBackup(file, migrationExtensions: [".sql"]) { continue }
            guard relative.count == 2 else {
                // `migration_lock.toml` lives at the top; SQL there or deeper is never applied.
                if FileName.hasSuffix(name, ".sql") {
                    scan.misnamed(file, "Prisma applies only `<timestamp>_<name>/migration.sql`")
                } else {
                    scan.ignore(file)
                }
                continue
            }
            guard name == Array("migration.sql".utf8) else {
                companions.append(file)
                continue
            }
            foldersWithScript.insert(file.path.parent)
            guard let (version, title) = FileName.versioned(Array(relative[0]), suffix: "") else {
                scan.misnamed(file, "its folder needs a `<timestamp>_<name>` name, as `prisma migrate dev` creates")
                continue
            }
            guard let text = try scan.text(of: file, in: tree, strict: false) else { continue }
            migrations.append(Migration(file: file, format: .prisma, version: version, order: VersionKey(parsing: version),
                                        name: title, kind: SQLScan(text).kind(), down: .notApplicable))
        }
        for file in companions {
            if foldersWithScript.contains(file.path.parent) {
                scan.ignore(file)
            } else {
                scan.problem(file, "is in a migration folder without `migration.sql`; `prisma migrate deploy` fails on it")
            }
        }
        return scan.finished(migrations)
    }

    public func role(ofFileAt relativePath: RepoPath) -> MigrationFileRole {
        let components = relativePath.components
        guard components.count == 2, relativePath.fileName == RepoPath("migration.sql"),
              let (version, _) = FileName.versioned(Array(components[0]), suffix: "") else { return .other }
        return .migration(version: version)
    }
}

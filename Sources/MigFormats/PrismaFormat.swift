public import MigCore

/// Prisma Migrate: `<timestamp>_<name>/migration.sql` folders, applied in folder-name order,
/// with no down migrations by design.
public struct PrismaFormat: MigrationFormat {
    public let kind = MigrationFormatKind.prisma

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        var companions: [TreeFile] = []
        for file in scan.files {
            switch PrismaFormat.entry(scan.relativePath(file)) {
            case .judged(let verdict): scan.sort(file, by: verdict)
            case .companion: companions.append(file)
            }
        }
        var migrations: [Migration] = []
        for named in scan.named {
            guard let text = try scan.text(of: named.file, in: tree, strict: false) else { continue }
            migrations.append(Migration(file: named.file, format: .prisma, version: named.version,
                                        order: VersionKey(parsing: named.version), name: named.name,
                                        kind: SQLScan(text).kind(), down: .notApplicable))
        }
        let files = Set(scan.files.map(\.path))
        for file in companions {
            if files.contains(file.path.parent.appending("migration.sql")) {
                scan.ignore(file)
            } else {
                scan.problem(file, "is in a migration folder without `migration.sql`; `prisma migrate deploy` fails on it")
            }
        }
        return scan.finished(migrations)
    }

    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        switch PrismaFormat.entry(relativePath) {
        case .judged(let verdict): verdict
        case .companion: .ignored
        }
    }

    private enum Entry {
        case judged(NameVerdict)
        /// Beside `migration.sql` in a migration's folder: ignored by its name, but whether the
        /// folder holds a `migration.sql` at all, which `prisma migrate deploy` requires, only
        /// the tree tells.
        case companion
    }

    private static func entry(_ relativePath: RepoPath) -> Entry {
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".sql") { return .judged(verdict) }
        let components = relativePath.components
        let name = relativePath.fileName.bytes
        guard components.count == 2 else {
            // `migration_lock.toml` lives at the top; SQL there or deeper is never applied.
            return .judged(FileName.hasSuffix(name, ".sql")
                ? .misnamed(reason: "Prisma applies only `<timestamp>_<name>/migration.sql`") : .ignored)
        }
        guard name == Array("migration.sql".utf8) else { return .companion }
        guard let (version, title) = FileName.versioned(Array(components[0]), suffix: "") else {
            return .judged(.misnamed(reason: "its folder needs a `<timestamp>_<name>` name, as `prisma migrate dev` creates"))
        }
        return .judged(.migration(version: version, name: title, isDown: false))
    }
}

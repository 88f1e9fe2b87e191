public import MigCore

/// Flyway SQL migrations with the default naming: `V<version>__<description>.sql` (versioned),
/// `U<version>__<description>.sql` (undo), `R__<description>.sql` (repeatable). Flyway scans
/// its locations recursively, and a version's parts may be separated by `.` or `_`.
public struct FlywayFormat: MigrationFormat {
    public let kind = MigrationFormatKind.flyway

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder, sortingBy: self)
        var undos: [VersionKey: TreeFile] = [:]
        for undo in scan.named where undo.isDown {
            if undos[VersionKey(parsing: undo.version)] != nil {
                scan.problem(undo.file, "is a second undo migration for version \(undo.version); Flyway refuses duplicates")
            } else {
                undos[VersionKey(parsing: undo.version)] = undo.file
            }
        }
        var migrations: [Migration] = []
        for versioned in scan.named where !versioned.isDown {
            guard let text = try scan.text(of: versioned.file, in: tree, strict: false) else { continue }
            let key = VersionKey(parsing: versioned.version)
            let undo = undos.removeValue(forKey: key)
            let down = try undo.map { try scan.separateDown($0, in: tree) } ?? .missing
            migrations.append(Migration(file: versioned.file, format: .flyway, version: versioned.version, order: key,
                                        name: versioned.name, kind: SQLScan(text).kind(), down: down,
                                        details: .flyway(FlywayInfo(isRepeatable: false, undo: undo))))
        }
        for (file, description) in scan.repeatables {
            guard let text = try scan.text(of: file, in: tree, strict: false) else { continue }
            // Repeatables run after all versioned migrations, ordered by description.
            migrations.append(Migration(file: file, format: .flyway, version: "", order: VersionKey(parts: [.text(description)]),
                                        name: description, kind: SQLScan(text).kind(), down: .notApplicable,
                                        details: .flyway(FlywayInfo(isRepeatable: true, undo: nil))))
        }
        for undo in undos.values {
            scan.problem(undo, "undoes a version that has no `V` migration; Flyway fails validation on it")
        }
        return scan.finished(migrations)
    }

    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".sql") { return verdict }
        let name = relativePath.fileName.bytes
        // `.sql.conf` holds per-script settings; other extensions are not SQL migrations.
        guard FileName.hasSuffix(name, ".sql") else { return .ignored }
        return FlywayFormat.parse(name)
    }

    /// Reads a name ending in `.sql`.
    static func parse(_ name: [UInt8]) -> NameVerdict {
        let stem = Array(name.dropLast(4))
        guard let prefix = stem.first else { return .misnamed(reason: "has no name before `.sql`") }
        // `beforeMigrate.sql`, `afterEachMigrate__log.sql`: Flyway callbacks, not migrations.
        if FileName.hasPrefix(stem, "before") || FileName.hasPrefix(stem, "after") { return .ignored }
        guard prefix == UInt8(ascii: "V") || prefix == UInt8(ascii: "U") || prefix == UInt8(ascii: "R") else {
            if prefix == UInt8(ascii: "v") || prefix == UInt8(ascii: "u") || prefix == UInt8(ascii: "r") {
                return .misnamed(reason: "Flyway's prefixes are uppercase: `V`, `U` or `R`")
            }
            return .misnamed(reason: "Flyway skips it: name it `V<version>__<description>.sql` or `R__<description>.sql`")
        }
        let body = Array(stem.dropFirst())
        guard let separator = body.indices.first(where: { $0 + 1 < body.count && body[$0] == UInt8(ascii: "_") && body[$0 + 1] == UInt8(ascii: "_") }) else {
            return .misnamed(reason: "needs `__` (two underscores) between the version and the description")
        }
        let version = String(decoding: body[..<separator], as: UTF8.self)
        let description = FileName.text(Array(body[(separator + 2)...]))
        if prefix == UInt8(ascii: "R") {
            return version.isEmpty ? .repeatable(name: description)
                : .misnamed(reason: "a repeatable migration has no version: name it `R__<description>.sql`")
        }
        let validVersion = version.first?.isASCIIDigit == true
            && version.allSatisfy { $0.isASCIIDigit || $0 == "." || $0 == "_" }
        guard validVersion else {
            return .misnamed(reason: "the version must be digits separated by `.` or `_`, as in `V1.2__add_users.sql`")
        }
        return .migration(version: version, name: description, isDown: prefix == UInt8(ascii: "U"))
    }
}

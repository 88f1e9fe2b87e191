public import MigCore

/// Flyway SQL migrations with the default naming: `V<version>__<description>.sql` (versioned),
/// `U<version>__<description>.sql` (undo), `R__<description>.sql` (repeatable). Flyway scans
/// its locations recursively, and a version's parts may be separated by `.` or `_`.
public struct FlywayFormat: MigrationFormat {
    public let kind = MigrationFormatKind.flyway

    public init() {}

    enum Name {
        case versioned(version: String, description: String)
        case undo(version: String)
        case repeatable(description: String)
        case callback
        case misnamed(String)
    }

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        var versioned: [(file: TreeFile, version: String, description: String)] = []
        var repeatables: [(file: TreeFile, description: String)] = []
        var undos: [VersionKey: TreeFile] = [:]
        for file in scan.files {
            let name = file.path.fileName.bytes
            if scan.setAsideBackup(file, migrationExtensions: [".sql"]) { continue }
            // `.sql.conf` holds per-script settings; other extensions are not SQL migrations.
            guard FileName.hasSuffix(name, ".sql") else {
                scan.ignore(file)
                continue
            }
            switch FlywayFormat.parse(name) {
            case .versioned(let version, let description):
                versioned.append((file, version, description))
            case .undo(let version):
                if undos[VersionKey(parsing: version)] != nil {
                    scan.problem(file, "is a second undo migration for version \(version); Flyway refuses duplicates")
                } else {
                    undos[VersionKey(parsing: version)] = file
                }
            case .repeatable(let description):
                repeatables.append((file, description))
            case .callback:
                scan.ignore(file)
            case .misnamed(let reason):
                scan.misnamed(file, reason)
            }
        }
        var migrations: [Migration] = []
        for (file, version, description) in versioned {
            guard let text = try scan.text(of: file, in: tree, strict: false) else { continue }
            let key = VersionKey(parsing: version)
            let undo = undos.removeValue(forKey: key)
            let down = try undo.map { try scan.separateDown($0, in: tree) } ?? .missing
            migrations.append(Migration(file: file, format: .flyway, version: version, order: key, name: description,
                                        kind: SQLScan(text).kind(), down: down,
                                        details: .flyway(FlywayInfo(isRepeatable: false, undo: undo))))
        }
        for (file, description) in repeatables {
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

    public func role(ofFileAt relativePath: RepoPath) -> MigrationFileRole {
        let name = relativePath.fileName.bytes
        guard FileName.hasSuffix(name, ".sql") else { return .other }
        switch FlywayFormat.parse(name) {
        case .versioned(let version, _), .undo(let version): return .migration(version: version)
        case .repeatable: return .repeatable
        case .callback, .misnamed: return .other
        }
    }

    /// Reads a name ending in `.sql`.
    static func parse(_ name: [UInt8]) -> Name {
        let stem = Array(name.dropLast(4))
        guard let prefix = stem.first else { return .misnamed("has no name before `.sql`") }
        // `beforeMigrate.sql`, `afterEachMigrate__log.sql`: Flyway callbacks, not migrations.
        if FileName.hasPrefix(stem, "before") || FileName.hasPrefix(stem, "after") { return .callback }
        guard prefix == UInt8(ascii: "V") || prefix == UInt8(ascii: "U") || prefix == UInt8(ascii: "R") else {
            if prefix == UInt8(ascii: "v") || prefix == UInt8(ascii: "u") || prefix == UInt8(ascii: "r") {
                return .misnamed("Flyway's prefixes are uppercase: `V`, `U` or `R`")
            }
            return .misnamed("Flyway skips it: name it `V<version>__<description>.sql` or `R__<description>.sql`")
        }
        let body = Array(stem.dropFirst())
        guard let separator = body.indices.first(where: { $0 + 1 < body.count && body[$0] == UInt8(ascii: "_") && body[$0 + 1] == UInt8(ascii: "_") }) else {
            return .misnamed("needs `__` (two underscores) between the version and the description")
        }
        let version = String(decoding: body[..<separator], as: UTF8.self)
        let description = FileName.text(Array(body[(separator + 2)...]))
        if prefix == UInt8(ascii: "R") {
            return version.isEmpty ? .repeatable(description: description)
                : .misnamed("a repeatable migration has no version: name it `R__<description>.sql`")
        }
        let validVersion = version.first?.isASCIIDigit == true
            && version.allSatisfy { $0.isASCIIDigit || $0 == "." || $0 == "_" }
        guard validVersion else {
            return .misnamed("the version must be digits separated by `.` or `_`, as in `V1.2__add_users.sql`")
        }
        return prefix == UInt8(ascii: "V") ? .versioned(version: version, description: description) : .undo(version: version)
    }
}

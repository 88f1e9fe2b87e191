public import MigCore

/// golang-migrate: `<version>_<title>.up.<ext>` and `<version>_<title>.down.<ext>`, read from
/// the folder itself only (its file source does not descend into subfolders).
public struct GolangMigrateFormat: MigrationFormat {
    public let kind = MigrationFormatKind.golangMigrate

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        var ups: [(file: TreeFile, version: String, title: String)] = []
        var downs: [VersionKey: TreeFile] = [:]
        for file in scan.files {
            let name = file.path.fileName.bytes
            if scan.setAsideBackup(file, migrationExtensions: [".sql"]) { continue }
            let parsed = GolangMigrateFormat.parse(name)
            guard file.path.parent == folder else {
                if parsed != nil || FileName.hasSuffix(name, ".sql") {
                    scan.misnamed(file, "is in a subfolder; golang-migrate reads only the migrations folder itself")
                } else {
                    scan.ignore(file)
                }
                continue
            }
            guard let (version, title, direction) = parsed else {
                if FileName.hasSuffix(name, ".sql") {
                    scan.misnamed(file, "golang-migrate skips it: name it `<version>_<title>.up.sql` and `.down.sql`")
                } else {
                    scan.ignore(file)
                }
                continue
            }
            if direction == .up {
                ups.append((file, version, title))
            } else if downs[VersionKey(parsing: version)] != nil {
                scan.problem(file, "is a second down migration for version \(version); golang-migrate refuses duplicates")
            } else {
                downs[VersionKey(parsing: version)] = file
            }
        }
        var migrations: [Migration] = []
        for (file, version, title) in ups {
            guard let text = try scan.text(of: file, in: tree, strict: false) else { continue }
            let key = VersionKey(parsing: version)
            let down = try downs[key].map { try scan.separateDown($0, in: tree) } ?? .missing
            migrations.append(Migration(file: file, format: .golangMigrate, version: version, order: key, name: title,
                                        kind: SQLScan(text).kind(), down: down))
        }
        let upVersions = Set(ups.map { VersionKey(parsing: $0.version) })
        for (key, down) in downs where !upVersions.contains(key) {
            scan.problem(down, "has no `.up` migration with the same version")
        }
        return scan.finished(migrations)
    }

    public func role(ofFileAt relativePath: RepoPath) -> MigrationFileRole {
        guard relativePath.components.count == 1, let parsed = GolangMigrateFormat.parse(relativePath.fileName.bytes) else {
            return .other
        }
        return .migration(version: parsed.version)
    }

    enum Direction { case up, down }

    /// golang-migrate's `^([0-9]+)_(.*)\.(down|up)\.(.*)$`: the greedy title makes the last
    /// `.up.`/`.down.` the direction.
    static func parse(_ name: [UInt8]) -> (version: String, title: String, direction: Direction)? {
        let (digits, rest) = FileName.splitLeadingDigits(name)
        guard !digits.isEmpty, rest.first == UInt8(ascii: "_") else { return nil }
        let afterSeparator = Array(rest.dropFirst())
        for end in stride(from: afterSeparator.count, through: 0, by: -1) {
            let head = afterSeparator[..<end]
            for (marker, direction) in [(".up.", Direction.up), (".down.", Direction.down)]
            where FileName.hasSuffix(head, marker) {
                return (digits, FileName.text(Array(head.dropLast(marker.utf8.count))), direction)
            }
        }
        return nil
    }
}

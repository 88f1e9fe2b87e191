public import MigCore

/// golang-migrate: `<version>_<title>.up.<ext>` and `<version>_<title>.down.<ext>`, read from
/// the folder itself only (its file source does not descend into subfolders).
public struct GolangMigrateFormat: MigrationFormat {
    public let kind = MigrationFormatKind.golangMigrate

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder, sortingBy: self)
        var downs: [VersionKey: TreeFile] = [:]
        for down in scan.named where down.isDown {
            if downs[VersionKey(parsing: down.version)] != nil {
                scan.problem(down.file, "is a second down migration for version \(down.version); golang-migrate refuses duplicates")
            } else {
                downs[VersionKey(parsing: down.version)] = down.file
            }
        }
        let ups = scan.named.filter { !$0.isDown }
        var migrations: [Migration] = []
        for up in ups {
            guard let text = try scan.text(of: up.file, in: tree, strict: false) else { continue }
            let key = VersionKey(parsing: up.version)
            let down = try downs[key].map { try scan.separateDown($0, in: tree) } ?? .missing
            migrations.append(Migration(file: up.file, format: .golangMigrate, version: up.version, order: key, name: up.name,
                                        kind: SQLScan(text).kind(), down: down))
        }
        let upVersions = Set(ups.map { VersionKey(parsing: $0.version) })
        for (key, down) in downs where !upVersions.contains(key) {
            scan.problem(down, "has no `.up` migration with the same version")
        }
        return scan.finished(migrations)
    }

    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".sql") { return verdict }
        let name = relativePath.fileName.bytes
        let parsed = GolangMigrateFormat.parse(name)
        let meantAsMigration = parsed != nil || FileName.hasSuffix(name, ".sql")
        guard relativePath.components.count == 1 else {
            return meantAsMigration
                ? .misnamed(reason: "is in a subfolder; golang-migrate reads only the migrations folder itself") : .ignored
        }
        guard let parsed else {
            return meantAsMigration
                ? .misnamed(reason: "golang-migrate skips it: name it `<version>_<title>.up.sql` and `.down.sql`") : .ignored
        }
        return .migration(version: parsed.version, name: parsed.title, isDown: parsed.isDown)
    }

    /// golang-migrate's `^([0-9]+)_(.*)\.(down|up)\.(.*)$`: the greedy title makes the last
    /// `.up.`/`.down.` the direction.
    static func parse(_ name: [UInt8]) -> (version: String, title: String, isDown: Bool)? {
        let (digits, rest) = FileName.splitLeadingDigits(name)
        guard !digits.isEmpty, rest.first == UInt8(ascii: "_") else { return nil }
        let afterSeparator = Array(rest.dropFirst())
        for end in stride(from: afterSeparator.count, through: 0, by: -1) {
            let head = afterSeparator[..<end]
            for (marker, isDown) in [(".up.", false), (".down.", true)] where FileName.hasSuffix(head, marker) {
                return (digits, FileName.text(Array(head.dropLast(marker.utf8.count))), isDown)
            }
        }
        return nil
    }
}

public import MigCore
public import MigFormats

extension MigrationReader {
    /// Where the separate down file of the up migration at `path` sits, for the formats that
    /// keep one: `.up.sql` or `.sql` becomes `.down.sql` (golang-migrate, sql), Flyway's `V`
    /// becomes `U`. Nil for other formats and for files that are down files themselves.
    public static func downFilePath(of path: RepoPath, format: MigrationFormatKind) -> RepoPath? {
        let name = path.fileName.description
        guard !isDownFile(path, format: format) else { return nil }
        let downName: String
        switch format {
        case .flyway where name.hasPrefix("V"):
            downName = "U" + name.dropFirst()
        case .golangMigrate, .sql:
            guard name.hasSuffix(".sql") else { return nil }
            downName = String(name.dropLast(name.hasSuffix(".up.sql") ? 7 : 4)) + ".down.sql"
        default:
            return nil
        }
        return path.parent.appending(downName)
    }

    /// The down part as the format's own discovery sees the migration together with its
    /// separate down file (`downFile` nil: there is none), so callers that know the sibling
    /// (`check`, `lint`) judge reversibility as the tool would.
    public static func down(of path: RepoPath, contents: [UInt8], format: MigrationFormatKind, downFile: [UInt8]?) -> DownPart? {
        // Without a down file the formats' answer needs no discovery: golang-migrate and Flyway
        // have no other place for a rollback, and a plain SQL file without a down section none
        // either. Linting thousands of files pays for discovery otherwise.
        if downFile == nil {
            switch format {
            case .golangMigrate, .flyway:
                return .missing
            case .sql where !SQLSectionMarkers.markers(in: String(decoding: contents, as: UTF8.self), format: .sql).contains(where: \.isDown):
                return .missing
            default:
                break
            }
        }
        var files = [path.description: String(decoding: contents, as: UTF8.self)]
        if let downFile, let downPath = downFilePath(of: path, format: format) {
            files[downPath.description] = String(decoding: downFile, as: UTF8.self)
        }
        let tree = MemoryTree(files: files, objects: MemoryObjects())
        let discovery = try? MigrationFormats.format(for: format).discover(in: tree, folder: path.parent)
        return discovery?.migrations.first { $0.path == path }?.down
    }

    /// Reads a migration file whose separate down file, if its format keeps one, `contents(at:)`
    /// can fetch (nil: there is none): what `check`, the hook and `lint` do, each from where its
    /// files live.
    public static func read(path: RepoPath, bytes: [UInt8], format: MigrationFormatKind, dialect: Dialect,
                            newTables: @autoclosure @escaping () -> Set<String>, placeholders: [(String, String)],
                            downFileContents contents: (RepoPath) throws -> [UInt8]?) rethrows -> MigrationText {
        guard let downPath = downFilePath(of: path, format: format) else {
            return read(path: path, bytes: bytes, format: format, dialect: dialect, newTables: newTables(),
                        placeholders: placeholders)
        }
        let downFile = try contents(downPath)
        return read(path: path, bytes: bytes, format: format, dialect: dialect, newTables: newTables(),
                    placeholders: placeholders, down: down(of: path, contents: bytes, format: format, downFile: downFile),
                    downFile: downFile)
    }
}

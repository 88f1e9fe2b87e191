public import MigCore
import MigFormats
public import MigPolicy
import MigRules
import Foundation

/// `migledger lint`: the content rules on files given by path, inside a repository or not.
public enum LintService {
    /// Files larger than this are refused rather than parsed: a migration that size is a data
    /// dump, and its parse trees would take some 25 times its size in memory.
    public static let maximumFileSize = 256 << 20

    /// Findings for each file, or for each migration-looking file below a folder. `dialect` nil
    /// means PostgreSQL. The policy (default: the embedded `recommended` preset) gives
    /// severities, exceptions and placeholders; its exceptions' paths are relative to the
    /// policy file's folder, the repository root it normally sits in.
    public static func run(paths: [String], dialect: Dialect?, policyPath: String?,
                           today: CalendarDate = .today()) throws -> [Finding] {
        guard !paths.isEmpty else { throw UserFacingError(.usage, "give the migration files to lint, e.g. `migledger lint db/migrate/*.sql`") }
        let policy = try policyPath.map(loadPolicy) ?? Policy.recommended
        let content = ContentFindings(policy: policy, today: today)
        let files = try expand(paths)
        let root = policyPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().standardizedFileURL.path }
        // Files are independent and libpg_query keeps its state per thread, so they are read
        // on every core; findings keep the order of the files.
        return try concurrentMap(files.count) { index in
            try lint(files[index], content: content, dialect: dialect, root: root)
        }.flatMap { $0 }
    }

    private static func lint(_ file: String, content: ContentFindings, dialect: Dialect?, root: String?) throws -> [Finding] {
        let bytes = try read(file)
        let path = RepoPath(file)
        let format = migrationFormat(of: file, bytes: bytes)
        let text = try MigrationReader.read(
            path: policyRelative(file, root: root) ?? path, bytes: bytes, format: format, dialect: dialect ?? .postgres,
            newTables: [], placeholders: content.placeholders,
            downFileContents: { downPath in
                // The down file sits beside the file, whatever path exceptions see it under.
                let sibling = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(downPath.fileName.description)
                return FileManager.default.fileExists(atPath: sibling) ? try read(sibling) : nil
            })
        return content.findings(for: text, shownAs: path)
    }

    /// The format a loose file is most likely written for, from its name and a glance at its
    /// contents, so framework code and section markers are read as their tools read them.
    static func migrationFormat(of file: String, bytes: [UInt8]) -> MigrationFormatKind {
        let name = (file as NSString).lastPathComponent
        let head = bytes.prefix(64 << 10)
        if name.hasSuffix(".rb") { return .rails }
        if name.hasSuffix(".py") {
            return head.containsBytes("migrations.Migration") || head.containsBytes("from django") ? .django : .alembic
        }
        if head.containsBytes("-- migrate:up") || head.containsBytes("-- migrate:down") { return .dbmate }
        if name.hasSuffix(".up.sql") || name.hasSuffix(".down.sql") { return .golangMigrate }
        if let first = name.first, "VUR".contains(first), name.contains("__") { return .flyway }
        if name == "migration.sql" { return .prisma }
        return .sql
    }

    /// The file's path below the policy's folder, for matching `exceptions:`; nil outside it.
    private static func policyRelative(_ file: String, root: String?) -> RepoPath? {
        guard let root else { return nil }
        let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return absolute.hasPrefix(prefix) ? RepoPath(String(absolute.dropFirst(prefix.count))) : nil
    }

    private static func loadPolicy(_ path: String) throws -> Policy {
        guard FileManager.default.fileExists(atPath: path) else {
            throw UserFacingError(.usage, "the policy file \(path) does not exist (given with --policy)")
        }
        return try Policy.load(contentsOf: URL(fileURLWithPath: path))
    }

    /// Files as given, and the `.sql`, `.rb` and `.py` files below each folder, sorted.
    private static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UserFacingError(.usage, "\(path): no such file or folder")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".sql") || $0.hasSuffix(".rb") || $0.hasSuffix(".py") }
                .map { (path as NSString).appendingPathComponent($0) }
                .sorted()
            files += found
        }
        return files
    }

    private static func read(_ file: String) throws -> [UInt8] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw UserFacingError(.usage, "\(file): not a regular file; give migration files or folders")
        }
        if let size = attributes?[.size] as? Int, size > maximumFileSize {
            throw UserFacingError(.usage, "\(file): \(size >> 20) MiB is larger than the \(maximumFileSize >> 20) MiB migledger lints; split the file or exclude it")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw UserFacingError(.usage, "\(file): cannot be read (check its permissions)")
        }
        let bytes = [UInt8](data)
        if bytes.prefix(8000).contains(0) {
            throw UserFacingError(.usage, "\(file): binary content (a NUL byte), not a migration; give SQL, Ruby or Python migration files")
        }
        return bytes
    }
}

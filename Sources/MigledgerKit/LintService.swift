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
    /// severities, exceptions and placeholders.
    public static func run(paths: [String], dialect: Dialect?, policyPath: String?,
                           today: CalendarDate = .today()) throws -> [Finding] {
        guard !paths.isEmpty else { throw UserFacingError(.usage, "give the migration files to lint, e.g. `migledger lint db/migrate/*.sql`") }
        let policy = try policyPath.map(loadPolicy) ?? Policy.recommended
        let content = ContentFindings(policy: policy, today: today)
        var findings: [Finding] = []
        for file in try expand(paths) {
            let bytes = try read(file)
            let path = RepoPath(file)
            let format = migrationFormat(of: file, bytes: bytes)
            let downPath = MigrationReader.downFilePath(of: path, format: format)
            let downFile = try downPath.flatMap { FileManager.default.fileExists(atPath: $0.description) ? try read($0.description) : nil }
            let text = MigrationReader.read(path: path, bytes: bytes, format: format, dialect: dialect ?? .postgres,
                                            placeholders: content.placeholders,
                                            down: downPath.map { _ in MigrationReader.down(of: path, contents: bytes, format: format, downFile: downFile) } ?? nil,
                                            downFile: downFile)
            findings += content.findings(for: text, shownAs: path)
        }
        return findings
    }

    /// The format a loose file is most likely written for, from its name and a glance at its
    /// contents, so framework code and section markers are read as their tools read them.
    static func migrationFormat(of file: String, bytes: [UInt8]) -> MigrationFormatKind {
        let name = (file as NSString).lastPathComponent
        let head = String(decoding: bytes.prefix(64 << 10), as: UTF8.self)
        if name.hasSuffix(".rb") { return .rails }
        if name.hasSuffix(".py") {
            return head.contains("migrations.Migration") || head.contains("from django") ? .django : .alembic
        }
        if head.contains("-- migrate:up") || head.contains("-- migrate:down") { return .dbmate }
        if name.hasSuffix(".up.sql") || name.hasSuffix(".down.sql") { return .golangMigrate }
        if let first = name.first, "VUR".contains(first), name.contains("__") { return .flyway }
        if name == "migration.sql" { return .prisma }
        return .sql
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
            throw UserFacingError(.usage, "\(file): binary content (a NUL byte), not a migration")
        }
        return bytes
    }
}

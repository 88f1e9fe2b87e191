public import MigCore

/// A migration set proposed by detection, for `migledger init` and for repositories that
/// have no policy yet.
public struct DetectedSet: Sendable, Hashable {
    public enum Confidence: Int, Sendable, Hashable, Comparable {
        /// Only a naming pattern that other tools share.
        case low
        /// The tool's layout, without its configuration or markers.
        case medium
        /// Layout confirmed by the tool's own files or markers.
        case high

        public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let path: RepoPath
    public let format: MigrationFormatKind
    public let dialect: Dialect
    public let confidence: Confidence
    /// Why, in short sentences for people (`db/migrate holds 12 files named <digits>_<name>.rb`).
    public let evidence: [String]

    public init(path: RepoPath, format: MigrationFormatKind, dialect: Dialect, confidence: Confidence, evidence: [String]) {
        self.path = path
        self.format = format
        self.dialect = dialect
        self.confidence = confidence
        self.evidence = evidence
    }
}

/// Finds migration sets in a whole tree by layout, then confirms them by content and reads
/// the dialect from the tool's configuration or the SQL itself.
public enum FormatDetector: Sendable {
    /// Folders of dependencies and tooling, whose migrations belong to someone else.
    public static let skippedFolders: Set<String> = [
        "node_modules", "vendor", "bower_components", "site-packages", "venv", "__pycache__", "Pods", "third_party",
    ]

    public static func detect(in tree: some TreeSource) throws -> [DetectedSet] {
        let context = try Context(tree: tree)
        var candidates = try context.prisma() + context.rails() + context.alembic() + context.django()
        let claimed = candidates.flatMap(\.claims)
        candidates += try context.sqlFolders(excluding: claimed)
        var sets: [DetectedSet] = []
        for candidate in candidates {
            let (dialect, clue) = try context.dialect(for: candidate)
            sets.append(DetectedSet(path: candidate.path, format: candidate.format, dialect: dialect,
                                    confidence: candidate.confidence, evidence: candidate.evidence + [clue]))
        }
        return sets.sorted { ($0.path, $0.format.rawValue) < ($1.path, $1.format.rawValue) }
    }

    static func isSkipped(_ path: RepoPath) -> Bool {
        path.parent.components.contains { component in
            component.first == UInt8(ascii: ".")
                || String(validating: component, as: UTF8.self).map(skippedFolders.contains) == true
        }
    }
}

private struct Candidate {
    let path: RepoPath
    let format: MigrationFormatKind
    var confidence: DetectedSet.Confidence
    var evidence: [String]
    /// Folders no other set may propose: a Django project claims only its apps' `migrations/`.
    var claims: [RepoPath]

    init(path: RepoPath, format: MigrationFormatKind, confidence: DetectedSet.Confidence, evidence: [String],
         claims: [RepoPath]? = nil) {
        self.path = path
        self.format = format
        self.confidence = confidence
        self.evidence = evidence
        self.claims = claims ?? [path]
    }
}

private struct Context<Tree: TreeSource> {
    let tree: Tree
    let files: [RepoPath: TreeFile]
    let folders: [RepoPath: [TreeFile]]

    init(tree: Tree) throws {
        self.tree = tree
        let all = try tree.files(under: RepoPath(bytes: [])).filter { file in
            (file.mode == .regular || file.mode == .executable) && !FormatDetector.isSkipped(file.path)
        }
        files = Dictionary(all.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        folders = Dictionary(grouping: all, by: \.path.parent)
    }

    private func text(_ file: TreeFile) throws -> String {
        String(decoding: try tree.contents(of: file), as: UTF8.self)
    }

    private func file(_ path: RepoPath) -> TreeFile? {
        files[path]
    }

    private static func named(_ path: RepoPath, _ name: String) -> Bool {
        path.fileName == RepoPath(name)
    }

    /// Folders in path order, so results and the samples read are stable.
    private var sortedFolders: [(RepoPath, [TreeFile])] {
        folders.sorted { $0.key < $1.key }
    }

    // MARK: - Layouts

    func prisma() -> [Candidate] {
        var counts: [RepoPath: Int] = [:]
        for (path, _) in files where Context.named(path, "migration.sql") {
            let folder = path.parent
            if FileName.versioned(folder.fileName.bytes, suffix: "") != nil { counts[folder.parent, default: 0] += 1 }
        }
        return counts.map { root, count in
            var candidate = Candidate(path: root, format: .prisma, confidence: .medium,
                                      evidence: ["\(root) holds \(count) folder(s) `<timestamp>_<name>/migration.sql`"])
            if file(root.appending("migration_lock.toml")) != nil {
                candidate.confidence = .high
                candidate.evidence.append("\(root.appending("migration_lock.toml")) is Prisma's lock file")
            }
            return candidate
        }
    }

    func rails() throws -> [Candidate] {
        var roots: [RepoPath: (count: Int, sample: TreeFile)] = [:]
        for (folder, entries) in sortedFolders {
            let migrations = entries.filter { RailsFormat.parse($0.path.fileName.bytes) != nil }
            guard let sample = migrations.first else { continue }
            // Rails loads `db/migrate/**`, so a subfolder belongs to the enclosing set.
            let root = Context.ancestor(of: folder) { $0.fileName == RepoPath("migrate") && Context.named($0.parent, "db") } ?? folder
            let previous = roots[root]
            roots[root] = ((previous?.count ?? 0) + migrations.count, previous?.sample ?? sample)
        }
        return try roots.compactMap { root, found in
            let inDbMigrate = root.fileName == RepoPath("migrate") && Context.named(root.parent, "db")
            let isActiveRecord = try text(found.sample).contains("ActiveRecord::Migration")
            // Sequel and other Ruby tools also number `.rb` files; only Rails' location or
            // its base class makes them Rails migrations.
            guard inDbMigrate || isActiveRecord else { return nil }
            var evidence = ["\(root) holds \(found.count) file(s) named `<digits>_<name>.rb`"]
            if isActiveRecord { evidence.append("\(found.sample.path) subclasses ActiveRecord::Migration") }
            return Candidate(path: root, format: .rails, confidence: isActiveRecord ? .high : .medium, evidence: evidence)
        }
    }

    func alembic() throws -> [Candidate] {
        var candidates: [Candidate] = []
        for (folder, entries) in sortedFolders where Context.named(folder, "versions") {
            let scripts = entries.filter { FileName.hasSuffix($0.path.fileName.bytes, ".py") }
            var sample: TreeFile?
            for script in scripts.prefix(3) where PythonSource(try text(script)).moduleAssignment("revision") != nil {
                sample = script
                break
            }
            guard let sample else { continue }
            var evidence = ["\(sample.path) sets `revision = …`, an Alembic revision"]
            let scriptFolder = folder.parent
            let hasEnvironment = file(scriptFolder.appending("env.py")) != nil
            if hasEnvironment { evidence.append("\(scriptFolder.appending("env.py")) is Alembic's environment") }
            if let ini = alembicIni(near: scriptFolder) { evidence.append("\(ini.path) configures Alembic") }
            candidates.append(Candidate(path: hasEnvironment ? scriptFolder : folder, format: .alembic,
                                        confidence: hasEnvironment || alembicIni(near: scriptFolder) != nil ? .high : .medium,
                                        evidence: evidence))
        }
        return candidates
    }

    func alembicIni(near scriptFolder: RepoPath) -> TreeFile? {
        [scriptFolder, scriptFolder.parent, RepoPath(bytes: [])].lazy.compactMap { file($0.appending("alembic.ini")) }.first
    }

    func django() throws -> [Candidate] {
        var apps: [RepoPath] = []
        for (folder, entries) in sortedFolders where Context.named(folder, "migrations") {
            guard let sample = entries.first(where: { FileName.versioned($0.path.fileName.bytes, suffix: ".py") != nil }) else {
                continue
            }
            let source = PythonSource(try text(sample))
            if source.definitions.contains(where: { $0.kind == .class && $0.name == "Migration" && $0.depth == 0 }) {
                apps.append(folder)
            }
        }
        // The apps under one `manage.py` form one set, so dependencies across apps stay in one
        // graph; an app outside any project is a set of its own.
        var projects: [RepoPath: [RepoPath]] = [:]
        for app in apps {
            let project = Context.ancestor(of: app.parent) { file($0.appending("manage.py")) != nil }
            projects[project ?? app, default: []].append(app)
        }
        return projects.map { root, apps in
            var evidence = apps.map { "\($0) holds numbered migrations with `class Migration`" }
            if root != apps[0] { evidence.append("\(root.appending("manage.py")) marks the Django project") }
            return Candidate(path: root, format: .django, confidence: .high, evidence: evidence, claims: apps)
        }
    }

    /// Folders of SQL files not claimed by another set: Flyway names, dbmate markers,
    /// golang-migrate up/down pairs, and otherwise numbered SQL files.
    func sqlFolders(excluding claimed: [RepoPath]) throws -> [Candidate] {
        var byRoot: [String: Candidate] = [:]
        for (folder, entries) in sortedFolders where !claimed.contains(where: folder.isInside) {
            let names = entries.map(\.path.fileName.bytes).filter { FileName.hasSuffix($0, ".sql") }
            guard !names.isEmpty, let (format, confidence, evidence) = try classify(folder: folder, entries: entries, names: names) else {
                continue
            }
            // Flyway and plain SQL read subfolders: `db/migration/2024/` and `migrations/schema/`
            // belong to the conventional folder above them.
            var root = folder
            if format == .flyway {
                root = Context.ancestor(of: folder) { Context.named($0, "migration") || Context.named($0, "migrations") } ?? folder
            } else if format == .sql, Context.named(folder, "schema") || Context.named(folder, "data") {
                root = folder.parent
            }
            let key = "\(format.rawValue) \(root)"
            if var existing = byRoot[key] {
                existing.evidence += evidence
                existing.confidence = max(existing.confidence, confidence)
                byRoot[key] = existing
            } else {
                byRoot[key] = Candidate(path: root, format: format, confidence: confidence, evidence: evidence)
            }
        }
        return Array(byRoot.values)
    }

    private func classify(folder: RepoPath, entries: [TreeFile], names: [[UInt8]])
        throws -> (MigrationFormatKind, DetectedSet.Confidence, [String])? {
        let flyway = names.filter { name in
            switch FlywayFormat.parse(name) {
            case .migration, .repeatable: true
            case .ignored, .misnamed: false
            }
        }
        if !flyway.isEmpty {
            return (.flyway, Context.named(folder, "migration") ? .high : .medium,
                    ["\(folder) holds \(flyway.count) file(s) named `V<version>__<description>.sql`"])
        }
        let numbered = entries.filter { FileName.versioned($0.path.fileName.bytes, suffix: ".sql") != nil }
        for sample in numbered.prefix(3) where try text(sample).split(separator: "\n").contains(where: {
            $0.hasPrefix("--") && DbmateFormat.marker($0.dropFirst(2)) == .up
        }) {
            return (.dbmate, .high, ["\(sample.path) has dbmate's `-- migrate:up` marker"])
        }
        let parsed = names.compactMap(GolangMigrateFormat.parse)
        let upVersions = Set(parsed.filter { !$0.isDown }.map(\.version))
        let pairs = parsed.filter { $0.isDown && upVersions.contains($0.version) }.count
        if pairs > 0 {
            return (.golangMigrate, .medium, ["\(folder) holds \(pairs) `<version>_<title>.up.sql`/`.down.sql` pair(s)"])
        }
        if !numbered.isEmpty {
            return (.sql, .low, ["\(folder) holds \(numbered.count) numbered `.sql` file(s)"])
        }
        return nil
    }

    /// The nearest of `path` and its ancestors, the root included, that satisfies `predicate`.
    static func ancestor(of path: RepoPath, where predicate: (RepoPath) -> Bool) -> RepoPath? {
        var current = path
        while true {
            if predicate(current) { return current }
            if current.isEmpty { return nil }
            current = current.parent
        }
    }

    // MARK: - Dialects

    /// The tool's configuration first, then clues in the SQL, then PostgreSQL.
    func dialect(for candidate: Candidate) throws -> (Dialect, String) {
        if let configured = try configuredDialect(for: candidate) { return configured }
        var mysql = 0, sqlite = 0
        let sqlFiles = files.values.filter { $0.path.isInside(candidate.path) && FileName.hasSuffix($0.path.fileName.bytes, ".sql") }
            .sorted { $0.path < $1.path }
        for file in sqlFiles.prefix(20) {
            let scan = SQLScan(try text(file))
            if scan.hasBacktickIdentifiers { mysql += 1 }
            for statement in scan.statements {
                let tokens = statement.tokens
                for (index, token) in tokens.enumerated() {
                    switch token {
                    case "AUTO_INCREMENT": mysql += 1
                    case "ENGINE" where index + 1 < tokens.count && tokens[index + 1] == "=": mysql += 1
                    case "AUTOINCREMENT", "PRAGMA": sqlite += 1
                    default: break
                    }
                }
            }
        }
        if mysql > 0, mysql >= sqlite { return (.mysql, "the SQL uses MySQL syntax (backticks, ENGINE=, AUTO_INCREMENT)") }
        if sqlite > 0 { return (.sqlite, "the SQL uses SQLite syntax (AUTOINCREMENT, PRAGMA)") }
        return (.postgres, "no dialect clue; assuming PostgreSQL")
    }

    private func configuredDialect(for candidate: Candidate) throws -> (Dialect, String)? {
        switch candidate.format {
        case .prisma:
            let lock = file(candidate.path.appending("migration_lock.toml"))
            let schema = file(candidate.path.parent.appending("schema.prisma"))
            for config in [lock, schema].compactMap({ $0 }) {
                if let dialect = Context.providerDialect(try text(config)) {
                    return (dialect, "\(config.path) names provider \(dialect.rawValue)")
                }
            }
        case .rails:
            let railsRoot = candidate.path.parent.parent
            if let config = file(railsRoot.appending("config/database.yml")),
               let (dialect, adapter) = Context.adapterDialect(try text(config)) {
                return (dialect, "\(config.path) uses adapter \(adapter)")
            }
        case .alembic:
            if let ini = alembicIni(near: candidate.path.fileName == RepoPath("versions") ? candidate.path.parent : candidate.path),
               let dialect = Context.urlDialect(try text(ini)) {
                return (dialect, "\(ini.path) connects with a \(dialect.rawValue) URL")
            }
        default:
            break
        }
        return nil
    }

    /// `provider = "mysql"` in `schema.prisma` or `migration_lock.toml`; the generator's
    /// `prisma-client-js` provider is not a database and is skipped.
    static func providerDialect(_ text: String) -> Dialect? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingSpaces == "provider" else { continue }
            let value = parts[1].trimmingSpaces.filter { $0 != "\"" }
            switch value {
            case "postgresql", "postgres", "cockroachdb": return .postgres
            case "mysql": return .mysql
            case "sqlite": return .sqlite
            default: continue
            }
        }
        return nil
    }

    /// The first `adapter:` of `config/database.yml`.
    static func adapterDialect(_ text: String) -> (Dialect, String)? {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingSpaces
            guard trimmed.hasPrefix("adapter:") else { continue }
            let adapter = String(trimmed.dropFirst("adapter:".count).trimmingSpaces.filter { $0 != "\"" && $0 != "'" })
            switch adapter {
            case "postgresql", "postgis": return (.postgres, adapter)
            case "mysql2", "trilogy", "mysql": return (.mysql, adapter)
            case "sqlite3", "sqlite": return (.sqlite, adapter)
            default: continue
            }
        }
        return nil
    }

    /// `sqlalchemy.url = mysql+pymysql://…` in `alembic.ini`.
    static func urlDialect(_ text: String) -> Dialect? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingSpaces == "sqlalchemy.url" else { continue }
            let scheme = parts[1].trimmingSpaces.prefix { $0 != "+" && $0 != ":" }
            switch scheme {
            case "postgresql", "postgres": return .postgres
            case "mysql", "mariadb": return .mysql
            case "sqlite": return .sqlite
            default: continue
            }
        }
        return nil
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        let isText: (Character) -> Bool = { $0 != " " && $0 != "\t" && $0 != "\r" }
        guard let start = firstIndex(where: isText), let end = lastIndex(where: isText) else { return "" }
        return self[start...end]
    }
}

public import MigCore

/// Alembic revisions: `versions/<rev>_<slug>.py` with `revision`/`down_revision` and
/// `def upgrade()`/`def downgrade()`. The set's folder is the script directory (holding
/// `env.py` and `versions/`) or `versions/` itself.
public struct AlembicFormat: MigrationFormat {
    public let kind = MigrationFormatKind.alembic

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        let versionsFolder = folder.appending("versions")
        let versions = scan.files.contains { $0.path.isInside(versionsFolder) } ? versionsFolder : folder
        for file in scan.files {
            // env.py, script.py.mako, alembic.ini beside versions/ belong to the environment.
            scan.sort(file, by: file.path.isInside(versions) ? AlembicFormat.revisionVerdict(scan.relativePath(file)) : .ignored)
        }
        var revisions: [(file: TreeFile, source: PythonSource, revision: AlembicRevision)] = []
        for named in scan.named {
            guard let text = try scan.text(of: named.file, in: tree, strict: true) else { continue }
            let source = PythonSource(text)
            guard let revision = source.moduleAssignment("revision")?.value.string, !revision.isEmpty else {
                scan.misnamed(named.file, "has no `revision = \"…\"`; Alembic does not load it as a revision")
                continue
            }
            revisions.append((named.file, source, AlembicFormat.revision(revision, in: source)))
        }
        let depths = AlembicFormat.depths(revisions.map(\.revision))
        let migrations = revisions.map { file, source, revision in
            Migration(file: file, format: .alembic, version: revision.revision,
                      order: VersionKey(parts: [VersionKey.number(depths[revision.revision] ?? 0), .text(revision.revision)]),
                      name: AlembicFormat.slug(of: file.path.fileName, revision: revision.revision),
                      kind: AlembicFormat.kind(of: source), down: AlembicFormat.down(of: source),
                      details: .alembic(revision))
        }
        return scan.finished(migrations)
    }

    /// Whether a file lies among the revisions depends on whether the folder has a `versions/`,
    /// which a name cannot tell: by name, files in `versions/` are, and so are those directly
    /// in the folder except the environment's `env.py`, as the folder may be `versions/` itself.
    /// The version is a guess from the default file template `<rev>_<slug>.py`: the revision id
    /// lives in the code, which `discover` reads.
    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        let components = relativePath.components
        let amongRevisions = folder?.fileName == RepoPath("versions")
            || components.first.map { $0.elementsEqual("versions".utf8) } == true
            || (components.count == 1 && relativePath.fileName != RepoPath("env.py"))
        return amongRevisions ? AlembicFormat.revisionVerdict(relativePath) : .ignored
    }

    /// Alembic loads every `.py` among the revisions (subfolders too with
    /// `recursive_version_locations`, which is harmless to assume) and fails on those without a
    /// `revision`, so by its name each is one.
    private static func revisionVerdict(_ relativePath: RepoPath) -> NameVerdict {
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".py") { return verdict }
        guard let stem = FileName.dropSuffix(relativePath.fileName.bytes, ".py") else { return .ignored }
        let revision = FileName.text(stem.split(separator: UInt8(ascii: "_")).first.map(Array.init) ?? stem)
        return .migration(version: revision, name: slug(of: relativePath.fileName, revision: revision), isDown: false)
    }

    private static func revision(_ id: String, in source: PythonSource) -> AlembicRevision {
        let parents: AlembicParents
        switch source.moduleAssignment("down_revision")?.value {
        case .string(let parent)?:
            parents = .one(parent)
        case .sequence(let items)?:
            let ids = items.compactMap(\.string)
            parents = ids.count == 1 ? .one(ids[0]) : ids.isEmpty ? .base : .merge(ids)
        default:
            parents = .base
        }
        return AlembicRevision(revision: id, downRevision: parents,
                               dependsOn: source.moduleAssignment("depends_on")?.value.strings ?? [],
                               branchLabels: source.moduleAssignment("branch_labels")?.value.strings ?? [])
    }

    /// Alembic runs a revision after all its parents, so the order key is the longest path
    /// from a base, then the id to keep the order total. Unknown parents count as bases.
    static func depths(_ revisions: [AlembicRevision]) -> [String: Int] {
        let byID = Dictionary(revisions.map { ($0.revision, $0) }, uniquingKeysWith: { first, _ in first })
        var depths: [String: Int] = [:]
        var visiting: Set<String> = []
        func depth(_ id: String) -> Int {
            if let known = depths[id] { return known }
            guard let revision = byID[id], visiting.insert(id).inserted else { return -1 }
            let parents = revision.downRevision.ids + revision.dependsOn
            let value = (parents.map(depth).max() ?? -1) + 1
            visiting.remove(id)
            depths[id] = value
            return value
        }
        for revision in revisions { _ = depth(revision.revision) }
        return depths
    }

    /// The file name without the revision id (`ae1027a6acf_add_users.py` → `add_users`).
    private static func slug(of fileName: RepoPath, revision: String) -> String {
        let stem = FileName.text(FileName.dropSuffix(fileName.bytes, ".py") ?? fileName.bytes)
        guard let start = stem.indices.first(where: { stem[$0...].hasPrefix(revision) }) else { return stem }
        let after = stem[stem.index(start, offsetBy: revision.count)...].drop { $0 == "_" || $0 == "-" }
        return after.isEmpty ? stem : String(after)
    }

    static func down(of source: PythonSource) -> DownPart {
        guard let downgrade = source.function(named: "downgrade") else { return .missing }
        if source.isEmpty(downgrade) { return .empty(.lines(downgrade.lines)) }
        if source.onlyRaises(downgrade) { return .irreversible(downgrade.lines) }
        return .section(downgrade.lines)
    }

    /// `op` helpers that neither change the schema nor move rows.
    private static let neutralOperations: Set<String> = ["get_bind", "get_context", "inline_literal", "f", "execute", "bulk_insert"]

    /// Data when `upgrade()` only moves rows (`op.bulk_insert`, `op.execute("UPDATE …")`),
    /// schema as soon as it calls another `op` helper or executes DDL, schema when unsure.
    static func kind(of source: PythonSource) -> MigrationKind {
        guard let upgrade = source.function(named: "upgrade") else { return .schema }
        var sawData = false
        for call in source.calls(in: upgrade.body) {
            if call.callee.hasPrefix("op."), !neutralOperations.contains(String(call.method)) { return .schema }
            if call.callee == "op.bulk_insert" { sawData = true }
            if call.method == "execute", let sql = call.arguments.first.flatMap(sqlText) {
                switch SQLScan(sql).classify() {
                case .schema?: return .schema
                case .data?: sawData = true
                case nil: break
                }
            }
        }
        return sawData ? .data : .schema
    }

    /// A SQL string, bare or wrapped in `sa.text(…)`.
    private static func sqlText(_ value: PythonValue) -> String? {
        switch value {
        case .string(let sql): sql
        case .call(let call) where call.method == "text": call.arguments.first?.string
        default: nil
        }
    }
}

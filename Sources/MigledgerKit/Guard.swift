public import MigCore
import MigFormats
public import MigGit
import MigLedger
public import MigPolicy
import MigRules
import MigSQL
import Foundation

/// Judges commits against the ledgers and the policy (DESIGN §5 ledger, order and naming rules):
/// what `check` and the pre-receive hook run.
///
/// Per commit it compares each migration folder's tree id with the parents' first, and diffs
/// only the folders that changed, so a push costs in proportion to what it touches.
public struct Guard {
    let workspace: Workspace
    private let builders: [(set: Workspace.MigrationSetInfo, builder: SubjectBuilder)]
    /// Findings dated for exceptions' expiry.
    let today: CalendarDate
    /// Version indexes by migration-folder tree id: each commit's is its parent's plus a delta.
    private let indexes = IndexCache()
    /// The content rules, for migrations no environment has run yet; nil leaves them out.
    private let content: ContentFindings?
    private let deployed: ProjectedFiles
    /// Tables created by pending migrations, by migration-folder tree id.
    private let pendingTables = PendingTablesCache()

    /// Loads what the protected environments have run: each ledger plus the deploy markers it
    /// has not recorded yet, since post-receive or the pipeline may lag behind.
    /// `contentRules` adds the content rules' findings on migrations that no environment has run
    /// yet: the safety policy of DESIGN's hook, `check` and `gate`.
    public init(workspace: Workspace, today: CalendarDate = .today(), contentRules: Bool = false) throws {
        self.workspace = workspace
        self.today = today
        content = contentRules ? ContentFindings(policy: workspace.policy, today: today) : nil
        let protected = Set(workspace.policy.protected)
        let sync = LedgerSync(repository: workspace.repository, folders: workspace.trackedFolders)
        var projections: [String: [RepoPath: ProjectedEntry]] = [:]
        for environment in workspace.policy.environments where protected.contains(environment.name) {
            projections[environment.name] = try sync.projection(environment)
        }
        let deployed = ProjectedFiles(projections: projections)
        self.deployed = deployed
        let mode = EditComparison.Mode(workspace.policy.immutability)
        let layouts = Dictionary(workspace.policy.migrations.map { ($0.path, $0.layout) }, uniquingKeysWith: { first, _ in first })
        builders = workspace.migrationSets.map { set in
            let context = SetContext(path: set.path, format: set.format, dialect: set.dialect,
                                     splitLayout: layouts[set.path] == .split)
            return (set, SubjectBuilder(set: context, immutability: mode, deployed: deployed))
        }
    }

    /// Findings for each commit against its parents, in the order given.
    public func check(commits: [ObjectID]) throws -> [Finding] {
        var findings: [Finding] = []
        for id in commits {
            let commit = try workspace.repository.commit(id)
            let parents = try commit.parents.map { try workspace.repository.treeID(ofCommit: $0) }
            findings += try check(tree: commit.tree, parents: parents, commit: commit)
        }
        return findings
    }

    /// Findings for a ref's move as a whole, named after its new tip: what the tree at `new`
    /// holds that the tree at `old` did not. Moving a branch onto commits the server already
    /// has (a fast-forward or merge of a branch pushed before a deploy, a force push back past
    /// a deployed file) brings no new commit, yet changes what the branch deploys.
    public func check(refMovingFrom old: ObjectID, to new: ObjectID) throws -> [Finding] {
        let tip = try workspace.repository.commit(new)
        return try check(tree: tip.tree, parents: [try workspace.repository.treeID(ofCommit: old)], commit: tip)
    }

    /// Findings for one tree against its parent trees (none: a root commit, everything new).
    /// A merge is judged only on what it brings that no parent had.
    public func check(tree: ObjectID, parents: [ObjectID], commit: CommitInfo?) throws -> [Finding] {
        let repository = workspace.repository
        let source = GitTreeSource(repository: repository, tree: tree)
        var findings: [Finding] = []
        for (set, builder) in builders {
            let folder = try folderTree(set.path, in: tree)
            let parentFolders = try parents.map { try folderTree(set.path, in: $0) }
            if parentFolders.contains(folder) { continue }
            var deltas = try repository.diff(from: parentFolders.first ?? nil, to: folder, detectRenames: true).map { delta in
                FileDelta(status: Self.status(delta.status), oldPath: set.path.appending(delta.oldPath),
                          newPath: set.path.appending(delta.newPath), oldBlob: delta.oldID.hex, newBlob: delta.newID.hex)
            }
            if parentFolders.count > 1 {
                deltas = try deltas.filter { delta in
                    try !parents.dropFirst().contains { parent in
                        let there = try repository.entry(at: delta.newPath, inTree: parent)?.id.hex
                        return delta.status == .deleted ? there == nil : there == delta.newBlob
                    }
                }
            }
            guard !deltas.isEmpty else { continue }
            let index = { () throws -> VersionIndex in
                if let folder, let known = self.indexes.get(folder) { return known }
                let derived = try parentFolders.first.flatMap { $0 }.flatMap { self.indexes.get($0) }?.applying(deltas, builder: builder)
                    ?? builder.versionIndex(listing: source)
                if let folder { self.indexes.put(folder, derived) }
                return derived
            }
            for subject in try builder.subjects(for: deltas, after: source, blobs: source, index: index) {
                findings += findingsFor(subject, commit: commit)
                if let content, let contents = subject.contents, subject.deployments.isEmpty, subject.verdict.isMigrationFile {
                    // A file that cannot be read leaves every table live: more findings, never fewer.
                    let newTables = {
                        (try? self.pendingTables.get(folder, parent: parentFolders.first ?? nil,
                                                     added: self.pendingAdditions(deltas, source: source)) {
                            try self.tablesCreatedByPendingMigrations(in: set, source: source)
                        }) ?? []
                    }
                    let text = try MigrationReader.read(
                        path: subject.path, bytes: contents, format: set.format, dialect: set.dialect, newTables: newTables(),
                        placeholders: content.placeholders,
                        downFileContents: { try repository.entry(at: $0, inTree: tree).map { try repository.blob($0.id) } })
                    findings += content.findings(for: text, shownAs: subject.path, commit: commit?.id.hex,
                                                 author: commit.map { "\($0.author.name) <\($0.author.email)>" })
                }
            }
        }
        return findings
    }

    private func findingsFor(_ subject: RuleSubject, commit: CommitInfo?) -> [Finding] {
        var findings: [Finding] = []
        // The file's own ignore comments cover history rules too: on the finding's line, or
        // anywhere in the file for a finding about the file as a whole (its name, its version).
        let suppressions = subject.contents.map { Suppressions.find(in: $0, format: subject.set.format) } ?? []
        for rule in RuleRegistry.all {
            let id = rule.description.id
            let configured = workspace.policy.severity(of: id)
            guard configured != .off, workspace.policy.exception(for: id, at: subject.path, on: today) == nil else { continue }
            for hit in rule.init().check(subject) where !suppressions.contains(where: { suppression in
                suppression.rules.contains(id) && (hit.line == nil || suppression.target == hit.line)
            }) {
                findings.append(Finding(
                    rule: id, severity: hit.severity ?? configured, path: subject.path, line: hit.line, column: hit.column,
                    message: hit.message, help: hit.help, environments: hit.environments, commit: commit?.id.hex,
                    author: commit.map { "\($0.author.name) <\($0.author.email)>" }))
            }
        }
        return findings
    }

    /// Tables that migrations of the set no protected environment has run create: new and
    /// empty, so the lock and rewrite rules leave them alone.
    private func tablesCreatedByPendingMigrations(in set: Workspace.MigrationSetInfo, source: GitTreeSource) throws -> Set<String> {
        var tables = Set<String>()
        for file in try source.files(under: set.path) where file.mode == .regular {
            guard !deployed.isDeployed(file.path) else { continue }
            tables.formUnion(try pendingTables.names(inBlob: file.objectID) { try source.contents(of: file) })
        }
        return tables
    }

    /// What a commit's changes add to its parent's pending tables, or nil when they remove
    /// something (a deletion or rename), which needs the whole set read again.
    private func pendingAdditions(_ deltas: [FileDelta], source: GitTreeSource) -> () throws -> Set<String>? {
        {
            var tables = Set<String>()
            for delta in deltas {
                guard delta.status == .added || delta.status == .modified else { return nil }
                guard !self.deployed.isDeployed(delta.newPath) else { continue }
                let file = TreeFile(path: delta.newPath, objectID: delta.newBlob, mode: .regular)
                tables.formUnion(try self.pendingTables.names(inBlob: delta.newBlob) { try source.contents(of: file) })
            }
            return tables
        }
    }

    private func folderTree(_ path: RepoPath, in tree: ObjectID) throws -> ObjectID? {
        guard let entry = try workspace.repository.entry(at: path, inTree: tree), entry.kind == .tree else { return nil }
        return entry.id
    }

    private static func status(_ status: DeltaStatus) -> FileDelta.Status {
        switch status {
        case .added, .copied: .added
        case .deleted: .deleted
        case .renamed: .renamed
        case .modified, .typeChanged, .other: .modified
        }
    }
}

extension EditComparison.Mode {
    init(_ immutability: Policy.Immutability) {
        switch immutability {
        case .exact: self = .exact
        case .lineEndings: self = .lineEndings
        case .whitespace: self = .whitespace
        case .tokens: self = .tokens
        }
    }
}

/// A small cache of version indexes, so a push's commits reuse their parents' indexes; bounded,
/// because only the newest commits' parents are asked for again.
private final class IndexCache {
    private var entries: [ObjectID: VersionIndex] = [:]
    private var order: [ObjectID] = []

    func get(_ folder: ObjectID) -> VersionIndex? { entries[folder] }

    func put(_ folder: ObjectID, _ index: VersionIndex) {
        if entries.updateValue(index, forKey: folder) == nil { order.append(folder) }
        if order.count > 64 { entries[order.removeFirst()] = nil }
    }
}

/// Pending tables by folder tree id, and each file's by blob id: a range's commits share most
/// files, so each blob is read once.
private final class PendingTablesCache {
    private var entries: [ObjectID: Set<String>] = [:]
    private var blobs: [String: Set<String>] = [:]

    func names(inBlob id: String, contents: () throws -> [UInt8]) rethrows -> Set<String> {
        if let known = blobs[id] { return known }
        let names = CreatedTables.names(in: try contents())
        blobs[id] = names
        return names
    }

    /// The pending tables of a folder: known, else its parent's plus what the commit `added`
    /// (a push's commits mostly add one migration each), else read whole with `compute`.
    func get(_ folder: ObjectID?, parent: ObjectID?, added: () throws -> Set<String>?,
             compute: () throws -> Set<String>) rethrows -> Set<String> {
        guard let folder else { return try compute() }
        if let known = entries[folder] { return known }
        if entries.count > 64 { entries.removeAll() }
        let tables: Set<String>
        if let parent, let base = entries[parent], let addition = try added() {
            tables = base.union(addition)
        } else {
            tables = try compute()
        }
        entries[folder] = tables
        return tables
    }
}

/// The ledgers' projected entries, converted to rule values only for the paths asked about.
private struct ProjectedFiles: DeployedFiles {
    let projections: [String: [RepoPath: ProjectedEntry]]

    var environments: [String] { projections.keys.sorted() }

    func file(_ environment: String, at path: RepoPath) -> DeployedFile? {
        projections[environment]?[path].map { entry in
            DeployedFile(blob: entry.blob.hex, marker: entry.marker, deployedAt: Timestamp.iso8601(entry.deployedAt),
                         sourceCommit: entry.sourceCommit.hex)
        }
    }

    /// Whether any environment has run `path`; cheaper than `file`, which builds the entry.
    func isDeployed(_ path: RepoPath) -> Bool {
        projections.values.contains { $0[path] != nil }
    }

    func paths(_ environment: String) -> [RepoPath] {
        projections[environment].map { Array($0.keys) } ?? []
    }
}

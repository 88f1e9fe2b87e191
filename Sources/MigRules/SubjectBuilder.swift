public import MigCore
public import MigFormats
public import MigSQL

/// A path-level change inside a migration set, as a tree diff reports it.
public struct FileDelta: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case added
        case modified
        case deleted
        case renamed
    }

    public let status: Status
    public let oldPath: RepoPath
    public let newPath: RepoPath
    public let oldBlob: String
    public let newBlob: String

    public init(status: Status, oldPath: RepoPath, newPath: RepoPath, oldBlob: String, newBlob: String) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
        self.oldBlob = oldBlob
        self.newBlob = newBlob
    }
}

/// A file an environment has run, as its ledger records it.
public struct DeployedFile: Sendable, Hashable {
    public let blob: String
    public let marker: String
    public let deployedAt: String
    public let sourceCommit: String

    public init(blob: String, marker: String, deployedAt: String, sourceCommit: String) {
        self.blob = blob
        self.marker = marker
        self.deployedAt = deployedAt
        self.sourceCommit = sourceCommit
    }
}

/// Turns the deltas of one change to one migration set into rule subjects. The git engine and
/// the rule examples both go through here, so the examples test what the hook runs.
public struct SubjectBuilder {
    public let set: SetContext
    public let format: any MigrationFormat
    public let immutability: EditComparison.Mode
    /// Environment → deployed files of this set, by path.
    public let deployed: [String: [RepoPath: DeployedFile]]
    public let newestDeployed: [NewestDeployed]

    public init(set: SetContext, immutability: EditComparison.Mode, deployed: [String: [RepoPath: DeployedFile]]) {
        self.set = set
        self.format = MigrationFormats.format(for: set.format)
        self.immutability = immutability
        var inSet: [String: [RepoPath: DeployedFile]] = [:]
        var newest: [NewestDeployed] = []
        for (environment, files) in deployed {
            var best: (VersionKey, String, RepoPath)?
            for (path, file) in files {
                guard let relative = path.relative(to: set.path), !relative.isEmpty else { continue }
                inSet[environment, default: [:]][path] = file
                guard case .migration(let version, _, false) = format.nameVerdict(ofFileAt: relative, in: set.path) else { continue }
                let key = VersionKey(parsing: version)
                if best.map({ key > $0.0 || (key == $0.0 && path > $0.2) }) ?? true { best = (key, version, path) }
            }
            if let best { newest.append(NewestDeployed(environment: environment, version: best.1, path: best.2)) }
        }
        self.deployed = inSet
        self.newestDeployed = newest.sorted { $0.environment < $1.environment }
    }

    /// Subjects for the deltas that concern migration files, reading contents through `after`
    /// (the tree after the change) and any blob by id through `blobs`. `index` gives the set's
    /// versions after the change; it is asked only when the change names a new file, and the
    /// caller may derive it from the parent's index (`VersionIndex.applying`) instead of a listing.
    public func subjects(for deltas: [FileDelta], after: some TreeSource, blobs: some TreeSource,
                         index: () throws -> VersionIndex) throws -> [RuleSubject] {
        var subjects: [RuleSubject] = []
        var versions: VersionIndex?
        var heads: [String]??
        for delta in deltas {
            let path = delta.status == .deleted ? delta.oldPath : delta.newPath
            guard let relative = path.relative(to: set.path), !relative.isEmpty else { continue }
            let verdict = format.nameVerdict(ofFileAt: relative, in: set.path)
            let change: RuleSubject.Change
            switch delta.status {
            case .added: change = .added
            case .modified: change = .modified
            case .deleted: change = .deleted
            case .renamed: change = .renamed(from: delta.oldPath)
            }
            let deployedPath = delta.status == .renamed ? delta.oldPath : path
            let deployments = try deployments(of: deployedPath, blobs: blobs)
            if case .ignored = verdict, deployments.isEmpty { continue }
            let contents = delta.status == .deleted ? nil : try blobs.contents(of: file(path, delta.newBlob))
            let isNewName = delta.status == .added || delta.status == .renamed
            var sameVersion: [RepoPath] = []
            var isEarliest = false
            if isNewName, case .migration(let version, _, false) = verdict {
                if versions == nil { versions = try index() }
                let key = VersionKey(parsing: version)
                sameVersion = versions?.paths(withVersion: key).filter { $0 != path } ?? []
                isEarliest = versions?.isEarliest(key, in: path.parent) ?? false
            }
            if isNewName, heads == nil { heads = .some(try graphHeads(after)) }
            subjects.append(RuleSubject(
                path: path, change: change, set: set, verdict: verdict, contents: contents,
                kind: set.splitLayout ? try kind(of: path, contents: contents, after: after) : nil,
                deployments: deployments, newestDeployed: newestDeployed, sameVersion: sameVersion, isEarliest: isEarliest,
                heads: isNewName ? heads ?? nil : nil, immutability: immutability))
        }
        return subjects
    }

    /// The set's versions in `tree`, from a full listing.
    public func versionIndex(listing tree: some TreeSource) throws -> VersionIndex {
        VersionIndex().applying(try tree.files(under: set.path).map { file in
            FileDelta(status: .added, oldPath: file.path, newPath: file.path, oldBlob: "", newBlob: file.objectID)
        }, builder: self)
    }

    /// For graph-ordered formats the heads in `tree`; nil for the others.
    private func graphHeads(_ tree: some TreeSource) throws -> [String]? {
        switch set.format {
        case .alembic, .django: Self.heads(of: try format.discover(in: tree, folder: set.path).migrations)
        default: nil
        }
    }

    /// The version of a migration file (not a down file) of this set, from its name.
    func version(of path: RepoPath) -> VersionKey? {
        guard let relative = path.relative(to: set.path), !relative.isEmpty,
              case .migration(let version, _, false) = format.nameVerdict(ofFileAt: relative, in: set.path) else { return nil }
        return VersionKey(parsing: version)
    }

    private func deployments(of path: RepoPath, blobs: some TreeSource) throws -> [Deployment] {
        try deployed.keys.sorted().compactMap { environment in
            guard let file = deployed[environment]?[path] else { return nil }
            return Deployment(environment: environment, blob: file.blob,
                              contents: try blobs.contents(of: self.file(path, file.blob)), marker: file.marker,
                              deployedAt: file.deployedAt, sourceCommit: file.sourceCommit)
        }
    }

    private func file(_ path: RepoPath, _ blob: String) -> TreeFile {
        TreeFile(path: path, objectID: blob, mode: .regular)
    }

    /// Schema or data from the file's own contents, never from the folder it sits in (the rule
    /// that uses this checks the folder).
    private func kind(of path: RepoPath, contents: [UInt8]?, after: some TreeSource) throws -> MigrationKind? {
        guard let contents, let text = String(validating: contents, as: UTF8.self) else { return nil }
        switch set.format {
        case .sql, .flyway, .golangMigrate, .dbmate, .prisma:
            return SQLScan(text).kind()
        case .rails, .alembic, .django:
            let single = try format.discover(in: after, folder: set.path).migrations.first { $0.path == path }
            return single?.kind
        }
    }
}

/// The migrations of a set by version, kept up to date delta by delta so that a long push costs
/// one folder listing rather than one per commit.
public struct VersionIndex: Sendable {
    private var byVersion: [VersionKey: [RepoPath]] = [:]
    private var countsByFolder: [RepoPath: [VersionKey: Int]] = [:]

    public init() {}

    /// This index with the deltas' removals and additions applied.
    public func applying(_ deltas: [FileDelta], builder: SubjectBuilder) -> VersionIndex {
        var index = self
        for delta in deltas {
            if delta.status != .added, let key = builder.version(of: delta.oldPath) { index.remove(delta.oldPath, key) }
            if delta.status != .deleted, let key = builder.version(of: delta.newPath) { index.add(delta.newPath, key) }
        }
        return index
    }

    private mutating func add(_ path: RepoPath, _ key: VersionKey) {
        byVersion[key, default: []].append(path)
        countsByFolder[path.parent, default: [:]][key, default: 0] += 1
    }

    private mutating func remove(_ path: RepoPath, _ key: VersionKey) {
        byVersion[key]?.removeAll { $0 == path }
        if byVersion[key]?.isEmpty == true { byVersion[key] = nil }
        countsByFolder[path.parent]?[key]? -= 1
        if countsByFolder[path.parent]?[key] == 0 { countsByFolder[path.parent]?[key] = nil }
    }

    func paths(withVersion version: VersionKey) -> [RepoPath] { byVersion[version] ?? [] }

    func isEarliest(_ version: VersionKey, in folder: RepoPath) -> Bool {
        !(countsByFolder[folder]?.keys.contains { $0 < version } ?? false)
    }
}

extension SubjectBuilder {
    /// Migrations nothing builds on: alembic revisions no other names as `down_revision`, and
    /// per Django app, migrations no other of the app depends on.
    static func heads(of migrations: [Migration]) -> [String] {
        var alembicParents: Set<String> = []
        var djangoDependedOn: Set<String> = []
        for migration in migrations {
            if let revision = migration.details.alembic {
                alembicParents.formUnion(revision.downRevision.ids)
            }
            if let django = migration.details.django {
                for dependency in django.dependencies {
                    if case .migration(let app, let name) = dependency { djangoDependedOn.insert("\(app):\(name)") }
                }
            }
        }
        var heads: [String] = []
        for migration in migrations {
            if let revision = migration.details.alembic, !alembicParents.contains(revision.revision) {
                heads.append(revision.revision)
            }
            if let django = migration.details.django {
                let name = migration.path.fileName.description.replacingSuffix(".py")
                if !djangoDependedOn.contains("\(django.app):\(name)") { heads.append("\(django.app):\(name)") }
            }
        }
        return heads.sorted()
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

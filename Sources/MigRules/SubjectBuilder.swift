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
    /// (the tree after the change) and any blob by id through `blobs`.
    public func subjects(for deltas: [FileDelta], after: some TreeSource, blobs: some TreeSource) throws -> [RuleSubject] {
        var subjects: [RuleSubject] = []
        var setAfter: SetAfterChange?
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
            if isNewName, setAfter == nil { setAfter = try SetAfterChange(set: set, format: format, tree: after) }
            var sameVersion: [RepoPath] = []
            var isEarliest = false
            if isNewName, case .migration(let version, _, false) = verdict {
                let key = VersionKey(parsing: version)
                sameVersion = setAfter?.paths(withVersion: key).filter { $0 != path } ?? []
                isEarliest = setAfter?.isEarliest(key, in: path.parent) ?? false
            }
            subjects.append(RuleSubject(
                path: path, change: change, set: set, verdict: verdict, contents: contents,
                kind: set.splitLayout ? try kind(of: path, contents: contents, after: after) : nil,
                deployments: deployments, newestDeployed: newestDeployed, sameVersion: sameVersion, isEarliest: isEarliest,
                heads: isNewName ? setAfter?.heads : nil, immutability: immutability))
        }
        return subjects
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

/// The set after the change: versions by path and, for graph formats, the heads.
private struct SetAfterChange {
    private var byVersion: [VersionKey: [RepoPath]] = [:]
    private var earliestByFolder: [RepoPath: VersionKey] = [:]
    let heads: [String]?

    init(set: SetContext, format: any MigrationFormat, tree: some TreeSource) throws {
        for file in try tree.files(under: set.path) {
            guard let relative = file.path.relative(to: set.path),
                  case .migration(let version, _, false) = format.nameVerdict(ofFileAt: relative, in: set.path) else { continue }
            let key = VersionKey(parsing: version)
            byVersion[key, default: []].append(file.path)
            if earliestByFolder[file.path.parent].map({ key < $0 }) ?? true { earliestByFolder[file.path.parent] = key }
        }
        switch set.format {
        case .alembic, .django:
            heads = Self.heads(of: try format.discover(in: tree, folder: set.path).migrations)
        default:
            heads = nil
        }
    }

    func paths(withVersion version: VersionKey) -> [RepoPath] { byVersion[version] ?? [] }

    func isEarliest(_ version: VersionKey, in folder: RepoPath) -> Bool {
        earliestByFolder[folder].map { version <= $0 } ?? true
    }

    /// Migrations nothing builds on: alembic revisions no other names as `down_revision`, and
    /// per Django app, migrations no other of the app depends on.
    private static func heads(of migrations: [Migration]) -> [String] {
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

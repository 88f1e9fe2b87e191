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

/// What environments have run, looked up by path. Implementations convert lazily: a push reads
/// a handful of entries, while a ledger holds thousands.
public protocol DeployedFiles {
    var environments: [String] { get }
    /// The file `environment` ran at `path`, if it ran one.
    func file(_ environment: String, at path: RepoPath) -> DeployedFile?
    /// Every path `environment` ran.
    func paths(_ environment: String) -> [RepoPath]
}

/// Deployed files held in dictionaries, for the examples and small callers.
public struct DeployedTable: DeployedFiles {
    public let files: [String: [RepoPath: DeployedFile]]

    public init(_ files: [String: [RepoPath: DeployedFile]]) {
        self.files = files
    }

    public var environments: [String] { files.keys.sorted() }
    public func file(_ environment: String, at path: RepoPath) -> DeployedFile? { files[environment]?[path] }
    public func paths(_ environment: String) -> [RepoPath] { files[environment].map { Array($0.keys) } ?? [] }
}

/// Turns the deltas of one change to one migration set into rule subjects. The git engine and
/// the rule examples both go through here, so the examples test what the hook runs.
public struct SubjectBuilder {
    public let set: SetContext
    public let format: any MigrationFormat
    public let immutability: EditComparison.Mode
    public let deployed: any DeployedFiles
    private let newest = NewestCache()

    public init(set: SetContext, immutability: EditComparison.Mode, deployed: any DeployedFiles) {
        self.set = set
        self.format = MigrationFormats.format(for: set.format)
        self.immutability = immutability
        self.deployed = deployed
    }

    /// Per environment, the newest migration of this set it ran; computed once, when a change
    /// first names a new file.
    var newestDeployed: [NewestDeployed] {
        if let known = newest.value { return known }
        let value = deployed.environments.compactMap { environment in newestMigration(of: environment) }
        newest.value = value
        return value
    }

    /// The newest migration by version. Names that start with their numeric version (most
    /// formats) are ranked by their digits without parsing, and only the best few are confirmed
    /// by the format; other names are parsed one by one.
    private func newestMigration(of environment: String) -> NewestDeployed? {
        var numbered: [(digits: ArraySlice<UInt8>, path: RepoPath)] = []
        var best: (key: VersionKey, version: String, path: RepoPath)?
        func consider(_ path: RepoPath) {
            guard let relative = path.relative(to: set.path), !relative.isEmpty,
                  case .migration(let version, _, false) = format.nameVerdict(ofFileAt: relative, in: set.path) else { return }
            let key = VersionKey(parsing: version)
            if best.map({ key > $0.key || (key == $0.key && path > $0.path) }) ?? true { best = (key, version, path) }
        }
        for path in deployed.paths(environment) where path.isInside(set.path) {
            let name = path.bytes[(path.bytes.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0)...]
            let digits = name.prefix { $0 >= 0x30 && $0 <= 0x39 }
            if digits.isEmpty {
                consider(path)
            } else {
                numbered.append((digits.drop { $0 == 0x30 }, path))
            }
        }
        numbered.sort { lhs, rhs in
            lhs.digits.count != rhs.digits.count ? lhs.digits.count > rhs.digits.count
                : !lhs.digits.elementsEqual(rhs.digits) ? lhs.digits.lexicographicallyPrecedes(rhs.digits) == false
                : lhs.path > rhs.path
        }
        // The first numbered name the format accepts is the newest of them; names the format
        // rejects (look-alikes) are skipped.
        if let first = numbered.first(where: { isMigration($0.path) }) { consider(first.path) }
        return best.map { NewestDeployed(environment: environment, version: $0.version, path: $0.path) }
    }

    private func isMigration(_ path: RepoPath) -> Bool {
        guard let relative = path.relative(to: set.path),
              case .migration(_, _, false) = format.nameVerdict(ofFileAt: relative, in: set.path) else { return false }
        return true
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
            if isNewName, case .migration(let version, let name, false) = verdict {
                if versions == nil { versions = try index() }
                sameVersion = versions?.paths(withVersion: version, builder: self).filter { $0 != path } ?? []
                // Only a name such as `initial`, vague unless first, needs the folder scanned.
                if VagueNames.isVague(name) && !VagueNames.isVague(name, isFirst: true) {
                    isEarliest = versions?.isEarliest(version, in: path.parent, builder: self) ?? false
                }
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
        try deployed.environments.compactMap { environment in
            guard let file = deployed.file(environment, at: path) else { return nil }
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
///
/// A name that starts with digits is filed under those digits without asking the format (most
/// formats put their numeric version first, and the hook files thousands of names); such
/// entries are confirmed by the format only when a query names their digits.
public struct VersionIndex: Sendable {
    private enum Key: Hashable, Sendable {
        case digits([UInt8])
        case version(VersionKey)
    }

    private var byKey: [Key: [RepoPath]] = [:]
    private var keysByFolder: [RepoPath: [Key: Int]] = [:]

    public init() {}

    /// This index with the deltas' removals and additions applied.
    public func applying(_ deltas: [FileDelta], builder: SubjectBuilder) -> VersionIndex {
        var index = self
        for delta in deltas {
            if delta.status != .added, let key = Self.key(of: delta.oldPath, builder: builder) { index.remove(delta.oldPath, key) }
            if delta.status != .deleted, let key = Self.key(of: delta.newPath, builder: builder) { index.add(delta.newPath, key) }
        }
        return index
    }

    private static func key(of path: RepoPath, builder: SubjectBuilder) -> Key? {
        if let digits = leadingDigits(path.fileName.bytes) { return .digits(digits) }
        return builder.version(of: path).map(Key.version)
    }

    /// The leading digits without leading zeros (`000` is `0`), or nil when there are none.
    private static func leadingDigits(_ name: some Collection<UInt8>) -> [UInt8]? {
        let digits = name.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty else { return nil }
        let significant = digits.drop { $0 == 0x30 }
        return significant.isEmpty ? [0x30] : Array(significant)
    }

    private mutating func add(_ path: RepoPath, _ key: Key) {
        byKey[key, default: []].append(path)
        keysByFolder[path.parent, default: [:]][key, default: 0] += 1
    }

    private mutating func remove(_ path: RepoPath, _ key: Key) {
        byKey[key]?.removeAll { $0 == path }
        if byKey[key]?.isEmpty == true { byKey[key] = nil }
        keysByFolder[path.parent]?[key]? -= 1
        if keysByFolder[path.parent]?[key] == 0 { keysByFolder[path.parent]?[key] = nil }
    }

    /// The migrations with `version` (as the format reads it).
    func paths(withVersion version: String, builder: SubjectBuilder) -> [RepoPath] {
        let parsed = VersionKey(parsing: version)
        var candidates = byKey[.version(parsed)] ?? []
        if let digits = Self.leadingDigits(version.utf8) { candidates += byKey[.digits(digits)] ?? [] }
        return candidates.filter { builder.version(of: $0) == parsed }
    }

    /// True when no migration in `folder` has a version before `version`.
    func isEarliest(_ version: String, in folder: RepoPath, builder: SubjectBuilder) -> Bool {
        let parsed = VersionKey(parsing: version)
        for (key, _) in keysByFolder[folder] ?? [:] {
            for path in byKey[key] ?? [] where path.parent == folder {
                if let other = builder.version(of: path), other < parsed { return false }
            }
        }
        return true
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

/// Holds the lazily computed newest deployments of a builder.
private final class NewestCache {
    var value: [NewestDeployed]?
}

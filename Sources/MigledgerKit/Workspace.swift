public import MigCore
import MigFormats
public import MigGit
public import MigLedger
public import MigPolicy
public import Foundation

/// A repository with its policy and migration sets: what every command starts from.
public struct Workspace {
    public let repository: Repository
    public let policy: Policy
    /// Where the policy came from, for messages: a file path, `HEAD:migledger.yml`, or the preset.
    public let policySource: String
    /// The migration sets of the policy, or detected ones when the policy names none.
    public let migrationSets: [MigrationSetInfo]

    /// One migration folder and the format that reads it.
    public struct MigrationSetInfo: Sendable {
        public let path: RepoPath
        public let format: MigrationFormatKind
        public let dialect: Dialect
    }

    /// Opens the repository at `repositoryPath` (nil: the current directory, or git's hook
    /// environment), loads the policy from `policyPath`, else from the repository root (work tree
    /// file, or `HEAD`'s blob in a bare repository), else the embedded `recommended` preset.
    public static func open(repositoryPath: String?, policyPath: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        let repository = try Repository.open(at: repositoryPath, environment: environment)
        let (policy, source) = try loadPolicy(repository: repository, explicitPath: policyPath)
        let sets = try resolveSets(policy: policy, repository: repository)
        return Workspace(repository: repository, policy: policy, policySource: source, migrationSets: sets)
    }

    static func loadPolicy(repository: Repository, explicitPath: String?) throws -> (Policy, String) {
        if let explicitPath {
            guard FileManager.default.fileExists(atPath: explicitPath) else {
                throw UserFacingError(.usage, "the policy file \(explicitPath) does not exist (given with --policy)")
            }
            return (try Policy.load(contentsOf: URL(fileURLWithPath: explicitPath)), explicitPath)
        }
        if let workDirectory = repository.workDirectory {
            let folder = URL(fileURLWithPath: workDirectory)
            if let file = try Policy.file(in: folder) {
                return (try Policy.load(contentsOf: file), file.lastPathComponent)
            }
            return (Policy.recommended, presetSource)
        }
        if let head = try? repository.resolveCommit("HEAD"),
           let found = try policy(in: head, of: repository, label: "HEAD") {
            return found
        }
        return (Policy.recommended, presetSource)
    }

    static let presetSource = "the embedded 'recommended' preset"

    /// The policy file committed in `commit`, or nil when it has none.
    static func policy(in commit: ObjectID, of repository: Repository, label: String) throws -> (Policy, String)? {
        let tree = try repository.treeID(ofCommit: commit)
        for name in Policy.fileNames {
            if let entry = try repository.entry(at: RepoPath(name), inTree: tree), entry.kind == .blob {
                let source = "\(label):\(name)"
                return (try Policy.parse(try repository.blob(entry.id), fileName: source), source)
            }
        }
        return nil
    }

    static func resolveSets(policy: Policy, repository: Repository) throws -> [MigrationSetInfo] {
        try resolveSets(policy: policy, detectionTree: try defaultTree(repository))
    }

    /// The policy's sets, detecting formats (or, with no sets, whole sets) in `detectionTree`.
    static func resolveSets(policy: Policy, detectionTree: (any TreeSource)?) throws -> [MigrationSetInfo] {
        var detected: [DetectedSet]?
        func detection() throws -> [DetectedSet] {
            if let detected { return detected }
            let found = try detectionTree.map { try FormatDetector.detect(in: $0) } ?? []
            detected = found
            return found
        }
        if policy.migrations.isEmpty {
            return try detection().map { MigrationSetInfo(path: $0.path, format: $0.format, dialect: $0.dialect) }
        }
        return try policy.migrations.map { set in
            if let format = set.format {
                return MigrationSetInfo(path: set.path, format: format, dialect: set.dialect)
            }
            guard let match = try detection().first(where: { $0.path == set.path }) else {
                throw UserFacingError(.usage, "cannot tell the format of the migrations in \(set.path); set `format:` for it in the policy")
            }
            return MigrationSetInfo(path: set.path, format: match.format, dialect: set.dialect)
        }
    }

    /// The tree detection reads: the work tree when there is one (it holds uncommitted
    /// migrations too), else `HEAD`'s tree, else nothing (an empty repository).
    static func defaultTree(_ repository: Repository) throws -> (any TreeSource)? {
        if let workDirectory = repository.workDirectory {
            return WorkTreeSource(root: workDirectory)
        }
        guard let head = try? repository.resolveCommit("HEAD") else { return nil }
        return try GitTreeSource(repository: repository, commit: head)
    }

    /// The folders the ledger follows, each with its format's name-only classifier.
    public var trackedFolders: [TrackedFolder] {
        migrationSets.map { set in
            let format = MigrationFormats.format(for: set.format)
            return TrackedFolder(path: set.path) { relative in
                switch format.role(ofFileAt: relative) {
                case .migration: .migration
                case .repeatable: .mutable
                case .other: .other
                }
            }
        }
    }

    /// The migration version a ledgered path has, read from its name by its set's format.
    public func version(of path: RepoPath) -> String? {
        for set in migrationSets {
            guard let relative = path.relative(to: set.path) else { continue }
            if case .migration(let version) = MigrationFormats.format(for: set.format).role(ofFileAt: relative) {
                return version
            }
        }
        return nil
    }

    /// The policy's environment called `name`; an unknown name is a usage error with a suggestion.
    public func environment(named name: String) throws -> Policy.Environment {
        if let environment = policy.environment(named: name) { return environment }
        let known = policy.environments.map(\.name)
        let listing = known.isEmpty ? "the policy (\(policySource)) defines no environments" : "known: \(known.joined(separator: ", "))"
        throw UserFacingError(.usage, "unknown environment '\(name)'\(Suggestion.didYouMean(name, in: known)); \(listing)")
    }
}

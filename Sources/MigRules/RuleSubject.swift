public import MigCore
public import MigFormats
public import MigSQL

/// Everything a rule may look at for one migration file changed by one commit (or by the
/// staged change): the change itself, the file's name verdict and contents, what environments
/// have run, and the state of its migration set after the change.
public struct RuleSubject: Sendable {
    public enum Change: Sendable, Hashable {
        case added
        case modified
        case deleted
        case renamed(from: RepoPath)
    }

    /// The file's path after the change (its old path for a deletion).
    public let path: RepoPath
    public let change: Change
    public let set: SetContext
    /// What the format makes of the file's name.
    public let verdict: NameVerdict
    /// The bytes after the change; nil for a deletion.
    public let contents: [UInt8]?
    /// Schema or data, when the format can tell from the contents.
    public let kind: MigrationKind?
    /// The environments that ran this path (for a rename, the old path), with their bytes.
    public let deployments: [Deployment]
    /// Per environment that ran migrations of this set, its newest one.
    public let newestDeployed: [NewestDeployed]
    /// The other migration files of the set after the change that share this file's version.
    public let sameVersion: [RepoPath]
    /// True when no migration in the file's folder has an earlier version (Django apps and
    /// other subfolders count on their own): an `initial` name is fine there.
    public let isEarliest: Bool
    /// For graph-ordered formats (alembic, django), the heads after the change; nil otherwise.
    public let heads: [String]?
    public let immutability: EditComparison.Mode

    public init(path: RepoPath, change: Change, set: SetContext, verdict: NameVerdict, contents: [UInt8]?,
                kind: MigrationKind?, deployments: [Deployment], newestDeployed: [NewestDeployed],
                sameVersion: [RepoPath], isEarliest: Bool = false, heads: [String]?, immutability: EditComparison.Mode) {
        self.path = path
        self.change = change
        self.set = set
        self.verdict = verdict
        self.contents = contents
        self.kind = kind
        self.deployments = deployments
        self.newestDeployed = newestDeployed
        self.sameVersion = sameVersion
        self.isEarliest = isEarliest
        self.heads = heads
        self.immutability = immutability
    }

    /// True for files this change brings in under their current name.
    public var isNewName: Bool {
        switch change {
        case .added, .renamed: true
        case .modified, .deleted: false
        }
    }
}

/// The migration set a file belongs to.
public struct SetContext: Sendable, Hashable {
    public let path: RepoPath
    public let format: MigrationFormatKind
    public let dialect: Dialect
    /// The policy asks for data migrations under `<path>/data/` and schema under `<path>/schema/`.
    public let splitLayout: Bool

    public init(path: RepoPath, format: MigrationFormatKind, dialect: Dialect, splitLayout: Bool) {
        self.path = path
        self.format = format
        self.dialect = dialect
        self.splitLayout = splitLayout
    }
}

/// One environment's run of a file: the bytes it ran and how they got there.
public struct Deployment: Sendable, Hashable {
    public let environment: String
    public let blob: String
    public let contents: [UInt8]
    public let marker: String
    /// ISO 8601 UTC.
    public let deployedAt: String
    public let sourceCommit: String

    public init(environment: String, blob: String, contents: [UInt8], marker: String, deployedAt: String,
                sourceCommit: String) {
        self.environment = environment
        self.blob = blob
        self.contents = contents
        self.marker = marker
        self.deployedAt = deployedAt
        self.sourceCommit = sourceCommit
    }

    /// `production (2024-01-09T10:00:00Z, refs/tags/v1.0.0)`, for messages.
    public var summary: String { "\(environment) (\(deployedAt), \(marker))" }
}

/// The newest migration of a set that an environment has run.
public struct NewestDeployed: Sendable, Hashable {
    public let environment: String
    public let version: String
    public let path: RepoPath

    public init(environment: String, version: String, path: RepoPath) {
        self.environment = environment
        self.version = version
        self.path = path
    }
}

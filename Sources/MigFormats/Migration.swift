public import MigCore

/// One migration as its tool sees it: the file(s), the version, and where its rollback lives.
public struct Migration: Sendable, Hashable {
    /// The file the tool runs forward: the `.up.sql` for golang-migrate, the `V` file for
    /// Flyway, `migration.sql` for Prisma, the only file otherwise.
    public let file: TreeFile
    public let format: MigrationFormatKind
    /// The version exactly as written (`20240105093000`, `1_2`, an Alembic revision id).
    public let version: String
    /// Sorts migrations in the order the tool runs them.
    public let order: VersionKey
    /// The descriptive part of the name, as written (`add_status_to_users`).
    public let name: String
    public let kind: MigrationKind
    public let down: DownPart
    public let details: FormatDetails

    public init(file: TreeFile, format: MigrationFormatKind, version: String, order: VersionKey,
                name: String, kind: MigrationKind, down: DownPart, details: FormatDetails = .none) {
        self.file = file
        self.format = format
        self.version = version
        self.order = order
        self.name = name
        self.kind = kind
        self.down = down
        self.details = details
    }

    public var path: RepoPath { file.path }

    /// Every file that belongs to the migration, the forward one first: the ledger records
    /// them all, so editing a deployed `.down.sql` is caught like editing its `.up.sql`.
    public var files: [TreeFile] {
        switch down {
        case .separateFile(let downFile), .empty(.file(let downFile)):
            [file, downFile]
        default:
            [file]
        }
    }
}

/// Where a migration's rollback is, and whether there is one.
public enum DownPart: Sendable, Hashable {
    /// A file of its own: golang-migrate and sql `.down.sql`, Flyway's `U` file.
    case separateFile(TreeFile)
    /// A section or function of the migration file, 1-based lines inclusive: dbmate
    /// `-- migrate:down`, sql `-- down`, Rails `def down`, Alembic `def downgrade()`.
    case section(ClosedRange<Int>)
    /// The framework derives the rollback: Rails `def change`, Django `operations` whose every
    /// `RunPython`/`RunSQL` has its reverse. Lines are those of the method or the list.
    case reversibleChange(ClosedRange<Int>)
    /// A down exists but refuses to run (`raise ActiveRecord::IrreversibleMigration`,
    /// `raise NotImplementedError`): declared irreversible on purpose.
    case irreversible(ClosedRange<Int>)
    /// A down exists but does nothing: `pass`, only comments, an empty section or file.
    case empty(DownLocation)
    case missing
    /// The tool has no rollbacks here: Prisma, Flyway `R__` repeatables.
    case notApplicable
}

/// Where an empty down part is, so a finding can point at it.
public enum DownLocation: Sendable, Hashable {
    case file(TreeFile)
    case lines(ClosedRange<Int>)
}

/// What only some formats know: the graph of Alembic and Django, Flyway's migration types.
public enum FormatDetails: Sendable, Hashable {
    case none
    case alembic(AlembicRevision)
    case django(DjangoMigrationInfo)
    case flyway(FlywayInfo)

    public var alembic: AlembicRevision? {
        if case .alembic(let value) = self { value } else { nil }
    }

    public var django: DjangoMigrationInfo? {
        if case .django(let value) = self { value } else { nil }
    }

    public var flyway: FlywayInfo? {
        if case .flyway(let value) = self { value } else { nil }
    }
}

/// An Alembic revision's place in the revision graph.
public struct AlembicRevision: Sendable, Hashable {
    public let revision: String
    public let downRevision: AlembicParents
    public let dependsOn: [String]
    public let branchLabels: [String]

    public init(revision: String, downRevision: AlembicParents, dependsOn: [String], branchLabels: [String]) {
        self.revision = revision
        self.downRevision = downRevision
        self.dependsOn = dependsOn
        self.branchLabels = branchLabels
    }
}

/// `down_revision`: `None` for a base, one id, or a tuple when the revision merges heads.
public enum AlembicParents: Sendable, Hashable {
    case base
    case one(String)
    case merge([String])

    public var ids: [String] {
        switch self {
        case .base: []
        case .one(let id): [id]
        case .merge(let ids): ids
        }
    }
}

/// A Django migration's app and its edges in the migration graph.
public struct DjangoMigrationInfo: Sendable, Hashable {
    /// The app label: the folder holding `migrations/`. Versions compare only within one app.
    public let app: String
    public let dependencies: [DjangoDependency]
    public let runBefore: [DjangoDependency]
    /// Migrations a squashed migration stands for.
    public let replaces: [DjangoDependency]
    public let isInitial: Bool
    /// Every `RunPython`/`RunSQL` operation, for rules on reversibility.
    public let codeOperations: [DjangoCodeOperation]

    public init(app: String, dependencies: [DjangoDependency], runBefore: [DjangoDependency],
                replaces: [DjangoDependency], isInitial: Bool, codeOperations: [DjangoCodeOperation]) {
        self.app = app
        self.dependencies = dependencies
        self.runBefore = runBefore
        self.replaces = replaces
        self.isInitial = isInitial
        self.codeOperations = codeOperations
    }
}

public enum DjangoDependency: Sendable, Hashable {
    /// `("app", "0001_initial")`; the name may be `__first__` or `__latest__`.
    case migration(app: String, name: String)
    /// `migrations.swappable_dependency(settings.AUTH_USER_MODEL)`: resolved by settings.
    case swappable(setting: String)
}

/// A `RunPython` or `RunSQL` operation and its reverse.
public struct DjangoCodeOperation: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable {
        case runPython = "RunPython"
        case runSQL = "RunSQL"
    }

    public enum Reverse: Sendable, Hashable {
        case missing
        /// `RunPython.noop` / `RunSQL.noop`: reversible, doing nothing.
        case noop
        case given
    }

    public let operation: Operation
    public let line: Int
    public let reverse: Reverse

    public init(operation: Operation, line: Int, reverse: Reverse) {
        self.operation = operation
        self.line = line
        self.reverse = reverse
    }
}

/// Flyway's migration types.
public struct FlywayInfo: Sendable, Hashable {
    /// `R__` files run again whenever their checksum changes: editing them is the design.
    public let isRepeatable: Bool
    /// The `U` file undoing this version, when there is one.
    public let undo: TreeFile?

    public init(isRepeatable: Bool, undo: TreeFile?) {
        self.isRepeatable = isRepeatable
        self.undo = undo
    }
}

/// A path and why it was set aside.
public struct PathNote: Sendable, Hashable {
    public let path: RepoPath
    public let message: String

    public init(path: RepoPath, message: String) {
        self.path = path
        self.message = message
    }
}

/// Everything found in one migration folder, each file in exactly one list. (A Django project
/// folder lists only what lies in its apps' `migrations/` folders.)
public struct Discovery: Sendable, Hashable {
    /// In run order (by `order`, then path).
    public var migrations: [Migration]
    /// Files that are no concern: READMEs, `__init__.py`, `schema.rb`, the tool's own config.
    public var ignored: [RepoPath]
    /// Files that look meant as migrations but that the tool would skip or reject; the
    /// message says which pattern they miss. The `migration-naming` rule reports these.
    public var misnamed: [PathNote]
    /// Entries that cannot be read as migrations: links, submodules, binary or undecodable
    /// content, files the tool would fail on.
    public var problems: [PathNote]

    public init(migrations: [Migration] = [], ignored: [RepoPath] = [], misnamed: [PathNote] = [],
                problems: [PathNote] = []) {
        self.migrations = migrations
        self.ignored = ignored
        self.misnamed = misnamed
        self.problems = problems
    }
}

public import MigCore
public import MigFormats
import MigGit
import MigLedger
public import MigPolicy
import MigRules
import MigSQL

/// One pending migration as content rules read it: the migration, its set, and the bytes of
/// each of its files (the forward file first).
public struct ContentSubject: Sendable {
    public let migration: Migration
    public let set: Workspace.MigrationSetInfo
    public let files: [ContentFile]
    /// Tables that migrations the environment has not run yet create: new and empty there.
    public let newTables: Set<String>

    public init(migration: Migration, set: Workspace.MigrationSetInfo, files: [ContentFile], newTables: Set<String> = []) {
        self.migration = migration
        self.set = set
        self.files = files
        self.newTables = newTables
    }
}

/// A file of a pending migration with its bytes.
public struct ContentFile: Sendable {
    public let file: TreeFile
    public let contents: [UInt8]
}

/// Where the gate gets content (SQL safety) findings for a pending migration: the content rules
/// under the policy by default (`GateService.contentRules`), anything else in tests. Findings at
/// error severity block.
public typealias GateContentCheck = @Sendable (ContentSubject) throws -> [Finding]

/// A migration the environment would run, in run order.
public struct PendingMigration: Sendable, Hashable {
    public let path: RepoPath
    public let version: String
    public let kind: MigrationKind
    /// Where its rollback is, in words (`db/x.down.sql`, `lines 4-6`, `none`).
    public let down: String
}

/// What `migledger gate` found: what would run, and what blocks.
public struct GateReport: Sendable {
    public let environment: String
    /// The environments that must run a migration first (the policy's `after`).
    public let after: [String]
    public let revision: String
    public let commit: String
    public let commitSummary: String
    /// In run order, set by set.
    public let pending: [PendingMigration]
    /// Migrations of the commit that the environment has already run.
    public let alreadyRun: Int
    public let findings: [Finding]

    /// True when a finding at error severity blocks the release.
    public var isBlocked: Bool { findings.contains { $0.severity == .error } }
}

/// The release gate (DESIGN §8): before `commit` goes to an environment, what it will run and
/// whether that is safe, judged against the environment's ledger and its `after` environments.
public enum GateService {
    /// No content findings, for tests of the history side alone.
    public static let noContentRules: GateContentCheck = { _ in [] }

    /// The content rules under the workspace's policy: severities, exceptions, ignore comments,
    /// placeholders, and the subject's new tables.
    public static func contentRules(_ workspace: Workspace, today: CalendarDate) -> GateContentCheck {
        let content = ContentFindings(policy: workspace.policy, today: today)
        return { subject in
            guard let forward = subject.files.first else { return [] }
            let text = MigrationReader.read(path: forward.file.path, bytes: forward.contents, format: subject.set.format,
                                            dialect: subject.set.dialect, newTables: subject.newTables,
                                            placeholders: content.placeholders, down: subject.migration.down,
                                            downFile: subject.files.dropFirst().first?.contents)
            return content.findings(for: text, shownAs: forward.file.path)
        }
    }

    /// `contentFindings` nil: the content rules under the policy (`contentRules`).
    public static func run(_ workspace: Workspace, environment name: String, revision: String?,
                           today: CalendarDate = .today(),
                           contentFindings: GateContentCheck? = nil) throws -> GateReport {
        let contentFindings = contentFindings ?? contentRules(workspace, today: today)
        let environment = try workspace.environment(named: name)
        guard !workspace.migrationSets.isEmpty else {
            throw UserFacingError(.usage, "no migration folders: the policy names none and none were detected; add them under `migrations:` (or run `migledger init`)")
        }
        let repository = workspace.repository
        let commitID = try CheckService.resolve(revision ?? "HEAD", in: repository, role: "commit")
        let commit = try repository.commit(commitID)
        let source = GitTreeSource(repository: repository, tree: commit.tree)
        let sync = LedgerSync(repository: repository, folders: workspace.trackedFolders)
        let deployed = try sync.projection(environment)
        let earlier = try environment.after.map { after in
            (after, try sync.projection(try workspace.environment(named: after)))
        }
        let judge = Judge(workspace: workspace, today: today, commit: commit)

        var findings: [Finding] = []
        var pending: [PendingMigration] = []
        var alreadyRun = 0
        for set in workspace.migrationSets {
            let files = try source.files(under: set.path)
            let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            let setDeployed = deployed.filter { $0.key.isInside(set.path) }
            findings += try judge.deployedFiles(setDeployed, in: byPath, environment: environment.name, source: source, set: set)

            let discovery = try MigrationFormats.format(for: set.format).discover(in: source, folder: set.path)
            let newest = newestVersion(setDeployed.keys, set: set)
            // Each pending migration's files, read once: for the tables they create and for the rules.
            var pendingFiles: [RepoPath: [ContentFile]] = [:]
            var newTables = Set<String>()
            for migration in discovery.migrations where deployed[migration.path] == nil {
                let files = try migration.files.map { ContentFile(file: $0, contents: try source.contents(of: $0)) }
                pendingFiles[migration.path] = files
                newTables.formUnion(CreatedTables.names(in: files[0].contents))
            }
            for migration in discovery.migrations {
                if deployed[migration.path] != nil {
                    alreadyRun += 1
                    continue
                }
                pending.append(PendingMigration(migration))
                if let newest, hasVersionOrder(set.format), migration.order < newest.key {
                    findings += judge.finding(
                        "out-of-order-migration", at: migration.path,
                        message: "Version \(migration.version) sorts before \(newest.version) (\(newest.path.fileName)), which \(environment.name) has already run: the tool will refuse or skip it.",
                        help: "Give the migration a new version after \(newest.version) (rename it with a current timestamp).",
                        environments: [environment.name])
                }
                for (after, ran) in earlier {
                    findings += try judge.promotion(of: migration, by: after, ran: ran[migration.path], to: environment.name, source: source, set: set)
                }
                findings += try contentFindings(ContentSubject(migration: migration, set: set, files: pendingFiles[migration.path] ?? [],
                                                               newTables: newTables))
            }
        }
        return GateReport(environment: environment.name, after: environment.after, revision: revision ?? "HEAD",
                          commit: commitID.hex, commitSummary: commit.summary, pending: pending,
                          alreadyRun: alreadyRun, findings: findings.filter { $0.severity != .off })
    }

    /// Graph-ordered formats run by their revision graph, not by version, so "older" means nothing there.
    private static func hasVersionOrder(_ format: MigrationFormatKind) -> Bool {
        format != .alembic && format != .django
    }

    private static func newestVersion(_ paths: Dictionary<RepoPath, ProjectedEntry>.Keys,
                                      set: Workspace.MigrationSetInfo) -> (key: VersionKey, version: String, path: RepoPath)? {
        let format = MigrationFormats.format(for: set.format)
        var best: (key: VersionKey, version: String, path: RepoPath)?
        for path in paths {
            guard let relative = path.relative(to: set.path),
                  case .migration(let version, _, false) = format.nameVerdict(ofFileAt: relative, in: set.path) else { continue }
            let key = VersionKey(parsing: version)
            if best.map({ key > $0.key }) ?? true { best = (key, version, path) }
        }
        return best
    }
}

/// Makes the gate's findings, with the policy's severities and exceptions applied.
private struct Judge {
    let workspace: Workspace
    let today: CalendarDate
    let commit: CommitInfo

    func finding(_ rule: String, at path: RepoPath, line: Int? = nil, column: Int? = nil, severity: Severity? = nil,
                 message: String, help: String, environments: [String]) -> [Finding] {
        let configured = workspace.policy.severity(of: rule)
        guard configured != .off, workspace.policy.exception(for: rule, at: path, on: today) == nil else { return [] }
        return [Finding(rule: rule, severity: severity ?? configured, path: path, line: line, column: column,
                        message: message, help: help, environments: environments, commit: commit.id.hex)]
    }

    /// Every file the environment ran, against the commit's tree: edited, deleted, renamed, or
    /// missing because the commit does not contain the deploy that brought it (a rollback).
    func deployedFiles(_ deployed: [RepoPath: ProjectedEntry], in files: [RepoPath: TreeFile], environment: String,
                       source: GitTreeSource, set: Workspace.MigrationSetInfo) throws -> [Finding] {
        let repository = workspace.repository
        let byBlob = Dictionary(files.values.map { ($0.objectID, $0.path) }, uniquingKeysWith: min)
        var findings: [Finding] = []
        for (path, entry) in deployed.sorted(by: { $0.key < $1.key }) {
            let ran = "\(environment) ran it on \(Timestamp.iso8601(entry.deployedAt)) through \(entry.marker)"
            if let file = files[path] {
                guard file.objectID != entry.blob.hex else { continue }
                let old = try repository.blob(entry.blob), new = try source.contents(of: file)
                switch EditComparison.compare(old: old, new: new, mode: EditComparison.Mode(workspace.policy.immutability),
                                              language: EditComparison.Language(set.format, path: path)) {
                case .identical:
                    continue
                case .allowed(let reason):
                    findings += finding(
                        "modified-deployed-migration", at: path, severity: .note,
                        message: "This deployed migration was edited, but \(reason), which immutability: \(workspace.policy.immutability.rawValue) allows.",
                        help: "Nothing to do; the environment's schema is unaffected.", environments: [environment])
                case .changed(let change):
                    let (line, column) = Self.start(of: change, in: new)
                    findings += finding(
                        "modified-deployed-migration", at: path, line: line, column: column,
                        message: "This migration was edited after it ran (\(ran)); \(environment) will never run the new bytes.",
                        help: "Restore the deployed bytes (git show \(entry.blob.shortHex)) and make the change in a new migration.",
                        environments: [environment])
                }
                continue
            }
            let descends = try commit.id == entry.sourceCommit || repository.isDescendant(commit.id, of: entry.sourceCommit)
            if !descends {
                findings += finding(
                    "rollback-deploy", at: path,
                    message: "\(environment) has run this migration (\(ran)), but \(commit.id.shortHex) does not contain it: the commit is older than what \(environment) runs, or on a branch without its deploy.",
                    help: "Deploy a commit that descends from \(entry.sourceCommit.shortHex), or merge that deploy's branch into this one.",
                    environments: [environment])
            } else if let renamed = byBlob[entry.blob.hex] {
                findings += finding(
                    "renamed-deployed-migration", at: path,
                    message: "This migration, which \(ran), was renamed to \(renamed); the tool will run it again under the new name.",
                    help: "Restore the deployed name \(path.fileName).", environments: [environment])
            } else {
                findings += finding(
                    "deleted-deployed-migration", at: path,
                    message: "This migration was deleted although \(ran).",
                    help: "Restore the file (git show \(entry.blob.shortHex)); to undo what it did, write a new migration.",
                    environments: [environment])
            }
        }
        return findings
    }

    /// Where an edit shows in the new file; one that starts at a line break (lines appended)
    /// is read on the next line.
    private static func start(of change: EditComparison.Change, in contents: [UInt8]) -> (Int, Int) {
        let offset = change.new.offset
        if offset < contents.count, contents[offset] == UInt8(ascii: "\n") || contents[offset] == UInt8(ascii: "\r") {
            return (change.new.line + 1, 1)
        }
        return (change.new.line, change.new.column)
    }

    /// A pending migration must have run, with the same bytes, in every `after` environment.
    func promotion(of migration: Migration, by after: String, ran: ProjectedEntry?, to environment: String,
                   source: GitTreeSource, set: Workspace.MigrationSetInfo) throws -> [Finding] {
        guard let ran else {
            return finding(
                "not-promoted", at: migration.path,
                message: "\(after) has not run this migration yet; the policy lets \(environment) run a migration only after \(after) ran it.",
                help: "Deploy this commit to \(after) first, then to \(environment).",
                environments: [after, environment])
        }
        guard ran.blob.hex != migration.file.objectID else { return [] }
        let verdict = EditComparison.compare(
            old: try workspace.repository.blob(ran.blob), new: try source.contents(of: migration.file),
            mode: EditComparison.Mode(workspace.policy.immutability), language: EditComparison.Language(set.format, path: migration.path))
        guard case .changed(let change) = verdict else { return [] }
        let (line, column) = Self.start(of: change, in: try source.contents(of: migration.file))
        return finding(
            "not-promoted", at: migration.path, line: line, column: column,
            message: "\(after) ran different bytes of this migration (through \(ran.marker)); \(environment) would run a version \(after) never ran.",
            help: "Deploy this commit to \(after) first, or restore the bytes \(after) ran (git show \(ran.blob.shortHex)).",
            environments: [after, environment])
    }
}

extension PendingMigration {
    init(_ migration: Migration) {
        let down: String
        switch migration.down {
        case .separateFile(let file): down = file.path.fileName.description
        case .section(let lines): down = "lines \(lines.lowerBound)-\(lines.upperBound)"
        case .reversibleChange: down = "derived by the framework"
        case .irreversible: down = "irreversible (declared)"
        case .empty: down = "empty"
        case .missing: down = "none"
        case .notApplicable: down = "not applicable"
        }
        self.init(path: migration.path, version: migration.version, kind: migration.kind, down: down)
    }
}

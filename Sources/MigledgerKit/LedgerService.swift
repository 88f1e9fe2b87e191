public import MigCore
import MigGit
public import MigLedger
import MigPolicy
public import Foundation

/// The ledger commands: sync, record, show, verify and audit (DESIGN §3, §4).
public enum LedgerService {
    /// Syncs the named environments (all of the policy's when empty), in policy order.
    public static func sync(_ workspace: Workspace, environments names: [String], dryRun: Bool) throws -> [SyncReport] {
        let environments = try names.isEmpty ? workspace.policy.environments : names.map(workspace.environment(named:))
        guard !environments.isEmpty else {
            throw UserFacingError(.usage, "the policy (\(workspace.policySource)) defines no environments; add one under `environments:` with its deploy refs")
        }
        try requireMigrationSets(workspace)
        let folders = workspace.trackedFolders
        guard environments.count > 1 else {
            return try [LedgerSync(repository: workspace.repository, folders: folders).sync(environments[0], dryRun: dryRun)]
        }
        // Each environment has its own ref and cache, so they sync side by side, each through a
        // repository handle of its own (libgit2 handles are not shared between threads).
        let location = workspace.repository.location
        return try concurrentMap(environments.count) { index in
            try LedgerSync(repository: Repository.open(location), folders: folders).sync(environments[index], dryRun: dryRun)
        }
    }

    /// Records an explicit deploy of `revision` to `environment`, stamped with `now`.
    public static func record(_ workspace: Workspace, environment name: String, revision: String,
                              now: Date = Date(), dryRun: Bool = false) throws -> SyncReport {
        let environment = try workspace.environment(named: name)
        try requireMigrationSets(workspace)
        let commit: ObjectID
        do {
            commit = try workspace.repository.resolveCommit(revision)
        } catch {
            guard [.notFound, .invalidSpec, .ambiguous].contains(error.code) else { throw error }
            throw UserFacingError(.usage, "'\(revision)' names no commit in this repository (\(error.message))")
        }
        let sync = LedgerSync(repository: workspace.repository, folders: workspace.trackedFolders)
        return try sync.record(environment: environment.name, commit: commit,
                               at: GitTime(seconds: Int64(now.timeIntervalSince1970)), dryRun: dryRun)
    }

    private static func requireMigrationSets(_ workspace: Workspace) throws {
        guard !workspace.migrationSets.isEmpty else {
            throw UserFacingError(.usage, "no migration folders: the policy names none and none were detected; add them under `migrations:` (or run `migledger init`)")
        }
    }

    /// Environments to show or audit: the one named, else the policy's and any other that has a
    /// ledger ref.
    static func environmentNames(_ workspace: Workspace, only name: String?) throws -> [String] {
        if let name {
            if workspace.policy.environment(named: name) == nil,
               try !LedgerStore(repository: workspace.repository).environmentsWithLedgers().contains(name) {
                _ = try workspace.environment(named: name)
            }
            return [name]
        }
        var names = workspace.policy.environments.map(\.name)
        for name in try LedgerStore(repository: workspace.repository).environmentsWithLedgers() where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    public static func show(_ workspace: Workspace, environment: String?) throws -> [LedgerState] {
        let store = LedgerStore(repository: workspace.repository)
        return try environmentNames(workspace, only: environment).map { try store.read($0) }
    }

    /// Every chain's problems; the environments checked are returned too, for the report.
    public static func verify(_ workspace: Workspace) throws -> (environments: [String], problems: [LedgerProblem]) {
        let names = try LedgerStore(repository: workspace.repository).environmentsWithLedgers()
        let verifier = LedgerVerifier(repository: workspace.repository)
        return (names, try names.flatMap { try verifier.verify($0) })
    }

    /// Drift, deletions and rollbacks recorded in the ledgers, as findings naming the commit that
    /// made each change and its author.
    public static func audit(_ workspace: Workspace, environment: String?) throws -> [Finding] {
        let store = LedgerStore(repository: workspace.repository)
        var findings: [Finding] = []
        for name in try environmentNames(workspace, only: environment) {
            let state = try store.read(name)
            for event in state.events {
                findings.append(try finding(for: event, in: state, workspace: workspace))
            }
        }
        if environment == nil {
            let severity = workspace.policy.severity(of: "push-override")
            for record in try OverrideLog(repository: workspace.repository).records() {
                let refs = record.updates.compactMap { $0.split(separator: " ").last.map(String.init) }
                let newest = record.updates.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
                    .first { $0 != String(repeating: "0", count: 40) }
                findings.append(Finding(
                    rule: "push-override", severity: severity,
                    message: "\(record.pusher) pushed \(refs.joined(separator: ", ")) past the hook's findings on \(Timestamp.iso8601(record.pushedAt)): \(record.reason)",
                    help: "Review the pushed commits; the ledger rules they broke are reported again where deploys carry them.",
                    commit: newest, author: record.pusher))
            }
        }
        return findings.filter { $0.severity != .off }
    }

    private static func finding(for event: LedgerEvent, in state: LedgerState, workspace: Workspace) throws -> Finding {
        let repository = workspace.repository
        let entry = state.entries[event.path]
        let ran = entry.map { "\(state.environment) ran it on \(Timestamp.iso8601($0.deployedAt)) through \($0.marker)" }
            ?? "\(state.environment) ran it"
        let deploy = "the deploy of \(event.sourceCommit.shortHex) through \(event.marker) on \(Timestamp.iso8601(event.deployedAt))"
        let rule: String, message: String, help: String
        var culprit: CommitInfo?
        switch event.kind {
        case .drift:
            rule = "modified-deployed-migration"
            message = "This migration was edited after it was deployed (\(ran)); \(deploy) carried different bytes."
            help = "Restore the deployed bytes (git show \(entry?.blob.shortHex ?? "<blob>")) and make the change in a new migration."
            if let entry, let blob = event.blob {
                culprit = try introducingCommit(repository, path: event.path, from: event.sourceCommit, since: entry.sourceCommit) { $0 == blob }
            }
        case .deletion:
            rule = "deleted-deployed-migration"
            message = "This migration was deleted after it was deployed (\(ran)); \(deploy) no longer had it."
            help = "Restore the file: the environment's schema still contains what it did. Undo it with a new migration instead."
            if let entry {
                culprit = try introducingCommit(repository, path: event.path, from: event.sourceCommit, since: entry.sourceCommit) { $0 == nil }
            }
        case .rollback:
            rule = "rollback-deploy"
            message = "\(deploy.prefix(1).uppercased() + deploy.dropFirst()) lacks this migration, which \(state.environment) had already run: the environment is ahead of the code it runs."
            help = "Deploy a commit that descends from \(entry?.sourceCommit.shortHex ?? "the earlier deploy"), or merge the maintenance branch forward."
            culprit = try repository.commit(event.sourceCommit)
        }
        return Finding(rule: rule, severity: workspace.policy.severity(of: rule), path: event.path,
                       message: message, help: help, environments: [state.environment],
                       commit: (culprit?.id ?? event.sourceCommit).hex,
                       author: culprit.map { "\($0.author.name) <\($0.author.email)>" })
    }

    /// The newest commit between `since` and `from` after which `path`'s blob satisfies `matches`
    /// while it did not before: the commit that made the change.
    private static func introducingCommit(_ repository: Repository, path: RepoPath, from: ObjectID, since: ObjectID,
                                          matches: (ObjectID?) -> Bool) throws -> CommitInfo? {
        guard repository.contains(from) else { return nil }
        let walk = try repository.walk(pushing: [from], hiding: repository.contains(since) ? [since] : [])
        while let id = try walk.next() {
            let commit = try repository.commit(id)
            let now = try repository.entry(at: path, inTree: commit.tree)?.id
            guard matches(now) else { continue }
            let before = try commit.parents.first.map { parent throws(GitError) in
                try repository.entry(at: path, inTree: repository.treeID(ofCommit: parent))?.id
            } ?? nil
            if !matches(before) { return commit }
        }
        return nil
    }
}

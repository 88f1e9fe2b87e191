public import MigCore
public import MigGit
import MigFormats
import MigLedger
import MigPolicy
import MigReport
public import Foundation

/// One line of a hook's standard input.
public struct RefUpdate: Sendable, Hashable {
    public let old: ObjectID
    public let new: ObjectID
    public let name: String

    public var isCreation: Bool { old.isZero }
    public var isDeletion: Bool { new.isZero }
    public var line: String { "\(old.hex) \(new.hex) \(name)" }
}

/// What a hook run prints (behind git's `remote:` prefix) and how it exits.
public struct HookOutcome: Sendable {
    public let status: ExitStatus
    public let message: String
    public let findings: [Finding]
}

/// The server-side hooks (DESIGN §6).
public enum HookService {
    /// Parses `<old> <new> <ref>` lines strictly: a push is refused rather than half-read.
    public static func parseInput(_ bytes: [UInt8]) throws -> [RefUpdate] {
        guard !bytes.isEmpty else {
            throw UserFacingError(.usage, "no ref updates on standard input; git passes `<old> <new> <ref>` lines to this hook")
        }
        guard bytes.last == UInt8(ascii: "\n") else {
            throw UserFacingError(.usage, "the hook input is truncated (its last line has no newline)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UserFacingError(.usage, "the hook input is not UTF-8 text")
        }
        var updates: [RefUpdate] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 3, let old = ObjectID(hex: fields[0]), let new = ObjectID(hex: fields[1]),
                  fields[2].hasPrefix("refs/"), fields[2].count > 5,
                  !fields[2].unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{7F}" }) else {
                let shown = line.count > 120 ? line.prefix(120) + "…" : line
                throw UserFacingError(.usage, "line \(index + 1) of the hook input is not `<old-sha> <new-sha> <refs/...>`: '\(shown)'")
            }
            if old.isZero && new.isZero {
                throw UserFacingError(.usage, "line \(index + 1) of the hook input updates \(fields[2]) from nothing to nothing")
            }
            updates.append(RefUpdate(old: old, new: new, name: String(fields[2])))
        }
        return updates
    }

    /// Judges a push before git updates any ref. Writes nothing: git refuses ref updates in
    /// pre-receive and deletes quarantined objects after, so anything written here could corrupt
    /// the repository. Fails closed unless the policy says `hook.on-error: allow`.
    public static func preReceive(input: [UInt8], environment: [String: String], repositoryPath: String?,
                                  policyPath: String?) -> HookOutcome {
        let updates: [RefUpdate]
        do {
            updates = try parseInput(input)
        } catch {
            return HookOutcome(status: .usage, message: "migledger: push refused: \(error)\n", findings: [])
        }
        let ledgerUpdates = updates.filter { $0.name.hasPrefix(LedgerStore.refPrefix) || $0.name == OverrideLog.refName }
        if !ledgerUpdates.isEmpty {
            let names = ledgerUpdates.map(\.name).joined(separator: ", ")
            return HookOutcome(status: .blocked, message: """
                migledger: push refused: \(names) is migledger's ledger, written only on the server \
                (post-receive or `migledger ledger sync`/`record`); pushes may not change it.\n
                """, findings: [])
        }
        var onError = Policy.OnError.reject
        do {
            let repository = try Repository.open(at: repositoryPath, environment: environment)
            let (workspace, warning) = try hookWorkspace(repository, policyPath: policyPath, updates: updates)
            onError = workspace.policy.hook.onError
            let commits = try newCommits(repository, updates: updates)
            let checker = try Guard(workspace: workspace, contentRules: true)
            var findings = try checker.check(commits: commits)
            findings += try refMoveFindings(repository, updates: updates, checker: checker, reported: findings)
            return judge(findings, updates: updates, workspace: workspace, environment: environment,
                         preface: warning, commitCount: commits.count)
        } catch {
            let status = ExitStatus.forError(error)
            if onError == .allow && status == .failure {
                return HookOutcome(status: .passed, message: "migledger: could not check this push (\(error)); accepted because the policy says hook.on-error: allow\n", findings: [])
            }
            return HookOutcome(status: status == .passed ? .failure : status,
                               message: "migledger: push refused: \(error)\nmigledger fails closed; an administrator can set `hook: {on-error: allow}` in the policy.\n",
                               findings: [])
        }
    }

    /// The policy of the default branch as it was before the push (or the server's file), so a
    /// push cannot loosen the policy that judges it. A broken policy there would block its own
    /// fix, so the push is then judged by the embedded `recommended` preset, with a warning.
    static func hookWorkspace(_ repository: Repository, policyPath: String?,
                              updates: [RefUpdate]) throws -> (Workspace, String) {
        var warning = ""
        var policy = Policy.recommended
        var source = Workspace.presetSource
        let defaultBranch = repository.headReferenceName
        let defaultCommit = try defaultBranch.flatMap { try repository.referenceTarget($0) }
        if let policyPath {
            (policy, source) = try Workspace.loadPolicy(repository: repository, explicitPath: policyPath)
        } else if let defaultCommit {
            do {
                if let loaded = try Workspace.policy(in: defaultCommit, of: repository, label: defaultBranch ?? "HEAD") {
                    (policy, source) = loaded
                }
            } catch let error as PolicyError {
                warning = "migledger: warning: the policy on \(defaultBranch ?? "HEAD") is invalid, so this push is judged by the embedded 'recommended' preset:\n\(error)\n"
            }
        }
        let detectionCommit = defaultCommit ?? updates.first { !$0.isDeletion }?.new
        let detectionTree: (any TreeSource)? = try detectionCommit.flatMap { commit in
            try repository.peelToCommit(commit).map { try GitTreeSource(repository: repository, commit: $0) }
        }
        let sets = try Workspace.resolveSets(policy: policy, detectionTree: detectionTree)
        return (Workspace(repository: repository, policy: policy, policySource: source, migrationSets: sets), warning)
    }

    /// The commits of the push that no existing ref reaches, oldest first.
    static func newCommits(_ repository: Repository, updates: [RefUpdate]) throws -> [ObjectID] {
        let tips = try updates.filter { !$0.isDeletion }.compactMap { try repository.peelToCommit($0.new) }
        guard !tips.isEmpty else { return [] }
        let walk = try repository.walk(pushing: tips, order: [.topological, .reverse])
        try walk.hideReferences(matching: "refs/*")
        return try walk.all()
    }

    /// What each moved ref gained or lost as a whole, beyond what its new commits showed: the
    /// verdict on a branch must not depend on whether its commits reached the server earlier,
    /// under an older ledger, through another branch.
    static func refMoveFindings(_ repository: Repository, updates: [RefUpdate], checker: Guard,
                                reported: [Finding]) throws -> [Finding] {
        var seen = Set(reported.map { "\($0.rule) \($0.severity) \($0.path?.description ?? "")" })
        var findings: [Finding] = []
        for update in updates where !update.isCreation && !update.isDeletion {
            guard let old = try repository.peelToCommit(update.old), let new = try repository.peelToCommit(update.new),
                  old != new else { continue }
            for finding in try checker.check(refMovingFrom: old, to: new)
            where seen.insert("\(finding.rule) \(finding.severity) \(finding.path?.description ?? "")").inserted {
                findings.append(finding)
            }
        }
        return findings
    }

    private static func judge(_ findings: [Finding], updates: [RefUpdate], workspace: Workspace,
                              environment: [String: String], preface: String, commitCount: Int) -> HookOutcome {
        let blocking = findings.filter { $0.severity == .error }
        var message = preface
        let others = findings.filter { $0.severity != .error }
        if !others.isEmpty { message += render(others, heading: "migledger: \(others.count) note(s) and warning(s), not blocking:") }
        guard !blocking.isEmpty else {
            return HookOutcome(status: .passed, message: message, findings: findings)
        }
        let commits = Set(blocking.compactMap(\.commit)).count
        let heading = "migledger: push refused: \(blocking.count) problem(s) in \(commits) commit(s)"
        if let override = overrideRequest(environment) {
            let pusher = pusherName(environment, policy: workspace.policy)
            let allowed = workspace.policy.overrides.allowed
            if let pusher, allowed.contains(pusher), !override.trimmingCharacters(in: .whitespaces).isEmpty {
                message += render(blocking, heading: "migledger: override by \(pusher) (\(override)): accepting \(blocking.count) problem(s); it is recorded and `migledger audit` shows it.")
                return HookOutcome(status: .passed, message: message, findings: findings)
            }
            let who = pusher.map { "'\($0)'" } ?? "an unidentified pusher"
            let reason = override.trimmingCharacters(in: .whitespaces).isEmpty
                ? "an override needs a reason: -o migledger.override=\"why\""
                : "\(who) may not override (allowed: \(allowed.isEmpty ? "nobody" : allowed.joined(separator: ", ")))"
            message += render(blocking, heading: heading + "; \(reason)")
            return HookOutcome(status: .blocked, message: message, findings: findings)
        }
        message += render(blocking, heading: heading)
        if !workspace.policy.overrides.allowed.isEmpty {
            message += "An allowed user can push anyway with: git push -o migledger.override=\"<reason>\"\n"
        }
        return HookOutcome(status: .blocked, message: message, findings: findings)
    }

    /// One short block per problem, readable behind git's `remote:` prefix.
    static func render(_ findings: [Finding], heading: String) -> String {
        var out = "\(heading)\n"
        for finding in findings {
            let location = (finding.path?.description ?? "") + (finding.line.map { ":\($0)" } ?? "")
            out += "\n  \(finding.severity.rawValue) [\(finding.rule)] \(location)\n"
            out += "    \(finding.message)\n"
            if let commit = finding.commit {
                out += "    commit \(commit.prefix(12))" + (finding.author.map { " by \($0)" } ?? "") + "\n"
            }
            out += "    fix: \(finding.help)\n"
        }
        return out + "\n"
    }

    /// The reason given with `git push -o migledger.override=<reason>`, if any.
    static func overrideRequest(_ environment: [String: String]) -> String? {
        guard let count = environment["GIT_PUSH_OPTION_COUNT"].flatMap(Int.init), count > 0 else { return nil }
        for index in 0..<count {
            guard let option = environment["GIT_PUSH_OPTION_\(index)"] else { continue }
            if option.hasPrefix("migledger.override=") { return String(option.dropFirst("migledger.override=".count)) }
            if option == "migledger.override" { return "" }
        }
        return nil
    }

    /// Who pushed, as the forges tell their hooks, or the variable the policy names.
    static func pusherName(_ environment: [String: String], policy: Policy) -> String? {
        var names = ["GL_USERNAME", "GITHUB_USER_LOGIN", "GITEA_PUSHER_NAME"]
        if let variable = policy.overrides.variable { names.insert(variable, at: 0) }
        return names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    }

    /// After the refs moved: records the deploys that new or moved markers announce, and any
    /// override. Never fails the push (it has happened); problems are printed.
    public static func postReceive(input: [UInt8], environment: [String: String], repositoryPath: String?,
                                   policyPath: String?, now: Date = Date()) -> HookOutcome {
        do {
            let updates = try parseInput(input)
            let workspace = try Workspace.open(repositoryPath: repositoryPath, policyPath: policyPath, environment: environment)
            var message = ""
            if let reason = overrideRequest(environment), let pusher = pusherName(environment, policy: workspace.policy),
               workspace.policy.overrides.allowed.contains(pusher), !reason.trimmingCharacters(in: .whitespaces).isEmpty {
                try OverrideLog(repository: workspace.repository).append(OverrideRecord(
                    pusher: pusher, reason: reason, updates: updates.map(\.line),
                    pushedAt: GitTime(seconds: Int64(now.timeIntervalSince1970))))
                message += "migledger: recorded the override by \(pusher)\n"
            }
            let moved = updates.filter { !$0.isDeletion }
            let environments = workspace.policy.environments.filter { environment in
                moved.contains { environment.isDeployMarker($0.name) }
            }
            if !environments.isEmpty {
                let reports = try LedgerService.sync(workspace, environments: environments.map(\.name), dryRun: false)
                message += LedgerRendering.syncText(reports, dryRun: false).split(separator: "\n").map { "migledger: \($0)\n" }.joined()
            }
            return HookOutcome(status: .passed, message: message, findings: [])
        } catch {
            return HookOutcome(status: ExitStatus.forError(error), message: "migledger: post-receive could not update the ledger: \(error)\nRun `migledger ledger sync` on the server to catch up.\n", findings: [])
        }
    }
}

import MigCore
public import MigGit

/// One broken invariant of a ledger chain.
public struct LedgerProblem: Sendable, Hashable, CustomStringConvertible {
    public let environment: String
    public let commit: ObjectID
    public let message: String

    public var description: String { "\(environment): ledger commit \(commit.shortHex): \(message)" }
}

/// Checks the invariants of DESIGN §3 along every chain: linear, append-only (each commit holds
/// its parent's paths with identical blob ids), trailers well-formed and telling the truth.
public struct LedgerVerifier {
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Problems of one environment's chain, oldest commit first; empty when it is intact.
    public func verify(_ environment: String) throws(GitError) -> [LedgerProblem] {
        guard let tip = try repository.referenceTarget(LedgerStore.refName(environment)) else { return [] }
        var ids: [ObjectID] = []
        var infos: [ObjectID: CommitInfo] = [:]
        var problems: [LedgerProblem] = []
        var next: ObjectID? = tip
        while let id = next, infos[id] == nil {
            let info = try repository.commit(id)
            infos[id] = info
            ids.append(id)
            if info.parents.count > 1 {
                problems.append(LedgerProblem(environment: environment, commit: id,
                                              message: "has \(info.parents.count) parents; a ledger is a single chain"))
            }
            next = info.parents.first
        }
        if let id = next {
            problems.append(LedgerProblem(environment: environment, commit: id, message: "the chain loops back to this commit"))
        }
        var parentTree: ObjectID?
        for id in ids.reversed() {
            let info = infos[id]!
            problems += try check(info, parentTree: parentTree, environment: environment)
            parentTree = info.tree
        }
        return problems
    }

    private func check(_ info: CommitInfo, parentTree: ObjectID?, environment: String) throws(GitError) -> [LedgerProblem] {
        var problems: [String] = []
        let message: LedgerMessage?
        do {
            message = try LedgerMessage(parsing: info.message)
        } catch {
            message = nil
            problems.append("its message is not a ledger message: \(error.description)")
        }
        let deltas = try repository.diff(from: parentTree, to: info.tree)
        var added: [RepoPath: ObjectID] = [:]
        for delta in deltas {
            switch delta.status {
            case .added: added[delta.newPath] = delta.newID
            case .deleted: problems.append("drops the deployed entry \(delta.oldPath)")
            case .modified: problems.append("changes the deployed bytes of \(delta.oldPath) (blob \(delta.oldID.shortHex) became \(delta.newID.shortHex))")
            default: problems.append("changes the deployed entry \(delta.oldPath)")
            }
        }
        if let message {
            if message.environment != environment {
                problems.append("its Environment trailer says '\(message.environment)' but it is in the ledger of '\(environment)'")
            }
            let named = Set(message.added)
            if named.count != message.added.count {
                problems.append("names the same path in two Added trailers")
            }
            for path in added.keys.sorted() where !named.contains(path) {
                problems.append("adds \(path) without an Added trailer")
            }
            for path in message.added where added[path] == nil {
                problems.append("has an Added trailer for \(path), which it does not add")
            }
            if repository.contains(message.sourceCommit) {
                let sourceTree = try repository.treeID(ofCommit: message.sourceCommit)
                for (path, blob) in added.sorted(by: { $0.key < $1.key }) where named.contains(path) {
                    let original = try repository.entry(at: path, inTree: sourceTree)?.id
                    if original != blob {
                        problems.append("holds blob \(blob.shortHex) for \(path), but its Source-Commit \(message.sourceCommit.shortHex) has \(original?.shortHex ?? "no such file")")
                    }
                }
            } else {
                problems.append("its Source-Commit \(message.sourceCommit.shortHex) is not in this repository")
            }
        }
        return problems.map { LedgerProblem(environment: environment, commit: info.id, message: $0) }
    }
}

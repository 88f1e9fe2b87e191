public import MigGit
import Foundation

/// One push accepted past the hook's findings.
public struct OverrideRecord: Sendable, Hashable {
    public let pusher: String
    public let reason: String
    /// `<old> <new> <ref>` as the hook read them.
    public let updates: [String]
    public let pushedAt: GitTime

    public init(pusher: String, reason: String, updates: [String], pushedAt: GitTime) {
        self.pusher = pusher
        self.reason = reason
        self.updates = updates
        self.pushedAt = pushedAt
    }
}

/// Every override, as an append-only chain of commits under `refs/migledger-overrides`, so
/// `audit` can show who pushed past the hook, when and why. It lives outside
/// `refs/migledger/`, whose names are environments.
public struct OverrideLog {
    public static let refName = "refs/migledger-overrides"
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    public func append(_ record: OverrideRecord) throws(GitError) {
        let signature = Signature(name: record.pusher, email: "migledger@localhost", time: record.pushedAt)
        let oneLineReason = record.reason.replacingOccurrences(of: "\n", with: " ")
        var message = "Override by \(record.pusher)\n\nPusher: \(record.pusher)\nReason: \(oneLineReason)\n"
        message += "Pushed-At: \(Timestamp.iso8601(record.pushedAt))\n"
        message += record.updates.map { "Update: \($0)\n" }.joined()
        for attempt in 1...50 {
            let tip = try repository.referenceTarget(Self.refName)
            let commit = try repository.createCommit(tree: try repository.emptyTree(), parents: tip.map { [$0] } ?? [],
                                                     author: signature, committer: signature, message: message)
            do {
                try repository.updateReference(Self.refName, to: commit, expecting: tip, message: "migledger: override")
                return
            } catch {
                guard error.code == .modified || error.code == .locked, attempt < 50 else { throw error }
                usleep(UInt32.random(in: 1_000...20_000))
            }
        }
    }

    /// All overrides, oldest first.
    public func records() throws(GitError) -> [OverrideRecord] {
        guard let tip = try repository.referenceTarget(Self.refName) else { return [] }
        var records: [OverrideRecord] = []
        for id in try repository.walk(pushing: [tip], order: [.topological, .reverse]).all() {
            let message = try repository.commit(id).message
            var pusher = "", reason = "", updates: [String] = [], time = GitTime(seconds: 0)
            for line in message.split(separator: "\n") {
                if line.hasPrefix("Pusher: ") { pusher = String(line.dropFirst(8)) }
                if line.hasPrefix("Reason: ") { reason = String(line.dropFirst(8)) }
                if line.hasPrefix("Update: ") { updates.append(String(line.dropFirst(8))) }
                if line.hasPrefix("Pushed-At: "), let parsed = Timestamp.parse(String(line.dropFirst(11))) { time = parsed }
            }
            records.append(OverrideRecord(pusher: pusher, reason: reason, updates: updates, pushedAt: time))
        }
        return records
    }
}

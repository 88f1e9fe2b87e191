public import MigCore
public import MigGit
import Foundation

/// One commit of an environment's ledger chain.
public struct LedgerCommit: Sendable, Hashable {
    public let id: ObjectID
    public let tree: ObjectID
    public let message: LedgerMessage
}

/// A migration file an environment has run: its first-deployed bytes and where they came from.
public struct LedgerEntry: Sendable, Hashable {
    public let path: RepoPath
    public let blob: ObjectID
    public let sourceCommit: ObjectID
    public let marker: String
    public let deployedAt: GitTime
    /// The ledger commit that added the entry.
    public let ledgerCommit: ObjectID
}

/// Something a deploy did to an already deployed file, recorded but never written over it.
public struct LedgerEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The marker had different bytes for a deployed path.
        case drift
        /// The marker lacked a deployed path although it descends from the path's deploy.
        case deletion
        /// The marker lacked a deployed path because it does not descend from its deploy.
        case rollback
    }

    public let kind: Kind
    public let path: RepoPath
    /// The marker's blob for drift; nil otherwise.
    public let blob: ObjectID?
    public let sourceCommit: ObjectID
    public let marker: String
    public let deployedAt: GitTime
    public let ledgerCommit: ObjectID
}

/// An environment's ledger as read from `refs/migledger/<env>`.
public struct LedgerState: Sendable {
    public let environment: String
    /// The ref's commit, nil when the environment has no ledger yet.
    public let tip: ObjectID?
    /// Oldest first.
    public let commits: [LedgerCommit]
    /// Deployed files by path, from the tip's tree, with the deploy that added each.
    public let entries: [RepoPath: LedgerEntry]
    /// Drift, deletions and rollbacks, oldest first.
    public let events: [LedgerEvent]

    /// The deploys already recorded, as (marker ref name, source commit): a marker is recorded
    /// again only when it points at a commit it has not been recorded at.
    public var recordedDeploys: Set<DeployKey> {
        if let recordedFromCache { return recordedFromCache }
        return Set(commits.map { DeployKey(marker: $0.message.marker, commit: $0.message.sourceCommit) })
    }

    /// Set when the state came from the sync cache, which holds only the tip of `commits`.
    var recordedFromCache: Set<DeployKey>? = nil
    /// The cache file it came from, which the next cache extends.
    var cacheFile: SyncCacheFile? = nil
    /// Set when `entries` are still in `cacheFile` (see `LedgerStore.readForSync`).
    var entriesDeferred = false

    public var last: LedgerCommit? { commits.last }

    /// Entries in path order.
    public var sortedEntries: [LedgerEntry] { entries.values.sorted { $0.path < $1.path } }
}

/// Identifies one deploy: which marker pointed at which commit.
public struct DeployKey: Sendable, Hashable {
    public let marker: String
    public let commit: ObjectID

    public init(marker: String, commit: ObjectID) {
        self.marker = marker
        self.commit = commit
    }
}

/// The ledger is unreadable: a hand-edited or foreign commit sits in the chain.
public struct LedgerCorruption: Error, Sendable, CustomStringConvertible {
    public let environment: String
    public let commit: ObjectID
    public let reason: String

    public var description: String {
        "the ledger of '\(environment)' is damaged at commit \(commit.shortHex): \(reason). Run `migledger ledger verify` for details."
    }
}

/// Reads and appends ledger chains under `refs/migledger/`.
public struct LedgerStore {
    public let repository: Repository

    public static let refPrefix = "refs/migledger/"

    public init(repository: Repository) {
        self.repository = repository
    }

    public static func refName(_ environment: String) -> String { refPrefix + environment }

    /// Environments that have a ledger ref, whether or not the policy still names them.
    public func environmentsWithLedgers() throws(GitError) -> [String] {
        try repository.references(matching: Self.refPrefix + "*")
            .map { String($0.name.dropFirst(Self.refPrefix.count)) }
            .sorted()
    }

    /// The chain of `environment` from its root, without interpreting trees.
    public func chain(_ environment: String) throws -> [LedgerCommit] {
        guard let tip = try repository.referenceTarget(Self.refName(environment)) else { return [] }
        var commits: [LedgerCommit] = []
        var next: ObjectID? = tip
        var seen: Set<ObjectID> = []
        while let id = next {
            guard seen.insert(id).inserted else {
                throw LedgerCorruption(environment: environment, commit: id, reason: "the chain loops")
            }
            let info = try repository.commit(id)
            guard info.parents.count <= 1 else {
                throw LedgerCorruption(environment: environment, commit: id,
                                       reason: "a ledger commit has \(info.parents.count) parents")
            }
            let message: LedgerMessage
            do {
                message = try LedgerMessage(parsing: info.message)
            } catch {
                throw LedgerCorruption(environment: environment, commit: id, reason: error.description)
            }
            commits.append(LedgerCommit(id: id, tree: info.tree, message: message))
            next = info.parents.first
        }
        return commits.reversed()
    }

    /// The ledger of `environment` with its entries and events.
    public func read(_ environment: String) throws -> LedgerState {
        let commits = try chain(environment)
        var origin: [RepoPath: LedgerCommit] = [:]
        var events: [LedgerEvent] = []
        for commit in commits {
            let message = commit.message
            for path in message.added where origin[path] == nil { origin[path] = commit }
            func event(_ kind: LedgerEvent.Kind, _ path: RepoPath, _ blob: ObjectID?) -> LedgerEvent {
                LedgerEvent(kind: kind, path: path, blob: blob, sourceCommit: message.sourceCommit,
                            marker: message.marker, deployedAt: message.deployedAt, ledgerCommit: commit.id)
            }
            events += message.drift.map { event(.drift, $0.path, $0.blob) }
            events += message.deleted.map { event(.deletion, $0, nil) }
            events += message.rolledBack.map { event(.rollback, $0, nil) }
        }
        var entries: [RepoPath: LedgerEntry] = [:]
        if let last = commits.last {
            for file in try repository.files(inTree: last.tree) {
                guard let added = origin[file.path] else {
                    throw LedgerCorruption(environment: environment, commit: last.id,
                                           reason: "\(file.path) is in the ledger but no commit added it")
                }
                entries[file.path] = LedgerEntry(path: file.path, blob: file.entry.id,
                                                 sourceCommit: added.message.sourceCommit,
                                                 marker: added.message.marker,
                                                 deployedAt: added.message.deployedAt, ledgerCommit: added.id)
            }
        }
        return LedgerState(environment: environment, tip: commits.last?.id, commits: commits,
                           entries: entries, events: events)
    }

    // MARK: Sync cache

    /// Where sync keeps what it needs of a ledger (recorded deploys, entries and their deploy
    /// commits), valid only for the tip it names: reading the whole chain on every sync made
    /// an incremental sync cost as much as the number of deploys ever recorded.
    func cachePath(_ environment: String) -> String {
        let safe = environment.utf8.map { byte -> String in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
        return repository.gitDirectory + "migledger/sync-\(safe).cache"
    }

    /// The ledger as sync needs it: from the cache when it names the current tip (only the tip
    /// commit is read), else from the whole chain. With `deferringEntries`, a state from the
    /// cache comes without its entries until `withEntries` adds them: a sync that finds nothing
    /// new to record never needs them.
    public func readForSync(_ environment: String, writingCache: Bool = true, deferringEntries: Bool = false) throws -> LedgerState {
        guard let tip = try repository.referenceTarget(Self.refName(environment)) else {
            return LedgerState(environment: environment, tip: nil, commits: [], entries: [:], events: [])
        }
        if let cached = try readCache(environment, tip: tip, deferringEntries: deferringEntries) { return cached }
        let state = try read(environment)
        if writingCache, let file = SyncCacheFile.encode(tip: tip, deploys: state.recordedDeploys, entries: state.entries.mapValues {
            CachedEntry(blob: $0.blob, source: $0.sourceCommit, marker: $0.marker, deployedAt: $0.deployedAt)
        }, folders: TreeStore()) {
            Self.writeCache(file, to: cachePath(environment))
        }
        return state
    }

    /// `state` with the entries `readForSync` deferred.
    func withEntries(_ state: LedgerState) throws -> LedgerState {
        guard state.entriesDeferred, let tip = state.tip, let file = state.cacheFile, let last = state.last else { return state }
        guard let entries = Self.entries(of: file) else { return try read(state.environment) }
        return LedgerState(environment: state.environment, tip: tip, commits: [last], entries: entries, events: [],
                           recordedFromCache: state.recordedFromCache, cacheFile: file)
    }

    private func readCache(_ environment: String, tip: ObjectID, deferringEntries: Bool) throws -> LedgerState? {
        guard let data = FileManager.default.contents(atPath: cachePath(environment)),
              let file = SyncCacheFile(bytes: [UInt8](data)), file.tip == tip, let recorded = file.deploys(),
              let info = try? repository.commit(tip), let message = try? LedgerMessage(parsing: info.message) else { return nil }
        var state = LedgerState(environment: environment, tip: tip, commits: [LedgerCommit(id: tip, tree: info.tree, message: message)],
                                entries: [:], events: [], recordedFromCache: recorded, cacheFile: file)
        state.entriesDeferred = true
        return deferringEntries ? state : try withEntries(state)
    }

    private static func entries(of file: SyncCacheFile) -> [RepoPath: LedgerEntry]? {
        var entries: [RepoPath: LedgerEntry] = [:]
        entries.reserveCapacity(file.entryCount)
        let whole = file.forEachEntry { path, entry in
            entries[path] = LedgerEntry(path: path, blob: entry.blob, sourceCommit: entry.source, marker: entry.marker,
                                        deployedAt: entry.deployedAt, ledgerCommit: file.tip)
        }
        return whole ? entries : nil
    }

    /// Replaces the sync cache at `path` with `file` (best effort: a cache that cannot be
    /// written is rebuilt from the chain next time).
    static func writeCache(_ file: [UInt8], to path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        if mkdir(folder, 0o755) != 0 && errno != EEXIST { return }
        try? replaceFile(at: path, with: file, temporaryIn: folder, permissions: 0o644, durable: false)
    }

    /// Writes one ledger commit with a tree already in `writes` on top of `parent` (nil: a new
    /// chain). Moves no ref: `publish` does that.
    public func writeCommit(parent: LedgerCommit?, message: LedgerMessage, tree: ObjectID, writes: ObjectWrites) -> LedgerCommit {
        let signature = Signature(name: "migledger", email: "migledger@localhost", time: message.deployedAt)
        let id = writes.store(commitOf: tree, parents: parent.map { [$0.id] } ?? [], author: signature, committer: signature,
                              message: message.text)
        return LedgerCommit(id: id, tree: tree, message: message)
    }

    /// Moves the ledger ref from `expected` to `new` atomically; throws `GitError.Code.modified`
    /// when another writer moved it first, leaving the ref as that writer left it.
    public func publish(_ environment: String, from expected: ObjectID?, to new: ObjectID) throws(GitError) {
        try repository.updateReference(Self.refName(environment), to: new, expecting: expected,
                                       message: "migledger: ledger update")
    }
}

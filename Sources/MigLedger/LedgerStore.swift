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
    /// commit is read), else from the whole chain.
    public func readForSync(_ environment: String, writingCache: Bool = true) throws -> LedgerState {
        guard let tip = try repository.referenceTarget(Self.refName(environment)) else {
            return LedgerState(environment: environment, tip: nil, commits: [], entries: [:], events: [])
        }
        if let cached = try readCache(environment, tip: tip) { return cached }
        let state = try read(environment)
        if writingCache {
            try? writeCache(environment, tip: tip, recorded: state.recordedDeploys, entries: state.entries.mapValues {
                CachedEntry(blob: $0.blob, source: $0.sourceCommit, marker: $0.marker, deployedAt: $0.deployedAt)
            })
        }
        return state
    }

    private func readCache(_ environment: String, tip: ObjectID) throws -> LedgerState? {
        guard let data = FileManager.default.contents(atPath: cachePath(environment)) else { return nil }
        // binary: "MLSC3" <tip:20> <count M:u32> <count D:u32> <count E:u32>, then M markers
        // <len:u16><marker>, D records <commit:20><marker:u32>, E records <blob:20><source:20>
        // <deployed-at:u64><marker:u32><len:u16><path>. Markers are numbered, so that a
        // thousand of them are decoded once rather than once for each of thousands of files.
        return data.withUnsafeBytes { raw -> LedgerState? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var at = 0
            func take(_ count: Int) -> UnsafeBufferPointer<UInt8>? {
                guard count >= 0, at + count <= bytes.count else { return nil }
                defer { at += count }
                return UnsafeBufferPointer(rebasing: bytes[at..<at + count])
            }
            func number(_ width: Int) -> Int? {
                guard let slice = take(width) else { return nil }
                var value = 0
                for byte in slice { value = value << 8 | Int(byte) }
                return value
            }
            func id() -> ObjectID? { take(20).flatMap { ObjectID(raw: ArraySlice($0)) } }
            guard take(5).map(Array.init) == Array("MLSC3".utf8), let storedTip = id(), storedTip == tip,
                  let markerCount = number(4), let deploys = number(4), let files = number(4) else { return nil }
            var markers: [String] = []
            markers.reserveCapacity(markerCount)
            for _ in 0..<markerCount {
                guard let length = number(2), let marker = take(length) else { return nil }
                markers.append(String(decoding: marker, as: UTF8.self))
            }
            var recorded: Set<DeployKey> = []
            recorded.reserveCapacity(deploys)
            for _ in 0..<deploys {
                guard let commit = id(), let marker = number(4), marker < markers.count else { return nil }
                recorded.insert(DeployKey(marker: markers[marker], commit: commit))
            }
            guard let info = try? repository.commit(tip), let message = try? LedgerMessage(parsing: info.message) else { return nil }
            var entries: [RepoPath: LedgerEntry] = [:]
            entries.reserveCapacity(files)
            for _ in 0..<files {
                guard let blob = id(), let source = id(), let deployedAt = number(8), let marker = number(4),
                      marker < markers.count, let length = number(2), let pathBytes = take(length) else { return nil }
                let path = RepoPath(bytes: Array(pathBytes))
                entries[path] = LedgerEntry(path: path, blob: blob, sourceCommit: source, marker: markers[marker],
                                            deployedAt: GitTime(seconds: Int64(truncatingIfNeeded: deployedAt)), ledgerCommit: tip)
            }
            return LedgerState(environment: environment, tip: tip,
                               commits: [LedgerCommit(id: tip, tree: info.tree, message: message)], entries: entries,
                               events: [], recordedFromCache: recorded)
        }
    }

    /// Replaces the sync cache of `environment` (best effort: a cache that cannot be written is
    /// rebuilt from the chain next time).
    func writeCache(_ environment: String, tip: ObjectID, recorded: Set<DeployKey>,
                    entries: [RepoPath: CachedEntry]) throws {
        var out: [UInt8] = Array("MLSC3".utf8) + tip.raw
        func number(_ value: Int, _ width: Int) { for shift in stride(from: (width - 1) * 8, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> shift)) } }
        var numbers: [String: Int] = [:]
        var markers: [String] = []
        func marker(_ name: String) -> Int {
            if let known = numbers[name] { return known }
            numbers[name] = markers.count
            markers.append(name)
            return markers.count - 1
        }
        let keys = recorded.map { (commit: $0.commit, marker: marker($0.marker)) }
        let files = entries.map { (path: $0.key, entry: $0.value, marker: marker($0.value.marker)) }
        number(markers.count, 4)
        number(keys.count, 4)
        number(files.count, 4)
        for name in markers {
            let bytes = Array(name.utf8)
            guard bytes.count < 65536 else { return }
            number(bytes.count, 2)
            out += bytes
        }
        for key in keys {
            out += key.commit.raw
            number(key.marker, 4)
        }
        for file in files {
            guard file.path.bytes.count < 65536 else { return }
            out += file.entry.blob.raw
            out += file.entry.source.raw
            number(Int(truncatingIfNeeded: file.entry.deployedAt.seconds), 8)
            number(file.marker, 4)
            number(file.path.bytes.count, 2)
            out += file.path.bytes
        }
        let path = cachePath(environment)
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(out)) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
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

/// What the sync cache keeps of a ledger entry.
struct CachedEntry {
    let blob: ObjectID
    let source: ObjectID
    let marker: String
    let deployedAt: GitTime
}

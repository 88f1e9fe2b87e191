public import MigCore
public import MigGit
public import MigPolicy
import Foundation

/// How the ledger treats a file found in a migration folder, decided from its path alone so a
/// sync never has to read file contents.
public enum TrackedRole: Sendable, Hashable {
    /// A migration file: deployed bytes are immutable.
    case migration
    /// A migration that the tool re-runs when it changes (Flyway `R__`): not ledgered.
    case mutable
    /// Not a migration.
    case other
}

/// A migration folder the ledger follows, with its format's file classifier.
public struct TrackedFolder: Sendable {
    public let path: RepoPath
    /// Classifies a path relative to `path`.
    public let role: @Sendable (RepoPath) -> TrackedRole

    public init(path: RepoPath, role: @escaping @Sendable (RepoPath) -> TrackedRole) {
        self.path = path
        self.role = role
    }
}

/// A deployed file as the ledger records it or would once pending markers are recorded.
public struct ProjectedEntry: Sendable, Hashable {
    public let blob: ObjectID
    public let sourceCommit: ObjectID
    public let marker: String
    public let deployedAt: GitTime
}

/// What one recorded deploy did.
public struct DeployRecord: Sendable, Hashable {
    public let marker: String
    public let commit: ObjectID
    public let deployedAt: GitTime
    public let added: [RepoPath]
    public let drift: [RepoPath]
    public let deleted: [RepoPath]
    public let rolledBack: [RepoPath]
}

/// The outcome of syncing one environment.
public struct SyncReport: Sendable {
    public let environment: String
    /// Deploys appended (or that would be, in a dry run), in deploy order.
    public let deploys: [DeployRecord]
    /// Markers skipped because the ledger already has them.
    public let alreadyRecorded: Int
    /// Markers that peel to no commit (a tag of a tree or blob), by name.
    public let unusableMarkers: [String]
    /// How many times the ref update lost a race and the sync started again.
    public let retries: Int
    public let tip: ObjectID?
}

/// Appends deploys to an environment's ledger (DESIGN §3, `ledger sync` and `ledger record`).
public struct LedgerSync {
    public let repository: Repository
    public let folders: [TrackedFolder]
    /// Syncs of at least this many deploys write their objects as packs, fewer as loose objects.
    static let packThreshold = 8
    /// Deploys per pack: bounds the memory pending objects take (a deploy's tree of a folder of
    /// 5,000 migrations is 400 KB).
    static let packBatch = 25

    /// Bound on compare-and-swap retries when several syncs run at once.
    public var maxAttempts = 100

    public init(repository: Repository, folders: [TrackedFolder]) {
        self.repository = repository
        self.folders = folders
    }

    /// Every deploy marker of `environment` that the ledger lacks, appended in deploy order.
    public func sync(_ environment: Policy.Environment, dryRun: Bool = false) throws -> SyncReport {
        try appendLoop(environment.name, dryRun: dryRun, fromCache: true) { state in
            try unrecordedMarkers(environment, state: state)
        }
    }

    /// The environment's markers the ledger lacks, in deploy order, with the count of those it
    /// has and the names of markers that point at no commit.
    private func unrecordedMarkers(_ environment: Policy.Environment,
                                   state: LedgerState) throws -> ([DeployMarker], Int, [String]) {
        let recorded = state.recordedDeploys
        var unusable: [String] = []
        var fresh: [DeployMarker] = []
        var skipped = 0
        for reference in try candidateReferences(environment) {
            // Recorded keys name commits, so a match on the id the ref already gives (a
            // lightweight tag's target, a packed tag's peeled id) needs no object read.
            if recorded.contains(DeployKey(marker: reference.name, commit: reference.peeled ?? reference.target)) {
                skipped += 1
                continue
            }
            guard let commit = (try? repository.peelToCommit(reference.target)) ?? nil else {
                unusable.append(reference.name)
                continue
            }
            if recorded.contains(DeployKey(marker: reference.name, commit: commit)) {
                skipped += 1
                continue
            }
            let date = try deployDate(of: reference, commit: commit)
            fresh.append(DeployMarker(name: reference.name, commit: commit, date: date))
        }
        return (fresh.sorted(by: DeployMarker.deployOrder), skipped, unusable)
    }

    /// The deployed files of `environment` as they stand once the markers the ledger lacks are
    /// applied, computed without writing: what a hook must judge by while post-receive lags.
    public func projection(_ environment: Policy.Environment) throws -> [RepoPath: ProjectedEntry] {
        // Read-only: hooks call this, and pre-receive writes nothing, not even the cache.
        let state = try LedgerStore(repository: repository).readForSync(environment.name, writingCache: false)
        var entries: [RepoPath: ProjectedEntry] = [:]
        for entry in state.entries.values {
            entries[entry.path] = ProjectedEntry(blob: entry.blob, sourceCommit: entry.sourceCommit,
                                                 marker: entry.marker, deployedAt: entry.deployedAt)
        }
        let (markers, _, _) = try unrecordedMarkers(environment, state: state)
        guard !markers.isEmpty else { return entries }
        var ledger = WorkingLedger(state: state)
        let (changes, _) = try FolderChanges.compute(markers.map(\.commit), after: state.last?.message.sourceCommit,
                                                     known: state.cacheFile?.folders() ?? TreeStore(), folders: folders,
                                                     repository: repository)
        for (marker, changes) in zip(markers, changes) {
            let (record, _, additions) = try ledger.apply(marker, changes: changes, environment: environment.name,
                                                          repository: repository, folders: folders)
            for addition in additions where record.added.contains(addition.path) {
                entries[addition.path] = ProjectedEntry(blob: addition.id, sourceCommit: marker.commit,
                                                        marker: marker.name, deployedAt: marker.date)
            }
        }
        return entries
    }

    /// Records an explicit deploy of `commit`; a commit the ledger already has is a no-op.
    public func record(environment: String, commit: ObjectID, at time: GitTime,
                       dryRun: Bool = false) throws -> SyncReport {
        try appendLoop(environment, dryRun: dryRun) { state in
            if state.commits.contains(where: { $0.message.sourceCommit == commit }) {
                return ([], 1, [])
            }
            return ([DeployMarker(name: LedgerMessage.recordMarker, commit: commit, date: time)], 0, [])
        }
    }

    private func candidateReferences(_ environment: Policy.Environment) throws(GitError) -> [ReferenceTarget] {
        var seen: Set<String> = []
        var references: [ReferenceTarget] = []
        for glob in environment.deploys {
            for reference in try repository.referenceTargets(matching: glob.pattern)
            where glob.matches(reference.name) && seen.insert(reference.name).inserted {
                references.append(reference)
            }
        }
        return references
    }

    private func deployDate(of reference: ReferenceTarget, commit: ObjectID) throws(GitError) -> GitTime {
        if reference.target != commit, let tagger = try repository.annotatedTag(reference.target)?.tagger {
            return tagger.time
        }
        return try repository.commit(commit).committer.time
    }

    /// Reads the ledger, plans the new deploys, writes them and moves the ref compare-and-swap;
    /// a lost race starts again from the ref's new value, so nothing is lost or doubled.
    private func appendLoop(_ environment: String, dryRun: Bool, fromCache: Bool = false,
                            plan: (LedgerState) throws -> ([DeployMarker], Int, [String])) throws -> SyncReport {
        let store = LedgerStore(repository: repository)
        var attempt = 0
        while true {
            let planned = try fromCache ? store.readForSync(environment, deferringEntries: true) : store.read(environment)
            let (markers, skipped, unusable) = try plan(planned)
            guard !markers.isEmpty else {
                return SyncReport(environment: environment, deploys: [], alreadyRecorded: skipped,
                                  unusableMarkers: unusable, retries: attempt, tip: planned.tip)
            }
            // The cache's entries are decoded on another thread while the deploys' folders are
            // compared: neither needs the other.
            let (cached, (changes, lastFolders)) = try concurrently({ planned.cacheFile.flatMap(WorkingLedger.blobs(of:)) }) {
                try FolderChanges.compute(markers.map(\.commit), after: planned.last?.message.sourceCommit,
                                          known: planned.cacheFile?.folders() ?? TreeStore(), folders: folders,
                                          repository: repository)
            }
            let state = cached == nil ? try store.withEntries(planned) : planned
            // A cache whose entries did not decode was replaced by a read of the chain, which may
            // have found another writer's deploys: plan again from it.
            guard state.tip == planned.tip else { continue }
            var ledger = cached.map(WorkingLedger.init(blobs:)) ?? WorkingLedger(state: state)
            var records: [DeployRecord] = []
            var parent = state.last
            // Many deploys are written as packs; a few (an incremental sync) as loose objects,
            // written on another thread meanwhile. The ledger's tree stays in memory: a deploy
            // writes the folder trees it changes, serialized directly, instead of re-reading and
            // re-writing the previous tree.
            let writes = ObjectWrites(repository: repository, storage: markers.count >= Self.packThreshold ? .pack : .loose)
            let image = TreeImage(repository: repository, tree: state.last?.tree, writes: writes)
            var unflushed = 0
            for (marker, changes) in zip(markers, changes) {
                let (record, message, additions) = try ledger.apply(marker, changes: changes, environment: environment,
                                                                    repository: repository, folders: folders)
                records.append(record)
                if !dryRun {
                    for addition in additions {
                        try image.upsert(addition.path, id: addition.id, fileMode: addition.fileMode)
                    }
                    parent = store.writeCommit(parent: parent, message: message, tree: image.write(), writes: writes)
                    unflushed += 1
                    if unflushed == Self.packBatch {
                        try writes.flush()
                        unflushed = 0
                    }
                }
            }
            guard !dryRun, let newTip = parent?.id, newTip != state.tip else {
                return SyncReport(environment: environment, deploys: records, alreadyRecorded: skipped,
                                  unusableMarkers: unusable, retries: attempt, tip: state.tip)
            }
            try writes.flush()
            // The cache names its tip, so one written before the ref moves is simply not used if
            // the move fails; written now, it overlaps the objects' background writes.
            let deploys = records.map { DeployKey(marker: $0.marker, commit: $0.commit) }
            if let cache = state.cacheFile?.appending(tip: newTip, deploys: deploys, entries: ledger.added, folders: lastFolders)
                ?? SyncCacheFile.encode(tip: newTip, deploys: state.recordedDeploys.union(deploys), entries: ledger.blobs,
                                        folders: lastFolders) {
                LedgerStore.writeCache(cache, to: store.cachePath(environment))
            }
            try writes.finish()
            do {
                try store.publish(environment, from: state.tip, to: newTip)
                return SyncReport(environment: environment, deploys: records, alreadyRecorded: skipped,
                                  unusableMarkers: unusable, retries: attempt, tip: newTip)
            } catch {
                guard error.code == .modified || error.code == .locked else { throw error }
                attempt += 1
                guard attempt < maxAttempts else {
                    throw GitError(code: .modified, operation: "updating \(LedgerStore.refName(environment))",
                                   message: "other writers kept changing the ledger; gave up after \(attempt) attempts, nothing was lost — run the sync again")
                }
                usleep(UInt32.random(in: 1_000...20_000))
            }
        }
    }
}

/// The ledger as it grows during one sync: deployed blobs by path and where each came from.
private struct WorkingLedger {
    var blobs: [RepoPath: CachedEntry]
    /// The entries this sync added, in order.
    var added: [(RepoPath, CachedEntry)] = []

    init(state: LedgerState) {
        blobs = state.entries.mapValues { CachedEntry(blob: $0.blob, source: $0.sourceCommit, marker: $0.marker, deployedAt: $0.deployedAt) }
    }

    init(blobs: [RepoPath: CachedEntry]) {
        self.blobs = blobs
    }

    /// The entries of a sync cache file; nil when they do not decode.
    static func blobs(of file: SyncCacheFile) -> [RepoPath: CachedEntry]? {
        var blobs: [RepoPath: CachedEntry] = [:]
        blobs.reserveCapacity(file.entryCount)
        return file.forEachEntry { blobs[$0] = $1 } ? blobs : nil
    }

    /// Turns how the marker's migration folders differ from the previous deploy's into ledger
    /// changes.
    mutating func apply(_ marker: DeployMarker, changes: FolderChanges, environment: String, repository: Repository,
                        folders: [TrackedFolder]) throws -> (DeployRecord, LedgerMessage, [TreeUpdate]) {
        var added: [RepoPath] = [], additions: [TreeUpdate] = []
        var drift: [LedgerMessage.Drifted] = [], deleted: [RepoPath] = [], rolledBack: [RepoPath] = []
        for (index, folder) in folders.enumerated() {
            for delta in changes.deltas[index] {
                let relative = delta.status == .deleted ? delta.oldPath : delta.newPath
                guard folder.role(relative) == .migration else { continue }
                let path = folder.path.appending(relative)
                switch delta.status {
                case .deleted:
                    guard let deployed = blobs[path] else { continue }
                    if try marker.commit == deployed.source
                        || repository.isDescendant(marker.commit, of: deployed.source) {
                        deleted.append(path)
                    } else {
                        rolledBack.append(path)
                    }
                default:
                    if let deployed = blobs[path] {
                        if deployed.blob != delta.newID {
                            drift.append(LedgerMessage.Drifted(path: path, blob: delta.newID))
                        }
                    } else if delta.newMode != 0o160000 && delta.newMode != 0o120000 {
                        let entry = CachedEntry(blob: delta.newID, source: marker.commit, marker: marker.name, deployedAt: marker.date)
                        blobs[path] = entry
                        self.added.append((path, entry))
                        added.append(path)
                        additions.append(TreeUpdate(path: path, id: delta.newID,
                                                    fileMode: delta.newMode == 0o100755 ? 0o100755 : 0o100644))
                    }
                }
            }
        }
        let message = LedgerMessage(environment: environment, sourceCommit: marker.commit, marker: marker.name,
                                    deployedAt: marker.date, added: added, drift: drift, deleted: deleted,
                                    rolledBack: rolledBack)
        let record = DeployRecord(marker: marker.name, commit: marker.commit, deployedAt: marker.date,
                                  added: added, drift: drift.map(\.path), deleted: deleted, rolledBack: rolledBack)
        return (record, message, additions)
    }
}

/// A deploy's migration folders, and how each differs from the previous deploy's (empty where
/// the folder's tree id did not change, which costs no tree walk).
private struct FolderChanges: Sendable {
    let deltas: [[DiffDelta]]

    /// Deploys per task: the deploys of a sync are compared with their predecessors in pieces
    /// on every core, each piece reading one tree more than it would alone (its predecessor).
    static let piece = 40

    /// The changes of each of `commits`, in order, the first compared with `previous`, whose
    /// folders `known` may hold; and the folders of the last of `commits`.
    static func compute(_ commits: [ObjectID], after previous: ObjectID?, known: TreeStore, folders: [TrackedFolder],
                        repository: Repository) throws -> (changes: [FolderChanges], last: TreeStore) {
        let pieces = (commits.count + piece - 1) / piece
        guard pieces > 1 else {
            return try compute(commits[...], after: previous, known: known, folders: folders, repository: repository)
        }
        // Reading and comparing the marker trees is half of a full sync; in pieces, a core that
        // is done with its own environment helps with the other's.
        let location = repository.location
        let results = try concurrentMap(pieces) { index in
            let range = index * piece..<min(commits.count, (index + 1) * piece)
            return try compute(commits[range], after: index == 0 ? previous : commits[range.lowerBound - 1],
                               known: index == 0 ? known : TreeStore(), folders: folders, repository: Repository.open(location))
        }
        return (results.flatMap(\.changes), results.last!.last)
    }

    private static func compute(_ commits: ArraySlice<ObjectID>, after previous: ObjectID?, known: TreeStore,
                                folders: [TrackedFolder], repository: Repository) throws -> (changes: [FolderChanges], last: TreeStore) {
        func trees(of commit: ObjectID) throws(GitError) -> [ObjectID?] {
            let tree = try repository.treeID(ofCommit: commit)
            return try folders.map { folder throws(GitError) in
                guard let entry = try repository.entry(at: folder.path, inTree: tree), entry.kind == .tree else { return nil }
                return entry.id
            }
        }
        var before: [ObjectID?] = if let previous, repository.contains(previous) {
            try trees(of: previous)
        } else {
            folders.map { _ in nil }
        }
        // The previous deploy's folders as read, so each deploy's are read once, by the
        // comparison that needs them.
        var store = known
        var changes: [FolderChanges] = []
        changes.reserveCapacity(commits.count)
        for commit in commits {
            let current = try trees(of: commit)
            var next = TreeStore()
            changes.append(FolderChanges(deltas: try folders.indices.map { index throws(GitError) in
                guard current[index] != before[index] else {
                    if let unchanged = current[index] { next.keep(unchanged, from: store) }
                    return []
                }
                return try repository.diff(from: before[index], to: current[index], known: store, keeping: &next)
            }))
            store = next
            before = current
        }
        return (changes, store)
    }
}

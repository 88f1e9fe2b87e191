internal import CGit2
public import MigCore

/// Trees kept as their stored bytes, by id, so that comparing a folder with its next version
/// reads only the next version: a ledger sync keeps the last deploy's migration folders here
/// (and in its cache, between runs) instead of reading them again at the end of a long delta
/// chain.
public struct TreeStore: Sendable {
    var trees: [ObjectID: RawTree] = [:]

    public init() {}

    public var isEmpty: Bool { trees.isEmpty }

    /// Keeps `id` of `other` here, if `other` has it.
    public mutating func keep(_ id: ObjectID, from other: TreeStore) {
        if let tree = other.trees[id] { trees[id] = tree }
    }

    /// The size of what `encode` writes.
    public var encodedSize: Int { trees.values.reduce(4) { $0 + 24 + $1.bytes.count } }

    /// `<count:u32>`, then per tree `<id:20><size:u32><bytes>`.
    public func encode(into out: inout [UInt8]) {
        out.appendBigEndian(UInt32(trees.count))
        for (id, tree) in trees {
            id.appendRaw(to: &out)
            out.appendBigEndian(UInt32(tree.bytes.count))
            out.append(contentsOf: tree.bytes)
        }
    }

    /// Decodes what `encode` wrote; nil unless `bytes` are exactly that, every tree well formed
    /// and matching its id.
    public init?(decoding bytes: ArraySlice<UInt8>) {
        let decoded = bytes.withUnsafeBufferPointer { buffer -> [ObjectID: RawTree]? in
            var reader = ByteReader(buffer)
            guard let count = reader.number(4) else { return nil }
            var trees: [ObjectID: RawTree] = [:]
            for _ in 0..<count {
                guard let id = reader.id(), let size = reader.number(4), let stored = reader.take(size),
                      let tree = RawTree(Array(stored)),
                      // a cache file is ours, but not beyond damage: a tree that is not what its
                      // id names would make a comparison report changes that are not there
                      PackObject(GIT_OBJECT_TREE, tree.bytes).id == id else { return nil }
                trees[id] = tree
            }
            return reader.isAtEnd ? trees : nil
        }
        guard let decoded else { return nil }
        trees = decoded
    }
}

extension ByteReader {
    /// A raw 20-byte object id.
    public mutating func id() -> ObjectID? {
        take(20).map { ObjectID(rawBytesAt: UnsafeRawPointer($0.baseAddress!)) }
    }
}

extension Repository {
    /// The files that differ between two trees (nil is the empty tree), in path order, as
    /// `diff(from:to:)` reports them without renames: a file that becomes a folder is deleted
    /// and the folder's files added. Old trees are taken from `known` when it has them; every
    /// tree of the new side that is read goes into `kept`.
    public func diff(from old: ObjectID?, to new: ObjectID?, known: TreeStore, keeping kept: inout TreeStore) throws(GitError) -> [DiffDelta] {
        var deltas: [DiffDelta] = []
        try compare(old, new, prefix: [], known: known, kept: &kept, into: &deltas)
        return deltas
    }

    private func compare(_ old: ObjectID?, _ new: ObjectID?, prefix: [UInt8], known: TreeStore, kept: inout TreeStore,
                         into deltas: inout [DiffDelta]) throws(GitError) {
        let oldTree = try tree(old, known: known)
        let newTree = try tree(new, known: known)
        if let new { kept.trees[new] = newTree }
        var left = 0, right = 0
        while left < oldTree.count || right < newTree.count {
            // most entries of a folder's next version are the same bytes: mode, name and id
            if left < oldTree.count, right < newTree.count, oldTree.sameEntry(left, as: newTree, right) {
                left += 1
                right += 1
                continue
            }
            if right == newTree.count || left < oldTree.count && oldTree.precedes(left, newTree, right) {
                try removed(oldTree, left, path: prefix + oldTree.bytes[oldTree.name(at: left)], known: known, kept: &kept,
                            into: &deltas)
                left += 1
            } else if left == oldTree.count || newTree.precedes(right, oldTree, left) {
                try added(newTree, right, path: prefix + newTree.bytes[newTree.name(at: right)], known: known, kept: &kept,
                          into: &deltas)
                right += 1
            } else {
                // same name and, as git orders them, both folders or both not
                let path = prefix + newTree.bytes[newTree.name(at: right)]
                let oldID = oldTree.id(at: left), newID = newTree.id(at: right)
                let oldMode = oldTree.mode(at: left), newMode = newTree.mode(at: right)
                if newTree.isFolder(at: right) {
                    if oldID != newID {
                        try compare(oldID, newID, prefix: path + [UInt8(ascii: "/")], known: known, kept: &kept, into: &deltas)
                    }
                } else if oldID != newID || oldMode != newMode {
                    let sameKind = oldMode & 0o170000 == newMode & 0o170000
                    deltas.append(DiffDelta(status: sameKind ? .modified : .typeChanged, oldPath: RepoPath(bytes: path),
                                            newPath: RepoPath(bytes: path), oldID: oldID, newID: newID, oldMode: oldMode,
                                            newMode: newMode, similarity: 0))
                }
                left += 1
                right += 1
            }
        }
    }

    private func tree(_ id: ObjectID?, known: TreeStore) throws(GitError) -> RawTree {
        guard let id else { return .empty }
        if let tree = known.trees[id] { return tree }
        return try rawTree(id)
    }

    private func removed(_ tree: RawTree, _ index: Int, path: [UInt8], known: TreeStore, kept: inout TreeStore,
                         into deltas: inout [DiffDelta]) throws(GitError) {
        if tree.isFolder(at: index) {
            try compare(tree.id(at: index), nil, prefix: path + [UInt8(ascii: "/")], known: known, kept: &kept, into: &deltas)
        } else {
            deltas.append(DiffDelta(status: .deleted, oldPath: RepoPath(bytes: path), newPath: RepoPath(bytes: path),
                                    oldID: tree.id(at: index), newID: .zero, oldMode: tree.mode(at: index), newMode: 0,
                                    similarity: 0))
        }
    }

    private func added(_ tree: RawTree, _ index: Int, path: [UInt8], known: TreeStore, kept: inout TreeStore,
                       into deltas: inout [DiffDelta]) throws(GitError) {
        if tree.isFolder(at: index) {
            try compare(nil, tree.id(at: index), prefix: path + [UInt8(ascii: "/")], known: known, kept: &kept, into: &deltas)
        } else {
            deltas.append(DiffDelta(status: .added, oldPath: RepoPath(bytes: path), newPath: RepoPath(bytes: path),
                                    oldID: .zero, newID: tree.id(at: index), oldMode: 0, newMode: tree.mode(at: index),
                                    similarity: 0))
        }
    }
}

internal import CGit2
import MigCore
import Foundation

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
        func append(_ value: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).bigEndian) { out.append(contentsOf: $0) } }
        append(trees.count)
        for (id, tree) in trees {
            id.appendRaw(to: &out)
            append(tree.bytes.count)
            out.append(contentsOf: tree.bytes)
        }
    }

    /// Decodes what `encode` wrote; nil unless `bytes` are exactly that, every tree well formed
    /// and matching its id.
    public init?(decoding bytes: ArraySlice<UInt8>) {
        var at = bytes.startIndex
        func number() -> Int? {
            guard bytes.endIndex - at >= 4 else { return nil }
            defer { at += 4 }
            return bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        guard let count = number() else { return nil }
        for _ in 0..<count {
            guard bytes.endIndex - at >= 20, let id = ObjectID(raw: bytes[at..<at + 20]) else { return nil }
            at += 20
            guard let size = number(), bytes.endIndex - at >= size,
                  let tree = RawTree(Array(bytes[at..<at + size])) else { return nil }
            at += size
            // a cache file is ours, but not beyond damage: a tree that is not what its id names
            // would make a comparison report changes that are not there
            guard PackObject(GIT_OBJECT_TREE, tree.bytes).id == id else { return nil }
            trees[id] = tree
        }
        guard at == bytes.endIndex else { return nil }
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
            let oldName = left < oldTree.count ? oldTree.name(at: left) : 0..<0
            let newName = right < newTree.count ? newTree.name(at: right) : 0..<0
            let oldFirst: Bool, newFirst: Bool
            if left == oldTree.count {
                (oldFirst, newFirst) = (false, true)
            } else if right == newTree.count {
                (oldFirst, newFirst) = (true, false)
            } else {
                let oldFolder = oldTree.isFolder(at: left), newFolder = newTree.isFolder(at: right)
                oldFirst = RawTree.precedes(oldTree.bytes[oldName], oldFolder, newTree.bytes[newName], newFolder)
                newFirst = !oldFirst && RawTree.precedes(newTree.bytes[newName], newFolder, oldTree.bytes[oldName], oldFolder)
            }
            if oldFirst {
                try removed(oldTree, left, path: prefix + oldTree.bytes[oldName], known: known, kept: &kept, into: &deltas)
                left += 1
            } else if newFirst {
                try added(newTree, right, path: prefix + newTree.bytes[newName], known: known, kept: &kept, into: &deltas)
                right += 1
            } else {
                // same name and, as git orders them, both folders or both not
                let path = prefix + newTree.bytes[newName]
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

extension RawTree {
    /// Whether entry `index` has the same bytes as `other`'s entry `otherIndex`.
    func sameEntry(_ index: Int, as other: RawTree, _ otherIndex: Int) -> Bool {
        let mine = entry(at: index), theirs = other.entry(at: otherIndex)
        guard mine.count == theirs.count else { return false }
        return bytes.withUnsafeBufferPointer { left in
            other.bytes.withUnsafeBufferPointer { right in
                memcmp(left.baseAddress! + mine.lowerBound, right.baseAddress! + theirs.lowerBound, mine.count) == 0
            }
        }
    }
}

internal import CGit2
public import MigCore
import Foundation

/// A tree kept in memory across many writes, for a series of commits that each add a few files
/// to a large folder (the ledger): every write serializes only the folders changed since the
/// last one, straight into git's tree format, and reuses the ids of the others. A tree builder
/// would re-read, re-sort and re-print every entry of the base tree on each commit instead.
public final class TreeImage {
    private final class Node {
        /// Entries in git's tree order.
        var items: [Item] = []
        /// The id of this folder as last written or read; nil when it changed since.
        var id: ObjectID?
        /// The id it had before it changed: the next version is stored as a delta of it.
        var previous: ObjectID?
        var loaded = false

        func invalidate() {
            if let id { previous = id }
            id = nil
        }
    }

    private struct Item {
        let name: [UInt8]
        var mode: UInt32
        var id: ObjectID?
        var child: Node?
        /// `<mode> <name>\0<20-byte id>`, as the entry appears in the tree; empty when stale.
        var encoded: [UInt8] = []

        var isFolder: Bool { mode == 0o040000 }
    }

    private let repository: Repository
    private let packs: PackedWrites?
    private let root: Node

    /// Starts from `tree` (nil: the empty tree). Folders are read only when a write reaches them.
    /// New trees go to `packs` when given, else into the repository as loose objects.
    public init(repository: Repository, tree: ObjectID?, packs: PackedWrites? = nil) {
        self.repository = repository
        self.packs = packs
        root = Node()
        root.id = tree
        root.loaded = tree == nil
    }

    /// Places a file at `path`, creating folders as needed; replaces what was there.
    public func upsert(_ path: RepoPath, id: ObjectID, fileMode: UInt32 = 0o100644) throws(GitError) {
        let components = path.components.map { Array($0) }
        guard let last = components.last else { return }
        var node = root
        try load(node)
        node.invalidate()
        for name in components.dropLast() {
            let child: Node
            if let index = find(name, in: node), let existing = node.items[index].child {
                child = existing
            } else {
                child = Node()
                if let index = find(name, in: node), node.items[index].isFolder, let id = node.items[index].id {
                    child.id = id          // a folder not read yet
                } else {
                    child.loaded = true    // a new folder (or a file replaced by one)
                }
                put(Item(name: name, mode: 0o040000, id: nil, child: child), into: node)
            }
            try load(child)
            child.invalidate()
            if let index = find(name, in: node) { node.items[index].encoded = [] }
            node = child
        }
        put(Item(name: last, mode: fileMode, id: id, child: nil), into: node)
    }

    /// Writes every changed folder and returns the root tree's id.
    public func write() throws(GitError) -> ObjectID {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.handle.pointer), "opening the object database")
        let owned = Owned(odb!) { git_odb_free($0) }
        defer { withExtendedLifetime(owned) {} }
        return try write(root, odb: owned.pointer)
    }

    private func write(_ node: Node, odb: OpaquePointer) throws(GitError) -> ObjectID {
        if let id = node.id { return id }
        var size = 0
        for index in node.items.indices {
            if let child = node.items[index].child, child.id == nil || node.items[index].encoded.isEmpty {
                node.items[index].id = try write(child, odb: odb)
                node.items[index].encoded = []
            }
            if node.items[index].encoded.isEmpty { node.items[index].encoded = TreeImage.encode(node.items[index]) }
            size += node.items[index].encoded.count
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        for item in node.items { bytes.append(contentsOf: item.encoded) }
        let id: ObjectID
        if let packs {
            id = packs.store(tree: bytes, previous: node.previous)
        } else {
            var out = git_oid()
            let result = bytes.withUnsafeBytes { git_odb_write(&out, odb, $0.baseAddress, $0.count, GIT_OBJECT_TREE) }
            try check(result, "writing a tree")
            id = ObjectID(out)
        }
        node.id = id
        node.previous = nil
        return id
    }

    private static func encode(_ item: Item) -> [UInt8] {
        var bytes = Array(String(item.mode, radix: 8).utf8)
        bytes.reserveCapacity(bytes.count + item.name.count + 22)
        bytes.append(0x20)
        bytes.append(contentsOf: item.name)
        bytes.append(0)
        var oid = item.id!.oid
        withUnsafeBytes(of: &oid.id) { bytes.append(contentsOf: $0) }
        return bytes
    }

    private func load(_ node: Node) throws(GitError) {
        guard !node.loaded else { return }
        node.loaded = true
        guard let id = node.id else { return }
        node.items = try repository.entries(ofTree: id).map {
            Item(name: $0.name, mode: $0.fileMode, id: $0.id, child: nil)
        }
    }

    /// Git orders tree entries by name bytes, a folder's name as if it ended with `/`.
    private static func precedes(_ lhs: [UInt8], _ lhsFolder: Bool, _ rhs: [UInt8], _ rhsFolder: Bool) -> Bool {
        let count = min(lhs.count, rhs.count)
        for index in 0..<count where lhs[index] != rhs[index] { return lhs[index] < rhs[index] }
        let left: UInt8? = lhs.count > count ? lhs[count] : (lhsFolder ? UInt8(ascii: "/") : nil)
        let right: UInt8? = rhs.count > count ? rhs[count] : (rhsFolder ? UInt8(ascii: "/") : nil)
        switch (left, right) {
        case let (l?, r?): return l < r || (l == r && lhs.count < rhs.count)
        case (nil, _?): return true
        default: return false
        }
    }

    private func find(_ name: [UInt8], in node: Node) -> Int? {
        // a name sorts either as a file or as a folder: look for both
        for folder in [false, true] {
            let index = lowerBound(name, folder, in: node)
            if index < node.items.count, node.items[index].name == name { return index }
        }
        return nil
    }

    private func lowerBound(_ name: [UInt8], _ folder: Bool, in node: Node) -> Int {
        var low = 0, high = node.items.count
        while low < high {
            let mid = (low + high) / 2
            let item = node.items[mid]
            if TreeImage.precedes(item.name, item.isFolder, name, folder) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func put(_ item: Item, into node: Node) {
        if let index = find(item.name, in: node) {
            if node.items[index].isFolder == item.isFolder {
                node.items[index] = item
                return
            }
            node.items.remove(at: index)
        }
        node.items.insert(item, at: lowerBound(item.name, item.isFolder, in: node))
    }
}

/// Where a sync of many deploys writes: trees and commits are kept as bytes, and each `flush`
/// stores them as one pack with its index instead of one zlib-compressed loose file each.
/// Nothing written here can be read, from this handle or another, before `flush`.
public final class PackedWrites {
    private let repository: Repository
    private var objects: [PackObject] = []

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Keeps a tree for the next pack and returns its id. `previous` is the version of the same
    /// folder it replaces, which it is stored as a delta of when both are in the pack.
    func store(tree bytes: [UInt8], previous: ObjectID?) -> ObjectID {
        let id = PackFileWriter.objectID(of: bytes, type: "tree")
        objects.append(PackObject(id: id, type: GIT_OBJECT_TREE, data: bytes, base: previous))
        return id
    }

    /// Keeps a commit for the next pack and returns its id: the bytes libgit2's
    /// `git_commit_create` writes, without reading the tree or the parents, which may be
    /// waiting here too.
    public func store(commitOf tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
                      message: String) -> ObjectID {
        var text = "tree \(tree)\n"
        for parent in parents { text += "parent \(parent)\n" }
        text += "author " + Self.line(author) + "\ncommitter " + Self.line(committer) + "\n\n" + message
        let bytes = Array(text.utf8)
        let id = PackFileWriter.objectID(of: bytes, type: "commit")
        objects.append(PackObject(id: id, type: GIT_OBJECT_COMMIT, data: bytes, base: nil))
        return id
    }

    private static func line(_ signature: Signature) -> String {
        let offset = abs(Int(signature.time.offsetMinutes))
        let zone = (signature.time.offsetMinutes < 0 ? "-" : "+") + String(format: "%02d%02d", offset / 60, offset % 60)
        return "\(signature.name) <\(signature.email)> \(signature.time.seconds) \(zone)"
    }

    /// Writes the pending objects as one pack with its index.
    public func flush() throws(GitError) {
        guard !objects.isEmpty else { return }
        let directory = (repository.gitDirectory as NSString).appendingPathComponent("objects/pack")
        try PackFileWriter.write(objects, into: directory)
        objects = []
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.handle.pointer), "opening the object database")
        let owned = Owned(odb!) { git_odb_free($0) }
        defer { withExtendedLifetime(owned) {} }
        // the objects now live in the new pack: let the repository find it before anything asks
        try check(git_odb_refresh(owned.pointer), "reading the new pack")
    }
}

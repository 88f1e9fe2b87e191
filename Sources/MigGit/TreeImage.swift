internal import CGit2
public import MigCore

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
    private let writes: ObjectWrites
    private let root: Node

    /// Starts from `tree` (nil: the empty tree), read from `repository` folder by folder as
    /// writes reach them. New trees go to `writes`.
    public init(repository: Repository, tree: ObjectID?, writes: ObjectWrites) {
        self.repository = repository
        self.writes = writes
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

    /// Hands every changed folder to `writes` and returns the root tree's id.
    public func write() -> ObjectID {
        write(root)
    }

    private func write(_ node: Node) -> ObjectID {
        if let id = node.id { return id }
        var size = 0
        for index in node.items.indices {
            if let child = node.items[index].child, child.id == nil || node.items[index].encoded.isEmpty {
                node.items[index].id = write(child)
                node.items[index].encoded = []
            }
            if node.items[index].encoded.isEmpty { node.items[index].encoded = TreeImage.encode(node.items[index]) }
            size += node.items[index].encoded.count
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        for item in node.items { bytes.append(contentsOf: item.encoded) }
        let id = writes.store(tree: bytes, previous: node.previous)
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

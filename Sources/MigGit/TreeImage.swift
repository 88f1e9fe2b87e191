public import MigCore

/// A tree kept in memory across many writes, for a series of commits that each add a few files
/// to a large folder (the ledger): every write copies the stored bytes of the folders changed
/// since the last one with their new entries spliced in, and reuses the ids of the others. A
/// tree builder would re-read, re-sort and re-print every entry of the base tree on each
/// commit instead, and a folder of thousands of entries read as one value per entry cost more
/// than an incremental sync's whole comparison.
public final class TreeImage {
    private final class Node {
        /// The folder as last read or written.
        var raw = RawTree.empty
        /// Entries placed since, in git's tree order, not yet in `raw`.
        var changes: [Item] = []
        /// The entries of `raw` that `changes` replace, ascending.
        var replaced: [Int] = []
        /// Folders written into, kept so that later writes reach them: what they hold cannot be
        /// read back from the repository until the writes are flushed.
        var children: [[UInt8]: Node] = [:]
        /// The id of this folder as last written or read; nil when it changed since.
        var id: ObjectID?
        /// The id it had before it changed: the next version is stored as a delta of it.
        var previous: ObjectID?
        var loaded = false

        func invalidate() {
            if let id { previous = id }
            id = nil
        }

        /// The pending change named `name`, a file or a folder.
        func change(named name: [UInt8]) -> Int? {
            for folder in [false, true] {
                let index = changeBound(name, folder: folder)
                if index < changes.count, changes[index].name == name { return index }
            }
            return nil
        }

        func changeBound(_ name: [UInt8], folder: Bool) -> Int {
            var low = 0, high = changes.count
            while low < high {
                let mid = (low + high) / 2
                if RawTree.precedes(changes[mid].name[...], changes[mid].isFolder, name[...], folder) { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    private struct Item {
        let name: [UInt8]
        let mode: UInt32
        let id: ObjectID?
        let child: Node?

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
            if let existing = node.children[name] {
                child = existing
            } else {
                child = Node()
                if node.change(named: name) == nil, let index = node.raw.find(name), node.raw.isFolder(at: index) {
                    child.id = node.raw.id(at: index)   // a folder not read yet
                } else {
                    child.loaded = true                 // a new folder (or a file replaced by one)
                }
                node.children[name] = child
            }
            try load(child)
            child.invalidate()
            put(Item(name: name, mode: 0o040000, id: nil, child: child), into: node)
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
        var inserted: [(at: Int, bytes: [UInt8])] = []
        inserted.reserveCapacity(node.changes.count)
        for item in node.changes {
            let id = item.child.map(write) ?? item.id!
            inserted.append((node.raw.lowerBound(item.name, folder: item.isFolder), RawTree.encode(mode: item.mode, name: item.name, id: id)))
        }
        node.raw = node.raw.merged(inserting: inserted, removing: node.replaced)
        node.changes = []
        node.replaced = []
        let id = writes.store(tree: node.raw.bytes, previous: node.previous)
        node.id = id
        node.previous = nil
        return id
    }

    private func load(_ node: Node) throws(GitError) {
        guard !node.loaded else { return }
        node.loaded = true
        guard let id = node.id else { return }
        node.raw = try repository.rawTree(id)
    }

    private func put(_ item: Item, into node: Node) {
        if !item.isFolder { node.children[item.name] = nil }
        if let index = node.change(named: item.name) { node.changes.remove(at: index) }
        node.changes.insert(item, at: node.changeBound(item.name, folder: item.isFolder))
        if let index = node.raw.find(item.name) {
            let position = node.replaced.firstIndex { $0 >= index } ?? node.replaced.count
            if position == node.replaced.count || node.replaced[position] != index { node.replaced.insert(index, at: position) }
        }
    }
}

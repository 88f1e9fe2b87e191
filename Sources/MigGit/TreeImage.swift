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
        var loaded = false
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
    private let root: Node
    private var written: [ObjectID] = []

    /// Starts from `tree` (nil: the empty tree). Folders are read only when a write reaches them.
    public init(repository: Repository, tree: ObjectID?) {
        self.repository = repository
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
        node.id = nil
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
            child.id = nil
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

    /// Ids of the trees written since the last call.
    public func takeWritten() -> [ObjectID] {
        defer { written = [] }
        return written
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
        var out = git_oid()
        let result = bytes.withUnsafeBytes { git_odb_write(&out, odb, $0.baseAddress, $0.count, GIT_OBJECT_TREE) }
        try check(result, "writing a tree")
        let id = ObjectID(out)
        node.id = id
        written.append(id)
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

/// A second handle on a repository whose new objects are kept in memory and stored as packs
/// (one per `flush`) instead of one zlib-compressed loose file each: a full ledger sync writes
/// thousands of large, nearly identical trees, which a pack stores as small deltas of each other.
/// Objects written through `repository` are visible to other handles only after `flush`; the
/// in-memory store goes away with this value.
public final class PackedWrites {
    /// Write (and read) through this handle.
    public let repository: Repository
    private let backend: UnsafeMutablePointer<git_odb_backend>
    private var pending: [ObjectID] = []

    /// Opens `gitDirectory` again, with in-memory writes.
    public init(gitDirectory: String) throws(GitError) {
        repository = try Repository.open(at: gitDirectory)
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&backend), "preparing in-memory objects")
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.handle.pointer), "opening the object database")
        let owned = Owned(odb!) { git_odb_free($0) }
        defer { withExtendedLifetime(owned) {} }
        // the odb owns and frees the backend from now on
        try check(git_odb_add_backend(owned.pointer, backend, 999), "adding in-memory objects")
        self.backend = backend!
    }

    /// Objects to put in the next pack.
    public func add(_ ids: [ObjectID]) { pending += ids }

    /// Writes the pending objects as one pack with its index, then empties the memory.
    public func flush() throws(GitError) {
        guard !pending.isEmpty else { return }
        var builder: OpaquePointer?
        try check(git_packbuilder_new(&builder, repository.handle.pointer), "preparing a pack")
        let owned = Owned(builder!) { git_packbuilder_free($0) }
        defer { withExtendedLifetime(owned) {} }
        // one thread: a second one saved little time and cost 40 MB of delta windows
        _ = git_packbuilder_set_threads(owned.pointer, 1)
        for id in pending {
            var oid = id.oid
            // an object that already existed on disk was not written again
            guard migledger_backend_exists(backend, &oid) == 1 else { continue }
            try check(git_packbuilder_insert(owned.pointer, &oid, nil), "adding \(id.shortHex) to a pack")
        }
        try check(git_packbuilder_write(owned.pointer, nil, 0, nil, nil), "writing a pack")
        pending = []
        try check(git_mempack_reset(backend), "emptying in-memory objects")
    }
}

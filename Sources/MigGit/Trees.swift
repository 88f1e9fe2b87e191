internal import CGit2
public import MigCore

/// A file found below a tree, with its full path from that tree's root.
public struct TreeFileEntry: Sendable, Hashable {
    public let path: RepoPath
    public let entry: TreeEntry
}

extension Repository {
    func lookupTree(_ id: ObjectID) throws(GitError) -> Owned {
        if let recent = recentTrees.first(where: { $0.id == id }) { return recent.tree }
        var oid = id.oid
        var pointer: OpaquePointer?
        try check(git_tree_lookup(&pointer, handle.pointer, &oid), "reading tree \(id.shortHex)")
        let tree = Owned(pointer!) { git_tree_free($0) }
        recentTrees.insert((id, tree), at: 0)
        if recentTrees.count > 4 { recentTrees.removeLast() }
        return tree
    }

    /// The entries of one tree, in git's order.
    public func entries(ofTree id: ObjectID) throws(GitError) -> [TreeEntry] {
        let tree = try lookupTree(id)
        defer { withExtendedLifetime(tree) {} }
        let count = git_tree_entrycount(tree.pointer)
        var entries: [TreeEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            entries.append(TreeEntry(git_tree_entry_byindex(tree.pointer, index)!))
        }
        return entries
    }

    /// The entry at `path` inside a tree, or nil when nothing is there. The empty path is the
    /// tree itself.
    public func entry(at path: RepoPath, inTree tree: ObjectID) throws(GitError) -> TreeEntry? {
        if path.isEmpty {
            return TreeEntry(name: [], id: tree, kind: .tree, fileMode: 0o040000)
        }
        let owned = try lookupTree(tree)
        defer { withExtendedLifetime(owned) {} }
        var pointer: OpaquePointer?
        let result = path.withCString { git_tree_entry_bypath(&pointer, owned.pointer, $0) }
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "looking up \(path) in tree \(tree.shortHex)")
        let entry = Owned(pointer!) { git_tree_entry_free($0) }
        defer { withExtendedLifetime(entry) {} }
        return TreeEntry(entry.pointer)
    }

    /// Every non-tree entry at or below `directory` of a tree, recursively, sorted by path bytes.
    /// A missing directory gives an empty list; a file at `directory` gives that file.
    public func files(inTree tree: ObjectID, under directory: RepoPath = RepoPath(bytes: [])) throws(GitError) -> [TreeFileEntry] {
        guard let start = try entry(at: directory, inTree: tree) else { return [] }
        guard start.kind == .tree else { return [TreeFileEntry(path: directory, entry: start)] }
        var files: [TreeFileEntry] = []
        try collectFiles(tree: start.id, prefix: directory, into: &files)
        files.sort { $0.path < $1.path }
        return files
    }

    private func collectFiles(tree: ObjectID, prefix: RepoPath, into files: inout [TreeFileEntry]) throws(GitError) {
        for entry in try entries(ofTree: tree) {
            let path = prefix.appending(RepoPath(bytes: entry.name))
            if entry.kind == .tree {
                try collectFiles(tree: entry.id, prefix: path, into: &files)
            } else {
                files.append(TreeFileEntry(path: path, entry: entry))
            }
        }
    }

    /// The bytes of a blob.
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var oid = id.oid
        var pointer: OpaquePointer?
        try check(git_blob_lookup(&pointer, handle.pointer, &oid), "reading blob \(id.shortHex)")
        let blob = Owned(pointer!) { git_blob_free($0) }
        defer { withExtendedLifetime(blob) {} }
        let size = Int(git_blob_rawsize(blob.pointer))
        guard size > 0, let raw = git_blob_rawcontent(blob.pointer) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// A blob's size in bytes, read from the object header without inflating the content.
    public func blobSize(_ id: ObjectID) throws(GitError) -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, handle.pointer), "opening the object database")
        let owned = Owned(odb!) { git_odb_free($0) }
        defer { withExtendedLifetime(owned) {} }
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_ANY
        try check(git_odb_read_header(&size, &type, owned.pointer, &oid), "reading blob \(id.shortHex)")
        return size
    }
}

extension TreeEntry {
    init(_ pointer: OpaquePointer) {
        let name = git_tree_entry_name(pointer)!
        var length = 0
        while name[length] != 0 { length += 1 }
        let bytes = name.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
        let kind: ObjectKind = switch git_tree_entry_type(pointer) {
        case GIT_OBJECT_BLOB: .blob
        case GIT_OBJECT_TREE: .tree
        case GIT_OBJECT_COMMIT: .commit
        default: .other
        }
        self.init(name: bytes, id: ObjectID(git_tree_entry_id(pointer)), kind: kind,
                  fileMode: UInt32(git_tree_entry_filemode_raw(pointer).rawValue))
    }
}

extension RepoPath {
    /// Calls `body` with the path as a NUL-terminated C string (git paths hold no NUL byte).
    func withCString<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
        var terminated = bytes
        terminated.append(0)
        return terminated.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}

internal import CGit2
public import MigCore

/// A file to place in a tree: path, blob id and git file mode (0o100644 for a plain file).
public struct TreeUpdate: Sendable, Hashable {
    public let path: RepoPath
    public let id: ObjectID
    public let fileMode: UInt32

    public init(path: RepoPath, id: ObjectID, fileMode: UInt32 = 0o100644) {
        self.path = path
        self.id = id
        self.fileMode = fileMode
    }
}

extension Repository {
    /// Stores bytes as a blob and returns its id.
    public func writeBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let result = bytes.withUnsafeBytes { git_blob_create_from_buffer(&oid, handle.pointer, $0.baseAddress, $0.count) }
        try check(result, "writing a blob")
        return ObjectID(oid)
    }

    /// Writes the tree that is `base` (nil: empty) with `updates` placed at their paths, creating
    /// intermediate folders, without touching any work tree or index.
    public func writeTree(base: ObjectID?, updating updates: [TreeUpdate]) throws(GitError) -> ObjectID {
        guard !updates.isEmpty else {
            if let base { return base }
            return try emptyTree()
        }
        // No baseline rather than a written empty tree, which would be left behind unreferenced.
        let baseTree = try base.map { id throws(GitError) in try lookupTree(id) }
        defer { withExtendedLifetime(baseTree) {} }
        var cPaths: [UnsafeMutablePointer<CChar>] = []
        defer { cPaths.forEach { $0.deallocate() } }
        var items: [git_tree_update] = []
        items.reserveCapacity(updates.count)
        for update in updates {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: update.path.bytes.count + 1)
            update.path.bytes.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { buffer.update(from: $0.baseAddress!, count: $0.count) }
            }
            buffer[update.path.bytes.count] = 0
            cPaths.append(buffer)
            items.append(git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: update.id.oid,
                                         filemode: git_filemode_t(rawValue: update.fileMode),
                                         path: UnsafePointer(buffer)))
        }
        var out = git_oid()
        try check(git_tree_create_updated(&out, handle.pointer, baseTree?.pointer, items.count, items),
                  "writing a tree")
        return ObjectID(out)
    }

    /// The id of the empty tree, written to the object database if it is not there yet.
    public func emptyTree() throws(GitError) -> ObjectID {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, handle.pointer, nil), "writing the empty tree")
        let owned = Owned(builder!) { git_treebuilder_free($0) }
        defer { withExtendedLifetime(owned) {} }
        var out = git_oid()
        try check(git_treebuilder_write(&out, owned.pointer), "writing the empty tree")
        return ObjectID(out)
    }

    /// Writes a commit object without moving any reference.
    public func createCommit(tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
                             message: String) throws(GitError) -> ObjectID {
        let treeHandle = try lookupTree(tree)
        defer { withExtendedLifetime(treeHandle) {} }
        let parentHandles = try parents.map { id throws(GitError) in try lookupCommit(id) }
        defer { withExtendedLifetime(parentHandles) {} }
        let authorHandle = try Repository.signatureHandle(author)
        defer { withExtendedLifetime(authorHandle) {} }
        let committerHandle = try Repository.signatureHandle(committer)
        defer { withExtendedLifetime(committerHandle) {} }
        var parentPointers: [OpaquePointer?] = parentHandles.map { $0.pointer }
        var out = git_oid()
        let result = parentPointers.withUnsafeMutableBufferPointer { buffer in
            git_commit_create(&out, handle.pointer, nil,
                              UnsafePointer(authorHandle.pointer), UnsafePointer(committerHandle.pointer),
                              nil, message, treeHandle.pointer, buffer.count, buffer.baseAddress)
        }
        try check(result, "writing a commit")
        return ObjectID(out)
    }

    private static func signatureHandle(_ signature: Signature) throws(GitError) -> Owned {
        var pointer: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&pointer, signature.name, signature.email, signature.time.seconds,
                                    signature.time.offsetMinutes),
                  "preparing the signature of \(signature.name)")
        return Owned(OpaquePointer(pointer!)) { git_signature_free(UnsafeMutablePointer($0)) }
    }

    /// Points `name` at `new` only if it still points at `expected` (nil: only if it does not
    /// exist yet). A lost race throws `GitError` with code `.modified`; the ref is unchanged.
    public func updateReference(_ name: String, to new: ObjectID, expecting expected: ObjectID?,
                                message: String) throws(GitError) {
        var newOID = new.oid
        var pointer: OpaquePointer?
        let result: Int32
        if let expected {
            var expectedOID = expected.oid
            result = git_reference_create_matching(&pointer, handle.pointer, name, &newOID, 1, &expectedOID, message)
        } else {
            result = git_reference_create(&pointer, handle.pointer, name, &newOID, 0, message)
        }
        if let pointer { git_reference_free(pointer) }
        if result == GIT_EEXISTS.rawValue || result == GIT_EMODIFIED.rawValue || result == GIT_ENOTFOUND.rawValue {
            let error = GitError.last(result, "updating \(name)")
            throw GitError(code: .modified, operation: error.operation,
                           message: "\(name) changed while it was being updated (\(error.message))")
        }
        try check(result, "updating \(name)")
    }
}

extension Repository {
    /// The tree of the index (the staged change), written to the object database as git itself
    /// does on commit; for pre-commit checks in a work tree, never on a server.
    public func indexTree() throws(GitError) -> ObjectID {
        var index: OpaquePointer?
        try check(git_repository_index(&index, handle.pointer), "opening the index")
        let owned = Owned(index!) { git_index_free($0) }
        defer { withExtendedLifetime(owned) {} }
        var out = git_oid()
        try check(git_index_write_tree(&out, owned.pointer), "writing the staged tree")
        return ObjectID(out)
    }
}

internal import CGit2

/// An open git repository (work tree or bare). One instance owns one `git_repository`.
///
/// Not thread-safe, like the handle it wraps: use one instance per task.
public final class Repository {
    let handle: Owned
    /// The trees read last, newest first: the hook and `ledger verify` compare each commit's
    /// folders with its parent's, and libgit2 caches no tree over 4 KB, so each folder of
    /// thousands of files would otherwise be read and parsed twice.
    var recentTrees: [(id: ObjectID, tree: Owned)] = []
    /// Object folders added from git's environment (a push's quarantine), kept for `location`.
    private var objectFolders: [String] = []

    private init(pointer: OpaquePointer) {
        handle = Owned(pointer) { git_repository_free($0) }
    }

    /// Opens the repository containing `path` (searching upwards like git; nil: the current
    /// directory). Git's own variables in `environment` win, as they do for git: `GIT_DIR` names
    /// the repository, and `GIT_OBJECT_DIRECTORY` and `GIT_ALTERNATE_OBJECT_DIRECTORIES` add the
    /// object folders a hook must read, or a push's quarantined objects stay invisible.
    public static func open(at path: String? = nil, environment: [String: String] = [:]) throws(GitError) -> Repository {
        Library.ensure()
        var pointer: OpaquePointer?
        let gitDirectory = environment["GIT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let location = gitDirectory ?? path ?? "."
        let flags = gitDirectory == nil ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        try check(git_repository_open_ext(&pointer, location, flags, nil),
                  "opening the repository at \(location)")
        let repository = Repository(pointer: pointer!)
        var objectFolders: [String] = []
        if let objects = environment["GIT_OBJECT_DIRECTORY"], !objects.isEmpty { objectFolders.append(objects) }
        if let alternates = environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] {
            objectFolders += alternates.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        if !objectFolders.isEmpty { try repository.addObjectFolders(objectFolders) }
        return repository
    }

    /// Where this repository was opened, object folders included, to open it again for another
    /// thread: a handle is not shared between threads.
    public var location: RepositoryLocation {
        RepositoryLocation(gitDirectory: gitDirectory, objectFolders: objectFolders)
    }

    /// Opens the repository at `location` again.
    public static func open(_ location: RepositoryLocation) throws(GitError) -> Repository {
        Library.ensure()
        var pointer: OpaquePointer?
        try check(git_repository_open_ext(&pointer, location.gitDirectory, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                  "opening the repository at \(location.gitDirectory)")
        let repository = Repository(pointer: pointer!)
        if !location.objectFolders.isEmpty { try repository.addObjectFolders(location.objectFolders) }
        return repository
    }

    /// Makes objects in further folders readable. Reading is all a hook does, so the quarantine
    /// folder serves as an alternate of the main object store rather than replacing it.
    private func addObjectFolders(_ folders: [String]) throws(GitError) {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, handle.pointer), "opening the object database")
        let owned = Owned(odb!) { git_odb_free($0) }
        defer { withExtendedLifetime(owned) {} }
        for folder in folders {
            try check(git_odb_add_disk_alternate(owned.pointer, folder), "adding object folder \(folder)")
        }
        objectFolders += folders
    }

    /// Creates a new repository (used by `init` tests and the demo).
    public static func create(at path: String, bare: Bool) throws(GitError) -> Repository {
        Library.ensure()
        var pointer: OpaquePointer?
        try check(git_repository_init(&pointer, path, bare ? 1 : 0), "creating a repository at \(path)")
        return Repository(pointer: pointer!)
    }

    public var isBare: Bool { git_repository_is_bare(handle.pointer) == 1 }

    /// A shallow clone lacks history: ancestry questions across its boundary have no answer.
    public var isShallow: Bool { git_repository_is_shallow(handle.pointer) == 1 }

    /// The `.git` folder (or the bare repository's folder), with a trailing slash.
    public var gitDirectory: String { String(cString: git_repository_path(handle.pointer)) }

    /// The work tree's root, nil for a bare repository.
    public var workDirectory: String? {
        git_repository_workdir(handle.pointer).map { String(cString: $0) }
    }

    /// Resolves a revision (`HEAD`, a branch, a tag, `abc123^`, a full id) to the commit it names.
    public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, handle.pointer, revision), "resolving '\(revision)'")
        let owned = Owned(object!) { git_object_free($0) }
        defer { withExtendedLifetime(owned) {} }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, owned.pointer, GIT_OBJECT_COMMIT),
                  "'\(revision)' does not name a commit")
        let ownedCommit = Owned(commit!) { git_object_free($0) }
        defer { withExtendedLifetime(ownedCommit) {} }
        return ObjectID(git_object_id(ownedCommit.pointer))
    }

    /// True when an object with this id is in the object database (or its alternates).
    public func contains(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle.pointer) == 0, let odb else { return false }
        let owned = Owned(odb) { git_odb_free($0) }
        defer { withExtendedLifetime(owned) {} }
        var oid = id.oid
        return git_odb_exists(owned.pointer, &oid) == 1
    }

    /// The commit with this id.
    public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
        let commit = try lookupCommit(id)
        defer { withExtendedLifetime(commit) {} }
        return Repository.commitInfo(commit.pointer, id: id)
    }

    func lookupCommit(_ id: ObjectID) throws(GitError) -> Owned {
        var oid = id.oid
        var pointer: OpaquePointer?
        try check(git_commit_lookup(&pointer, handle.pointer, &oid), "reading commit \(id.shortHex)")
        return Owned(pointer!) { git_commit_free($0) }
    }

    static func commitInfo(_ commit: OpaquePointer, id: ObjectID) -> CommitInfo {
        var parents: [ObjectID] = []
        let count = git_commit_parentcount(commit)
        parents.reserveCapacity(Int(count))
        for index in 0..<count {
            parents.append(ObjectID(git_commit_parent_id(commit, index)))
        }
        return CommitInfo(
            id: id,
            tree: ObjectID(git_commit_tree_id(commit)),
            parents: parents,
            author: Signature(git_commit_author(commit)),
            committer: Signature(git_commit_committer(commit)),
            message: git_commit_message(commit).map { String(cString: $0) } ?? ""
        )
    }

    /// The id of the tree of a commit, without parsing anything else.
    public func treeID(ofCommit id: ObjectID) throws(GitError) -> ObjectID {
        let commit = try lookupCommit(id)
        defer { withExtendedLifetime(commit) {} }
        return ObjectID(git_commit_tree_id(commit.pointer))
    }

    /// The commit a reference points at, following symbolic refs and peeling tags; nil when the
    /// reference does not exist.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var pointer: OpaquePointer?
        let result = git_reference_lookup(&pointer, handle.pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "reading reference \(name)")
        let reference = Owned(pointer!) { git_reference_free($0) }
        defer { withExtendedLifetime(reference) {} }
        let resolved: Owned
        do {
            resolved = try direct(reference)
        } catch {
            if error.code == .notFound { return nil }
            throw error
        }
        defer { withExtendedLifetime(resolved) {} }
        guard let target = git_reference_target(resolved.pointer) else { return nil }
        return try peelToCommit(ObjectID(target))
    }

    /// The branch `HEAD` names (`refs/heads/main`), even when that branch has no commit yet.
    public var headReferenceName: String? {
        var pointer: OpaquePointer?
        guard git_reference_lookup(&pointer, handle.pointer, "HEAD") == 0, let pointer else { return nil }
        let head = Owned(pointer) { git_reference_free($0) }
        defer { withExtendedLifetime(head) {} }
        return git_reference_symbolic_target(head.pointer).map { String(cString: $0) }
    }

    /// References whose names match a libgit2 glob (`*` also matches `/`), with their direct
    /// targets and the id packed-refs records an annotated tag peeling to: no object is read,
    /// which keeps a sync that finds a thousand known markers from reading a thousand commits.
    public func referenceTargets(matching glob: String) throws(GitError) -> [ReferenceTarget] {
        var references: [ReferenceTarget] = []
        try forEachReference(matching: glob) { reference throws(GitError) in
            let name = String(cString: git_reference_name(reference.pointer))
            guard let resolved = try? direct(reference) else { return }
            defer { withExtendedLifetime(resolved) {} }
            guard let target = git_reference_target(resolved.pointer) else { return }
            references.append(ReferenceTarget(name: name, target: ObjectID(target),
                                              peeled: git_reference_target_peel(resolved.pointer).map { ObjectID($0) }))
        }
        return references
    }

    /// References whose names match a libgit2 glob (`*` also matches `/`; nil: all), with their
    /// targets and peeled commits, and with `details` their annotated tags and dates too.
    public func references(matching glob: String? = nil, details: Bool = true) throws(GitError) -> [ReferenceInfo] {
        var references: [ReferenceInfo] = []
        try forEachReference(matching: glob) { reference throws(GitError) in
            if let info = try referenceInfo(reference, details: details) { references.append(info) }
        }
        return references
    }

    private func forEachReference(matching glob: String?, _ body: (Owned) throws(GitError) -> Void) throws(GitError) {
        var iterator: OpaquePointer?
        if let glob {
            try check(git_reference_iterator_glob_new(&iterator, handle.pointer, glob), "listing references")
        } else {
            try check(git_reference_iterator_new(&iterator, handle.pointer), "listing references")
        }
        let owned = Owned(iterator!) { git_reference_iterator_free($0) }
        defer { withExtendedLifetime(owned) {} }
        while true {
            var pointer: OpaquePointer?
            let result = git_reference_next(&pointer, owned.pointer)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "listing references")
            let reference = Owned(pointer!) { git_reference_free($0) }
            defer { withExtendedLifetime(reference) {} }
            try body(reference)
        }
    }

    /// `reference` if it is direct, else the direct reference it leads to. libgit2's resolve
    /// looks even a direct reference up again by name, a file system probe per tag.
    private func direct(_ reference: Owned) throws(GitError) -> Owned {
        guard git_reference_type(reference.pointer) != GIT_REFERENCE_DIRECT else { return reference }
        var pointer: OpaquePointer?
        try check(git_reference_resolve(&pointer, reference.pointer), "resolving reference \(String(cString: git_reference_name(reference.pointer)))")
        return Owned(pointer!) { git_reference_free($0) }
    }

    private func referenceInfo(_ reference: Owned, details: Bool) throws(GitError) -> ReferenceInfo? {
        let name = String(cString: git_reference_name(reference.pointer))
        guard let resolved = try? direct(reference) else { return nil }
        defer { withExtendedLifetime(resolved) {} }
        guard let targetPointer = git_reference_target(resolved.pointer) else { return nil }
        let target = ObjectID(targetPointer)
        guard details else {
            var peeled: OpaquePointer?
            guard git_reference_peel(&peeled, resolved.pointer, GIT_OBJECT_COMMIT) == 0, let peeled else {
                return ReferenceInfo(name: name, target: target, commit: nil, tag: nil, date: nil)
            }
            let object = Owned(peeled) { git_object_free($0) }
            defer { withExtendedLifetime(object) {} }
            return ReferenceInfo(name: name, target: target, commit: ObjectID(git_object_id(object.pointer)),
                                 tag: nil, date: nil)
        }
        let tag = try annotatedTag(target)
        let commitID = try peelToCommit(tag?.target ?? target)
        var date = tag?.tagger?.time
        if date == nil, let commitID {
            date = try commit(commitID).committer.time
        }
        return ReferenceInfo(name: name, target: target, commit: commitID, tag: tag, date: date)
    }

    /// The annotated tag with this id, or nil when the object is not a tag.
    public func annotatedTag(_ id: ObjectID) throws(GitError) -> TagInfo? {
        var oid = id.oid
        var pointer: OpaquePointer?
        let result = git_object_lookup(&pointer, handle.pointer, &oid, GIT_OBJECT_ANY)
        try check(result, "reading object \(id.shortHex)")
        let object = Owned(pointer!) { git_object_free($0) }
        defer { withExtendedLifetime(object) {} }
        guard git_object_type(object.pointer) == GIT_OBJECT_TAG else { return nil }
        let tag = object.pointer
        return TagInfo(
            id: id,
            name: String(cString: git_tag_name(tag)),
            target: ObjectID(git_tag_target_id(tag)),
            tagger: git_tag_tagger(tag).map { Signature($0) },
            message: git_tag_message(tag).map { String(cString: $0) } ?? ""
        )
    }

    /// The commit an object peels to (following tag chains), or nil for trees and blobs.
    public func peelToCommit(_ id: ObjectID) throws(GitError) -> ObjectID? {
        var oid = id.oid
        var pointer: OpaquePointer?
        try check(git_object_lookup(&pointer, handle.pointer, &oid, GIT_OBJECT_ANY), "reading object \(id.shortHex)")
        let object = Owned(pointer!) { git_object_free($0) }
        defer { withExtendedLifetime(object) {} }
        var peeled: OpaquePointer?
        let result = git_object_peel(&peeled, object.pointer, GIT_OBJECT_COMMIT)
        guard result == 0, let peeled else { return nil }
        let owned = Owned(peeled) { git_object_free($0) }
        defer { withExtendedLifetime(owned) {} }
        return ObjectID(git_object_id(owned.pointer))
    }

    /// True when `commit` has `ancestor` in its history (a commit is not its own descendant).
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws(GitError) -> Bool {
        var commitOID = commit.oid, ancestorOID = ancestor.oid
        let result = git_graph_descendant_of(handle.pointer, &commitOID, &ancestorOID)
        try check(result, "testing ancestry of \(commit.shortHex)")
        return result == 1
    }

    /// The best common ancestor of two commits, nil when they share no history.
    public func mergeBase(_ one: ObjectID, _ two: ObjectID) throws(GitError) -> ObjectID? {
        var out = git_oid()
        var oneOID = one.oid, twoOID = two.oid
        let result = git_merge_base(&out, handle.pointer, &oneOID, &twoOID)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "finding the merge base of \(one.shortHex) and \(two.shortHex)")
        return ObjectID(out)
    }
}

extension Signature {
    init(_ pointer: UnsafePointer<git_signature>) {
        let signature = pointer.pointee
        self.init(name: signature.name.map { String(cString: $0) } ?? "",
                  email: signature.email.map { String(cString: $0) } ?? "",
                  time: GitTime(seconds: signature.when.time, offsetMinutes: signature.when.offset))
    }
}

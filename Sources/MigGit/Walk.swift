internal import CGit2

/// The order of a revision walk; combine `.topological` with `.time` for git's default-like
/// order, and add `.reverse` to start from the oldest.
public struct WalkOrder: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let topological = WalkOrder(rawValue: GIT_SORT_TOPOLOGICAL.rawValue)
    public static let time = WalkOrder(rawValue: GIT_SORT_TIME.rawValue)
    public static let reverse = WalkOrder(rawValue: GIT_SORT_REVERSE.rawValue)
}

/// A walk over commits reachable from the pushed ids and not from the hidden ones.
/// Owns one `git_revwalk`.
public final class RevisionWalk {
    private let walker: Owned
    private let repository: Repository

    init(repository: Repository) throws(GitError) {
        var pointer: OpaquePointer?
        try check(git_revwalk_new(&pointer, repository.handle.pointer), "starting a revision walk")
        walker = Owned(pointer!) { git_revwalk_free($0) }
        self.repository = repository
    }

    public func push(_ id: ObjectID) throws(GitError) {
        var oid = id.oid
        try check(git_revwalk_push(walker.pointer, &oid), "walking from \(id.shortHex)")
    }

    public func hide(_ id: ObjectID) throws(GitError) {
        var oid = id.oid
        try check(git_revwalk_hide(walker.pointer, &oid), "hiding \(id.shortHex) from the walk")
    }

    /// Hides everything reachable from references matching a glob such as `refs/*`. As in
    /// libgit2, a glob without `*`, `?` or `[` gets `/*` appended, so it names a folder of refs.
    public func hideReferences(matching glob: String) throws(GitError) {
        try check(git_revwalk_hide_glob(walker.pointer, glob), "hiding references \(glob) from the walk")
    }

    public func sort(_ order: WalkOrder) throws(GitError) {
        try check(git_revwalk_sorting(walker.pointer, order.rawValue), "sorting the revision walk")
    }

    /// Follows only the first parent of merges, like `git log --first-parent`.
    public func simplifyFirstParent() throws(GitError) {
        try check(git_revwalk_simplify_first_parent(walker.pointer), "simplifying the walk")
    }

    /// The next commit id, nil at the end.
    public func next() throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_revwalk_next(&oid, walker.pointer)
        if result == GIT_ITEROVER.rawValue { return nil }
        try check(result, "walking commits")
        return ObjectID(oid)
    }

    /// Every remaining commit id, up to `limit` when given.
    public func all(limit: Int = .max) throws(GitError) -> [ObjectID] {
        var ids: [ObjectID] = []
        while ids.count < limit, let id = try next() { ids.append(id) }
        return ids
    }
}

extension Repository {
    /// A walk from `pushing`, excluding what `hiding` reaches.
    public func walk(pushing: [ObjectID], hiding: [ObjectID] = [], order: WalkOrder = [.topological, .time],
                     firstParentOnly: Bool = false) throws(GitError) -> RevisionWalk {
        let walk = try RevisionWalk(repository: self)
        try walk.sort(order)
        for id in pushing { try walk.push(id) }
        for id in hiding { try walk.hide(id) }
        if firstParentOnly { try walk.simplifyFirstParent() }
        return walk
    }
}

internal import CGit2
public import MigCore

/// What happened to a path between two trees.
public enum DeltaStatus: Sendable, Hashable {
    case added
    case deleted
    case modified
    case renamed
    case copied
    case typeChanged
    case other
}

/// One changed file between two trees.
public struct DiffDelta: Sendable, Hashable {
    public let status: DeltaStatus
    public let oldPath: RepoPath
    public let newPath: RepoPath
    public let oldID: ObjectID
    public let newID: ObjectID
    public let oldMode: UInt32
    public let newMode: UInt32
    /// For renames and copies, how similar the two files are (0–100).
    public let similarity: Int
}

extension Repository {
    /// The files that differ between two trees (nil is the empty tree), restricted to `paths`
    /// (files or folders, taken literally; empty means everything), with renames paired when
    /// `detectRenames` is set.
    public func diff(from oldTree: ObjectID?, to newTree: ObjectID?, paths: [RepoPath] = [],
                     detectRenames: Bool = false) throws(GitError) -> [DiffDelta] {
        let old = try oldTree.map { id throws(GitError) in try lookupTree(id) }
        defer { withExtendedLifetime(old) {} }
        let new = try newTree.map { id throws(GitError) in try lookupTree(id) }
        defer { withExtendedLifetime(new) {} }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "preparing a diff")
        options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
        options.flags |= GIT_DIFF_INCLUDE_TYPECHANGE.rawValue

        var cPaths = paths.map { path -> UnsafeMutablePointer<CChar>? in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: path.bytes.count + 1)
            path.bytes.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { buffer.update(from: $0.baseAddress!, count: $0.count) }
            }
            buffer[path.bytes.count] = 0
            return buffer
        }
        defer { cPaths.forEach { $0?.deallocate() } }

        var pointer: OpaquePointer?
        let result = cPaths.withUnsafeMutableBufferPointer { buffer in
            options.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return git_diff_tree_to_tree(&pointer, handle.pointer, old?.pointer, new?.pointer, &options)
        }
        try check(result, "comparing trees")
        let diff = Owned(pointer!) { git_diff_free($0) }
        defer { withExtendedLifetime(diff) {} }

        if detectRenames {
            var find = git_diff_find_options()
            try check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "preparing rename detection")
            find.flags = GIT_DIFF_FIND_RENAMES.rawValue
            try check(git_diff_find_similar(diff.pointer, &find), "detecting renames")
        }

        let count = git_diff_num_deltas(diff.pointer)
        var deltas: [DiffDelta] = []
        deltas.reserveCapacity(count)
        for index in 0..<count {
            guard let delta = git_diff_get_delta(diff.pointer, index)?.pointee else { continue }
            deltas.append(DiffDelta(delta))
        }
        return deltas
    }
}

extension DiffDelta {
    init(_ delta: git_diff_delta) {
        let status: DeltaStatus = switch delta.status {
        case GIT_DELTA_ADDED: .added
        case GIT_DELTA_DELETED: .deleted
        case GIT_DELTA_MODIFIED: .modified
        case GIT_DELTA_RENAMED: .renamed
        case GIT_DELTA_COPIED: .copied
        case GIT_DELTA_TYPECHANGE: .typeChanged
        default: .other
        }
        self.init(status: status,
                  oldPath: RepoPath(cString: delta.old_file.path),
                  newPath: RepoPath(cString: delta.new_file.path),
                  oldID: ObjectID(delta.old_file.id),
                  newID: ObjectID(delta.new_file.id),
                  oldMode: UInt32(delta.old_file.mode),
                  newMode: UInt32(delta.new_file.mode),
                  similarity: Int(delta.similarity))
    }
}

extension RepoPath {
    init(cString: UnsafePointer<CChar>?) {
        guard let cString else {
            self.init(bytes: [])
            return
        }
        var length = 0
        while cString[length] != 0 { length += 1 }
        let bytes = cString.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
        self.init(bytes: bytes)
    }
}

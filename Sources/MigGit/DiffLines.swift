internal import CGit2
public import MigCore

/// The lines of one changed file that a diff shows on its new side, for placing review
/// comments: forges accept comments only on lines their diff view shows.
public struct DiffLines: Sendable, Hashable {
    public let status: DeltaStatus
    public let oldPath: RepoPath
    public let newPath: RepoPath
    /// New-side line numbers of added lines.
    public let added: Set<Int>
    /// New-side line numbers of unchanged lines shown as context, with their old-side numbers.
    public let context: [Int: Int]

    public init(status: DeltaStatus, oldPath: RepoPath, newPath: RepoPath, added: Set<Int>, context: [Int: Int]) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
        self.added = added
        self.context = context
    }

    /// Whether a comment can sit on new-side `line`.
    public func shows(_ line: Int) -> Bool { added.contains(line) || context[line] != nil }
}

extension Repository {
    /// For each file that differs between two trees, the new-side lines of its hunks with
    /// `contextLines` lines of context (3, as git and the forges show), renames paired.
    public func diffLines(from oldTree: ObjectID?, to newTree: ObjectID?, contextLines: Int = 3) throws(GitError) -> [DiffLines] {
        let old = try oldTree.map { id throws(GitError) in try lookupTree(id) }
        defer { withExtendedLifetime(old) {} }
        let new = try newTree.map { id throws(GitError) in try lookupTree(id) }
        defer { withExtendedLifetime(new) {} }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "preparing a diff")
        options.context_lines = UInt32(contextLines)
        var pointer: OpaquePointer?
        try check(git_diff_tree_to_tree(&pointer, handle.pointer, old?.pointer, new?.pointer, &options), "comparing trees")
        let diff = Owned(pointer!) { git_diff_free($0) }
        defer { withExtendedLifetime(diff) {} }
        var find = git_diff_find_options()
        try check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "preparing rename detection")
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try check(git_diff_find_similar(diff.pointer, &find), "detecting renames")

        var files: [DiffLines] = []
        for index in 0..<git_diff_num_deltas(diff.pointer) {
            guard let delta = git_diff_get_delta(diff.pointer, index)?.pointee else { continue }
            let info = DiffDelta(delta)
            var patchPointer: OpaquePointer?
            try check(git_patch_from_diff(&patchPointer, diff.pointer, index), "reading the diff of \(info.newPath)")
            var added = Set<Int>()
            var context: [Int: Int] = [:]
            if let patchPointer {
                let patch = Owned(patchPointer) { git_patch_free($0) }
                defer { withExtendedLifetime(patch) {} }
                for hunk in 0..<git_patch_num_hunks(patch.pointer) {
                    let count = git_patch_num_lines_in_hunk(patch.pointer, hunk)
                    for lineIndex in 0..<Int(max(count, 0)) {
                        var line: UnsafePointer<git_diff_line>?
                        try check(git_patch_get_line_in_hunk(&line, patch.pointer, hunk, lineIndex), "reading a diff line")
                        guard let line = line?.pointee else { continue }
                        switch UInt8(bitPattern: line.origin) {
                        case UInt8(ascii: "+"): added.insert(Int(line.new_lineno))
                        case UInt8(ascii: " "): context[Int(line.new_lineno)] = Int(line.old_lineno)
                        default: break
                        }
                    }
                }
            }
            files.append(DiffLines(status: info.status, oldPath: info.oldPath, newPath: info.newPath, added: added, context: context))
        }
        return files
    }
}

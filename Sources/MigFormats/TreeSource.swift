public import MigCore

/// What a tree entry is, as git records it in the entry's mode.
public enum EntryMode: Sendable, Hashable {
    case regular
    case executable
    case symlink
    case submodule
}

/// A file in a tree: its path, blob id (hex) and mode.
public struct TreeFile: Sendable, Hashable {
    public let path: RepoPath
    public let objectID: String
    public let mode: EntryMode

    public init(path: RepoPath, objectID: String, mode: EntryMode) {
        self.path = path
        self.objectID = objectID
        self.mode = mode
    }
}

/// A read-only view of one tree (a commit's, the index's, or a folder on disk in tests).
///
/// Formats read migrations only through this, so the same code works in a work tree, a bare
/// repository on a git server, and the quarantined objects of a push.
public protocol TreeSource {
    /// Every non-directory entry at or below `directory`, recursively, sorted by path bytes.
    /// An empty `directory` means the whole tree; a missing one gives an empty list.
    func files(under directory: RepoPath) throws -> [TreeFile]

    /// The bytes of a file's blob.
    func contents(of file: TreeFile) throws -> [UInt8]
}

public import MigCore
public import MigFormats
public import MigGit

/// A commit's tree (or any tree) as a `TreeSource`, read straight from the object database, so
/// formats work alike in work trees, bare server repositories and a push's quarantine.
public struct GitTreeSource: TreeSource {
    public let repository: Repository
    public let tree: ObjectID

    public init(repository: Repository, tree: ObjectID) {
        self.repository = repository
        self.tree = tree
    }

    public init(repository: Repository, commit: ObjectID) throws(GitError) {
        self.init(repository: repository, tree: try repository.treeID(ofCommit: commit))
    }

    public func files(under directory: RepoPath) throws -> [TreeFile] {
        try repository.files(inTree: tree, under: directory).map { file in
            TreeFile(path: file.path, objectID: file.entry.id.hex, mode: EntryMode(file.entry))
        }
    }

    public func contents(of file: TreeFile) throws -> [UInt8] {
        guard let id = ObjectID(hex: file.objectID) else {
            throw GitError(code: .notFound, operation: "reading \(file.path)", message: "not a blob id: \(file.objectID)")
        }
        return try repository.blob(id)
    }
}

extension EntryMode {
    init(_ entry: TreeEntry) {
        if entry.isSubmodule {
            self = .submodule
        } else if entry.isSymlink {
            self = .symlink
        } else if entry.isExecutable {
            self = .executable
        } else {
            self = .regular
        }
    }
}

import MigCore
import MigFormats
import Testing

/// A tree held in memory: path bytes to contents and mode, with git's listing order.
struct MemoryTree: TreeSource {
    private var entries: [RepoPath: (bytes: [UInt8], mode: EntryMode)] = [:]

    init(_ files: [String: String] = [:]) {
        for (path, text) in files { add(path, text) }
    }

    mutating func add(_ path: String, _ text: String, mode: EntryMode = .regular) {
        add(RepoPath(path), bytes: Array(text.utf8), mode: mode)
    }

    mutating func add(_ path: RepoPath, bytes: [UInt8], mode: EntryMode = .regular) {
        entries[path] = (bytes, mode)
    }

    func files(under directory: RepoPath) throws -> [TreeFile] {
        entries.filter { $0.key.isInside(directory) }
            .map { TreeFile(path: $0.key, objectID: MemoryTree.objectID($0.value.bytes), mode: $0.value.mode) }
            .sorted { $0.path < $1.path }
    }

    func contents(of file: TreeFile) throws -> [UInt8] {
        guard let entry = entries[file.path] else { throw MissingBlob(path: file.path) }
        return entry.bytes
    }

    /// A stand-in for a blob id: FNV-1a of the bytes, so equal contents get equal ids.
    static func objectID(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

struct MissingBlob: Error {
    let path: RepoPath
}

/// A tree whose reads fail, as a corrupt repository's would.
struct FailingTree: TreeSource {
    let listing: [TreeFile]

    func files(under directory: RepoPath) throws -> [TreeFile] { listing }

    func contents(of file: TreeFile) throws -> [UInt8] { throw MissingBlob(path: file.path) }
}

extension Discovery {
    var paths: [String] { migrations.map(\.path.description) }
    var ignoredPaths: [String] { ignored.map(\.description) }
    var misnamedPaths: [String] { misnamed.map(\.path.description) }
    var problemPaths: [String] { problems.map(\.path.description) }

    func migration(_ path: String) -> Migration? {
        migrations.first { $0.path == RepoPath(path) }
    }
}

/// Discovers, and checks that the name-only verdicts agree with the discovery, so every
/// fixture of the format tests is a test of `nameVerdict` too.
func discover(_ kind: MigrationFormatKind, _ tree: MemoryTree, in folder: String,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> Discovery {
    let discovery = try MigrationFormats.format(for: kind).discover(in: tree, folder: RepoPath(folder))
    try expectNamesAgree(kind, tree, in: RepoPath(folder), with: discovery, sourceLocation: sourceLocation)
    return discovery
}

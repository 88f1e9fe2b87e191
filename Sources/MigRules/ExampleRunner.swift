public import MigCore
import MigFormats

/// Runs a rule example through the same subject building the git engine uses, on in-memory
/// trees, so `swift test` checks every rule's documentation against its behaviour.
public enum ExampleRunner {
    /// The rule's hits for the example, each with the path it landed on.
    public static func hits(of rule: any Rule, in example: RuleExample) throws -> [(path: RepoPath, hit: RuleHit)] {
        var beforeFiles = example.before
        var deltas: [FileDelta] = []
        let objects = MemoryObjects()
        for (from, to) in example.renames.sorted(by: { $0.key < $1.key }) {
            guard let contents = beforeFiles.removeValue(forKey: from) else { continue }
            beforeFiles[to] = contents
            deltas.append(FileDelta(status: .renamed, oldPath: RepoPath(from), newPath: RepoPath(to),
                                    oldBlob: objects.id(contents), newBlob: objects.id(contents)))
        }
        var afterFiles = beforeFiles
        for (path, contents) in example.change.sorted(by: { $0.key < $1.key }) {
            let old = beforeFiles[path]
            afterFiles[path] = contents
            switch (old, contents) {
            case (nil, let new?):
                deltas.append(FileDelta(status: .added, oldPath: RepoPath(path), newPath: RepoPath(path),
                                        oldBlob: "", newBlob: objects.id(new)))
            case (let old?, let new?) where old != new:
                deltas.append(FileDelta(status: .modified, oldPath: RepoPath(path), newPath: RepoPath(path),
                                        oldBlob: objects.id(old), newBlob: objects.id(new)))
            case (let old?, nil):
                deltas.append(FileDelta(status: .deleted, oldPath: RepoPath(path), newPath: RepoPath(path),
                                        oldBlob: objects.id(old), newBlob: ""))
            default:
                continue
            }
        }
        var deployed: [String: [RepoPath: DeployedFile]] = [:]
        for (environment, files) in example.deployed {
            for (path, contents) in files {
                deployed[environment, default: [:]][RepoPath(path)] = DeployedFile(
                    blob: objects.id(contents), marker: "refs/tags/v1.0", deployedAt: "2024-01-01T00:00:00Z",
                    sourceCommit: String(repeating: "a", count: 40))
            }
        }
        let set = SetContext(path: RepoPath(example.folder), format: example.format, dialect: .postgres,
                             splitLayout: example.splitLayout)
        let builder = SubjectBuilder(set: set, immutability: example.immutability, deployed: DeployedTable(deployed))
        let after = MemoryTree(files: afterFiles.compactMapValues { $0 }, objects: objects)
        let subjects = try builder.subjects(for: deltas, after: after, blobs: after) { try builder.versionIndex(listing: after) }
        return subjects.flatMap { subject in rule.check(subject).map { (subject.path, $0) } }
    }
}

/// Content-addressed bytes for the examples' in-memory trees.
final class MemoryObjects: @unchecked Sendable {
    private(set) var contents: [String: [UInt8]] = [:]

    func id(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let id = String(hash, radix: 16) + String(bytes.count)
        contents[id] = bytes
        return id
    }
}

/// A tree held in memory: paths to contents, blobs by id.
struct MemoryTree: TreeSource {
    let files: [String: String]
    let objects: MemoryObjects

    func files(under directory: RepoPath) throws -> [TreeFile] {
        files.keys.map(RepoPath.init).filter { $0.isInside(directory) && $0 != directory }.sorted().map { path in
            TreeFile(path: path, objectID: objects.id(files[path.description]!), mode: .regular)
        }
    }

    func contents(of file: TreeFile) throws -> [UInt8] {
        objects.contents[file.objectID] ?? []
    }
}

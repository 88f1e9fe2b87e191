import Foundation
import MigCore
import MigGit
import Testing
import TestSupport

/// The ledger compares a deploy's folders with the last deploy's kept as stored bytes; it must
/// report exactly what libgit2's tree diff reports, in the same order.
@Suite struct TreeComparisonTests {
    @Test func reportsWhatLibgit2ReportsWithAndWithoutTheOldTreesAtHand() throws {
        let fixture = try GitFixture()
        let repository = try Repository.open(at: fixture.path)
        // Each version of the folder is a commit; the files change kind (file, folder, link,
        // executable), move between nesting levels and sort around each other.
        let versions: [[String: String?]] = [
            ["m/001.sql": "a", "m/a": "x", "m/a-b/1.sql": "y", "m/a.b": "z", "m/sub/deep/2.sql": "d", "m/link": "target"],
            ["m/001.sql": "a2", "m/a": nil, "m/a/inner.sql": "now a folder", "m/sub/deep/3.sql": "e", "m/new/4.sql": "n"],
            ["m/a-b/1.sql": nil, "m/a-b": "now a file", "m/sub/deep/2.sql": nil, "m/a.b": "z2"],
            ["m/sub/deep/3.sql": nil, "m/001.sql": "a2"],
            [:],
        ]
        var trees: [ObjectID?] = []
        for (number, files) in versions.enumerated() {
            for (path, text) in files.sorted(by: { $0.key < $1.key }) {
                if let text {
                    try? FileManager.default.removeItem(atPath: fixture.path + "/" + path)
                    try fixture.write(path, text + "\n")
                } else {
                    try fixture.git("rm", "-rq", path)
                }
            }
            if number == 1 {
                try FileManager.default.removeItem(atPath: fixture.path + "/m/link")
                try FileManager.default.createSymbolicLink(atPath: fixture.path + "/m/link", withDestinationPath: "001.sql")
            }
            if number == 2 {
                try fixture.git("update-index", "--chmod=+x", "m/001.sql")
            }
            let commit = try fixture.commitAll("version \(number)")
            let root = try repository.treeID(ofCommit: try #require(ObjectID(hex: commit)))
            trees.append(try repository.entry(at: RepoPath("m"), inTree: root)?.id)
        }
        trees.append(nil)

        var known = TreeStore()
        for (old, new) in zip([nil] + trees, trees) {
            let expected = try repository.diff(from: old, to: new)
            var cold = TreeStore()
            #expect(try repository.diff(from: old, to: new, known: TreeStore(), keeping: &cold) == expected)
            var kept = TreeStore()
            let warm = try repository.diff(from: old, to: new, known: known, keeping: &kept)
            #expect(warm == expected)
            #expect(kept.isEmpty == (new == nil))
            known = kept
        }
        #expect(try repository.diff(from: trees[0], to: trees[2]).contains { $0.status == .typeChanged })
    }

    /// Some old tools wrote a folder's mode as `040000`; git and libgit2 read it as a folder.
    @Test func aZeroPaddedFolderModeIsAFolder() throws {
        let fixture = try GitFixture(bare: true)
        let repository = try Repository.open(at: fixture.path)
        let blob = try repository.writeBlob(Array("select 1;\n".utf8))
        let inner = try fixture.git("mktree", stdin: "100644 blob \(blob.hex)\t1.sql\n").stdout.trimmed
        var padded = Array("040000 sub\0".utf8)
        try #require(ObjectID(hex: inner)).appendRaw(to: &padded)
        try fixture.write("padded-tree", bytes: padded)
        let outer = try #require(ObjectID(hex: try fixture.git("hash-object", "-t", "tree", "--literally", "-w", "padded-tree").stdout.trimmed))
        var kept = TreeStore()
        let deltas = try repository.diff(from: nil, to: outer, known: TreeStore(), keeping: &kept)
        #expect(deltas == (try repository.diff(from: nil, to: outer)))
        #expect(deltas.map(\.newPath) == [RepoPath("sub/1.sql")])
    }

    @Test func aStoreThatDoesNotMatchItsIdsIsRejected() throws {
        let fixture = try GitFixture()
        try fixture.write("m/1.sql", "one\n")
        let commit = try fixture.commitAll("one")
        let repository = try Repository.open(at: fixture.path)
        let root = try repository.treeID(ofCommit: try #require(ObjectID(hex: commit)))
        let folder = try #require(try repository.entry(at: RepoPath("m"), inTree: root)).id
        var store = TreeStore()
        _ = try repository.diff(from: nil, to: folder, known: TreeStore(), keeping: &store)
        var bytes: [UInt8] = []
        store.encode(into: &bytes)
        #expect(bytes.count == store.encodedSize)
        #expect(TreeStore(decoding: bytes[...]) != nil)
        var damaged = bytes
        damaged[damaged.count - 1] ^= 0xFF
        #expect(TreeStore(decoding: damaged[...]) == nil)
        #expect(TreeStore(decoding: bytes.dropLast()) == nil)
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

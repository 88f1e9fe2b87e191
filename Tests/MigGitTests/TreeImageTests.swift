import Foundation
import MigCore
import MigGit
import Testing
import TestSupport

/// TreeImage splices entries into the stored bytes of the folders it changes: every tree it
/// writes must be the tree git itself writes for the same files.
@Suite struct TreeImageTests {
    @Test func writesTheTreesGitWritesForTheSameChanges() throws {
        let fixture = try GitFixture()
        for (path, text) in [("a", "1"), ("a-b/x", "2"), ("a.b", "3"), ("b/c/d.sql", "4"), ("b/e.sql", "5"), ("z", "6"),
                             ("a0/q", "7")] {
            try fixture.write(path, text + "\n")
        }
        let base = try fixture.commitAll("base")
        let repository = try Repository.open(at: fixture.path)
        let baseTree = try repository.treeID(ofCommit: try #require(ObjectID(hex: base)))
        let index = fixture.path + "/.git/migledger-test-index"
        let environment = ["GIT_INDEX_FILE": index]
        try fixture.git("read-tree", baseTree.hex, environment: environment)

        let writes = ObjectWrites(repository: repository, storage: .loose)
        let image = TreeImage(repository: repository, tree: baseTree, writes: writes)
        // Each round is written once; the names sort around each other ("a", "a-b", "a.b",
        // "a/", "a0") and some replace a file with a folder or a folder with a file.
        let rounds: [[(String, UInt32)]] = [
            [("a-b/y", 0o100644), ("a.b", 0o100644), ("b/c/new.sql", 0o100644), ("new/deep/file.sql", 0o100755),
             ("a/inner.sql", 0o100644)],
            [("z/inside", 0o100644), ("b/c/d.sql", 0o100644), ("new/deep/file2.sql", 0o100644), ("a-b", 0o100644),
             ("a/inner.sql", 0o100755)],
            [("a-b/again", 0o100644), ("0", 0o120000), ("b/c/d.sql", 0o100644)],
        ]
        for (number, round) in rounds.enumerated() {
            for (offset, (path, mode)) in round.enumerated() {
                let blob = try repository.writeBlob(Array("round \(number) file \(offset)\n".utf8))
                try image.upsert(RepoPath(path), id: blob, fileMode: mode)
                try fixture.git("update-index", "--add", "--replace", "--cacheinfo", "\(String(mode, radix: 8)),\(blob.hex),\(path)",
                                environment: environment)
            }
            let written = image.write()
            try writes.flush()
            try writes.finish()
            let expected = try fixture.git("write-tree", environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(written.hex == expected, "round \(number)")
        }
        try fixture.git("fsck", "--strict", "--no-dangling")
    }

    @Test func aMalformedStoredTreeIsAnErrorNotACrash() throws {
        let fixture = try GitFixture(bare: true)
        // git hash-object refuses a malformed tree unless told not to check
        let bad = try fixture.git("hash-object", "-t", "tree", "-w", "--literally", "--stdin", stdin: "100644 name-without-id")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let repository = try Repository.open(at: fixture.path)
        let badTree: ObjectID = try #require(ObjectID(hex: bad))
        let image = TreeImage(repository: repository, tree: badTree,
                              writes: ObjectWrites(repository: repository, storage: .loose))
        #expect(throws: GitError.self) {
            try image.upsert(RepoPath("db/1.sql"), id: try repository.writeBlob([0x31]))
        }
    }
}

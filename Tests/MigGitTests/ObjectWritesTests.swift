import Foundation
import MigCore
import MigGit
import Testing
import TestSupport

/// The packs migledger writes itself (ledger syncs of many deploys): git must read them as its
/// own, deltas included.
@Suite struct ObjectWritesTests {
    @Test func treesGrownFileByFileArePackedAsDeltasThatGitReadsBack() throws {
        let fixture = try GitFixture(bare: true)
        let repository = try Repository.open(at: fixture.path)
        let packs = ObjectWrites(repository: repository, storage: .pack)
        let image = TreeImage(repository: repository, tree: nil, writes: packs)
        var expected: [ObjectID: Set<String>] = [:]
        var files: Set<String> = []
        var generator = SeededNumbers(seed: 7)
        var commit: ObjectID?
        let author = Signature(name: "migledger", email: "migledger@localhost", time: GitTime(seconds: 1_700_000_000, offsetMinutes: -150))
        for round in 0..<40 {
            // Mostly appended names, as timestamped migrations are, and some that sort between
            // existing ones, so deltas insert in the middle too.
            for number in 0..<12 {
                let stem = number < 9 ? String(format: "%05d", round * 100 + number) : String(format: "%05d", generator.next(below: 4000))
                let name = "\(stem)_change_\(round)_\(number).sql"
                let blob = try repository.writeBlob(Array("-- \(round) \(number)\nselect \(round);\n".utf8))
                try image.upsert(RepoPath("db/migrate/\(name)"), id: blob)
                files.insert(name)
            }
            let tree = image.write()
            expected[tree] = files
            commit = packs.store(commitOf: tree, parents: commit.map { [$0] } ?? [], author: author, committer: author,
                                 message: "Round \(round)\n\nEnvironment: test\n")
            if round % 10 == 9 { try packs.flush() }
        }
        try packs.finish()

        let packFiles = try FileManager.default.contentsOfDirectory(atPath: fixture.path + "/objects/pack")
            .filter { $0.hasSuffix(".pack") }
        #expect(packFiles.count == 4)
        var deltas = 0
        for pack in packFiles {
            // verify-pack checks the pack and index checksums and CRCs and hashes every object
            let verified = try fixture.git("verify-pack", "-v", "objects/pack/" + pack)
            deltas += verified.stdout.split(separator: "\n").count { $0.contains(" tree ") && $0.split(separator: " ").count > 5 }
        }
        // The migrate folder's trees after the first of each pack are deltas (all but a few
        // of the first pack, where a tree is mostly new entries); the one-entry trees above it
        // are smaller whole.
        #expect(deltas >= 30)
        try fixture.git("fsck", "--strict", "--no-dangling")
        let head = try #require(commit)
        #expect(try fixture.git("rev-list", "--count", head.hex).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "40")
        #expect(try repository.commit(head).author == author)

        let reader = try Repository.open(at: fixture.path)
        for (tree, names) in expected {
            let folder = try #require(try reader.entry(at: RepoPath("db/migrate"), inTree: tree))
            let listed = try reader.entries(ofTree: folder.id).map { String(decoding: $0.name, as: UTF8.self) }
            #expect(Set(listed) == names)
            let byGit = try fixture.git("ls-tree", "--name-only", tree.hex + ":db/migrate").stdout.split(separator: "\n").map(String.init)
            #expect(byGit == listed)
        }
    }
}

extension ObjectWritesTests {
    /// A commit kept for a pack has the id libgit2 gives the same commit written loose.
    @Test func commitsKeptForAPackAreTheCommitsLibgit2Writes() throws {
        let fixture = try GitFixture(bare: true)
        let repository = try Repository.open(at: fixture.path)
        let blob = try repository.writeBlob(Array("select 1;\n".utf8))
        let writes = ObjectWrites(repository: repository, storage: .loose)
        let image = TreeImage(repository: repository, tree: nil, writes: writes)
        try image.upsert(RepoPath("db/1.sql"), id: blob)
        let tree = image.write()
        try writes.flush()
        try writes.finish()
        #expect(try fixture.git("cat-file", "-t", tree.hex).stdout == "tree\n")
        let author = Signature(name: "A. Deployer", email: "deploy@example.com", time: GitTime(seconds: 1_710_000_000, offsetMinutes: 330))
        let committer = Signature(name: "migledger", email: "migledger@localhost", time: GitTime(seconds: 1_710_000_060, offsetMinutes: -480))
        let first = try repository.createCommit(tree: tree, parents: [], author: author, committer: committer, message: "first\n")
        let loose = try repository.createCommit(tree: tree, parents: [first], author: author, committer: committer,
                                                message: "Deploy\n\nMarker: refs/tags/v1\n")
        let packs = ObjectWrites(repository: repository, storage: .pack)
        #expect(packs.store(commitOf: tree, parents: [first], author: author, committer: committer,
                            message: "Deploy\n\nMarker: refs/tags/v1\n") == loose)
    }
}

/// Deterministic numbers, so a failure repeats.
private struct SeededNumbers {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

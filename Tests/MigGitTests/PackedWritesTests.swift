import Foundation
import MigCore
import MigGit
import Testing
import TestSupport

/// The packs migledger writes itself (ledger syncs of many deploys): git must read them as its
/// own, deltas included.
@Suite struct PackedWritesTests {
    @Test func treesGrownFileByFileArePackedAsDeltasThatGitReadsBack() throws {
        let fixture = try GitFixture(bare: true)
        let packs = try PackedWrites(gitDirectory: fixture.path)
        let image = TreeImage(repository: packs.repository, tree: nil)
        var expected: [ObjectID: Set<String>] = [:]
        var files: Set<String> = []
        var generator = SeededNumbers(seed: 7)
        for round in 0..<40 {
            // Mostly appended names, as timestamped migrations are, and some that sort between
            // existing ones, so deltas insert in the middle too.
            for number in 0..<12 {
                let stem = number < 9 ? String(format: "%05d", round * 100 + number) : String(format: "%05d", generator.next(below: 4000))
                let name = "\(stem)_change_\(round)_\(number).sql"
                let blob = try packs.repository.writeBlob(Array("-- \(round) \(number)\nselect \(round);\n".utf8))
                packs.add([WrittenObject(id: blob, previous: nil)])
                try image.upsert(RepoPath("db/migrate/\(name)"), id: blob)
                files.insert(name)
            }
            let tree = try image.write()
            packs.add(image.takeWritten())
            expected[tree] = files
            if round % 10 == 9 { try packs.flush() }
        }

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

/// Deterministic numbers, so a failure repeats.
private struct SeededNumbers {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

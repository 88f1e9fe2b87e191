import Foundation
import MigCore
import MigGit
import MigLedger
import Testing
import TestSupport

@Suite struct LedgerVerifierTests {
    private func syncedFixture() throws -> LedgerFixture {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        try f.commit(["db/migrate/001_a.sql": "a\n", "db/migrate/002_b.sql": "b\n"], "one", date: "2024-01-01T00:00:00Z")
        try f.tag("v1")
        try f.commit(["db/migrate/003_c.sql": "c\n"], "two", date: "2024-01-02T00:00:00Z")
        try f.tag("v2")
        try f.commit(["db/migrate/004_d.sql": "d\n"], "three", date: "2024-01-03T00:00:00Z")
        try f.tag("v3")
        _ = try f.sync.sync(f.environment("production"))
        return f
    }

    /// Rewrites the ledger commit `index` (0 = oldest) with `change` applied to its tree and
    /// message, and replays the later commits on top, as a hand edit would.
    private func tamper(_ f: LedgerFixture, at index: Int,
                        change: (inout [TreeUpdate], inout String, Repository) throws -> ObjectID?) throws {
        let chain = try f.store.chain("production")
        var parent: ObjectID? = index == 0 ? nil : chain[index - 1].id
        for (position, commit) in chain.enumerated() where position >= index {
            let info = try f.repository.commit(commit.id)
            var tree = commit.tree
            var message = info.message
            if position == index {
                var updates: [TreeUpdate] = []
                if let replaced = try change(&updates, &message, f.repository) {
                    tree = replaced
                } else {
                    tree = try f.repository.writeTree(base: tree, updating: updates)
                }
            } else if let parent {
                let parentTree = try f.repository.commit(parent).tree
                let added = try f.repository.diff(from: chain[position - 1].tree, to: commit.tree)
                    .map { TreeUpdate(path: $0.newPath, id: $0.newID) }
                tree = try f.repository.writeTree(base: parentTree, updating: added)
            }
            parent = try f.repository.createCommit(tree: tree, parents: parent.map { [$0] } ?? [],
                                                   author: info.author, committer: info.committer, message: message)
        }
        try f.git.git("update-ref", "refs/migledger/production", parent!.hex)
    }

    @Test func anIntactChainVerifies() throws {
        let f = try syncedFixture()
        #expect(try LedgerVerifier(repository: f.repository).verify("production").isEmpty)
    }

    @Test func aRewrittenBlobIsCaughtAtTheFirstBadCommit() throws {
        let f = try syncedFixture()
        try tamper(f, at: 1) { updates, _, repository in
            updates.append(TreeUpdate(path: RepoPath("db/migrate/001_a.sql"), id: try repository.writeBlob(Array("evil\n".utf8))))
            return nil
        }
        let problems = try LedgerVerifier(repository: f.repository).verify("production")
        let chain = try f.store.chain("production")
        #expect(problems.first?.commit == chain[1].id)
        #expect(problems.first?.message.contains("changes the deployed bytes of db/migrate/001_a.sql") == true)
    }

    @Test func aDeletedEntryIsCaught() throws {
        let f = try syncedFixture()
        try tamper(f, at: 2) { _, _, repository in
            let chain = try LedgerStore(repository: repository).chain("production")
            let files = try repository.files(inTree: chain[2].tree).filter { $0.path != RepoPath("db/migrate/002_b.sql") }
            return try repository.writeTree(base: nil, updating: files.map { TreeUpdate(path: $0.path, id: $0.entry.id) })
        }
        let problems = try LedgerVerifier(repository: f.repository).verify("production")
        #expect(problems.map(\.message).contains("drops the deployed entry db/migrate/002_b.sql"))
        #expect(problems.first?.commit == (try f.store.chain("production"))[2].id)
    }

    @Test func forgedTrailersAreCaught() throws {
        let f = try syncedFixture()
        try tamper(f, at: 1) { _, message, _ in
            message = message.replacingOccurrences(of: "Environment: production", with: "Environment: staging")
                + "Added: db/migrate/001_a.sql\n"
            return nil
        }
        let messages = try LedgerVerifier(repository: f.repository).verify("production").map(\.message)
        #expect(messages.contains("its Environment trailer says 'staging' but it is in the ledger of 'production'"))
        #expect(messages.contains("has an Added trailer for db/migrate/001_a.sql, which it does not add"))

        let g = try syncedFixture()
        try tamper(g, at: 0) { _, message, _ in
            message = message.replacingOccurrences(of: "Added: db/migrate/002_b.sql\n", with: "")
            return nil
        }
        let missing = try LedgerVerifier(repository: g.repository).verify("production").map(\.message)
        #expect(missing == ["adds db/migrate/002_b.sql without an Added trailer"])
    }

    @Test func aForgedBlobInTheFirstCommitDisagreesWithItsSourceCommit() throws {
        let f = try syncedFixture()
        try tamper(f, at: 0) { updates, _, repository in
            updates.append(TreeUpdate(path: RepoPath("db/migrate/001_a.sql"), id: try repository.writeBlob(Array("x\n".utf8))))
            return nil
        }
        let messages = try LedgerVerifier(repository: f.repository).verify("production").map(\.message)
        #expect(messages.first?.hasPrefix("holds blob") == true)
        #expect(messages.first?.contains("db/migrate/001_a.sql") == true)
    }

    @Test func messagesRoundTripPathsWithAnyBytes() throws {
        let odd = RepoPath(bytes: Array("db/caf".utf8) + [0xE9] + Array(" \"x\"\\.sql".utf8))
        let message = LedgerMessage(environment: "prod", sourceCommit: ObjectID(hex: String(repeating: "a", count: 40))!,
                                    marker: "refs/tags/v1", deployedAt: GitTime(seconds: 1_700_000_000),
                                    added: [odd, RepoPath("db/plain.sql")],
                                    drift: [.init(path: odd, blob: ObjectID(hex: String(repeating: "b", count: 40))!)])
        #expect(message.text.contains("Deployed-At: 2023-11-14T22:13:20Z"))
        #expect(message.text.contains("Added: db/plain.sql\n"))
        let parsed = try LedgerMessage(parsing: message.text)
        #expect(parsed == message)
        #expect(throws: LedgerMessageError.self) { try LedgerMessage(parsing: "x\n\nEnvironment: prod\n") }
        #expect(Timestamp.parse("2024-02-29T23:59:59Z").map(Timestamp.iso8601) == "2024-02-29T23:59:59Z")
        #expect(Timestamp.parse("1969-12-31T00:00:00Z")?.seconds == -86_400)
        #expect(Timestamp.parse("2024-13-01T00:00:00Z") == nil)
    }
}

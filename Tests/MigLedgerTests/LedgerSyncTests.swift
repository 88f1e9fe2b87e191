import Foundation
import MigCore
import MigGit
import MigLedger
import Testing
import TestSupport

@Suite struct LedgerSyncTests {
    @Test func recordsLightweightAndAnnotatedTagsAndGitLabRefsPerEnvironment() throws {
        let f = try LedgerFixture()
        let first = try f.commit(["db/migrate/001_create_users.sql": "create table users();\n",
                                  "db/migrate/README.md": "docs\n"], "one", date: "2024-01-01T00:00:00Z")
        try f.tag("deploy/staging/1")
        try f.tag("v1.0", annotatedAt: "2024-01-05T00:00:00Z")
        let second = try f.commit(["db/migrate/002_add_email.sql": "alter table users add email text;\n"],
                                  "two", date: "2024-02-01T00:00:00Z")
        try f.git.git("update-ref", "refs/environments/production/deployments/42", second)

        let staging = try f.sync.sync(f.environment("staging"))
        #expect(staging.deploys.map(\.marker) == ["refs/tags/deploy/staging/1"])
        #expect(try f.entries("staging") == ["db/migrate/001_create_users.sql": "create table users();\n"])

        let production = try f.sync.sync(f.environment("production"))
        #expect(production.deploys.map(\.marker) == ["refs/tags/v1.0", "refs/environments/production/deployments/42"])
        #expect(production.deploys[0].deployedAt.seconds == 1_704_412_800, "annotated tag date, not commit date")
        #expect(production.deploys[1].added == [RepoPath("db/migrate/002_add_email.sql")])
        #expect(try f.entries("production").keys.sorted() == ["db/migrate/001_create_users.sql", "db/migrate/002_add_email.sql"])

        let state = try f.store.read("production")
        let entry = try #require(state.entries[RepoPath("db/migrate/001_create_users.sql")])
        #expect(entry.sourceCommit.hex == first)
        #expect(entry.marker == "refs/tags/v1.0")
        #expect(state.commits.count == 2)
        let message = state.commits[1].message
        #expect(message.environment == "production")
        #expect(message.sourceCommit.hex == second)

        // The ledger tree holds the project's own blobs: plain git diffs it against HEAD, and
        // only the README, which is no migration, differs.
        let diff = try f.git.git("diff", "--name-status", "refs/migledger/production", "HEAD", "--", "db/migrate")
        #expect(diff.stdout.trimmed == "A\tdb/migrate/README.md")
        let blobInHistory = try f.git.git("rev-parse", "\(first):db/migrate/001_create_users.sql").stdout.trimmed
        let blobInLedger = try f.git.git("rev-parse", "refs/migledger/production:db/migrate/001_create_users.sql").stdout.trimmed
        #expect(blobInHistory == blobInLedger)
        #expect(try f.git.git("fsck", "--strict").status == 0)
    }

    @Test func ordersMarkersByDateThenNaturalName() throws {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        try f.commit(["db/migrate/001_a.sql": "a\n"], "a", date: "2024-01-01T00:00:00Z")
        try f.tag("v1.9")
        try f.tag("v1.10")
        try f.tag("v1.2")
        try f.commit(["db/migrate/002_b.sql": "b\n"], "b", date: "2024-03-01T00:00:00Z")
        try f.tag("v0.1", annotatedAt: "2024-02-01T00:00:00Z")
        try f.tag("v2.0")

        let report = try f.sync.sync(f.environment("production"))
        #expect(report.deploys.map(\.marker) == ["refs/tags/v1.2", "refs/tags/v1.9", "refs/tags/v1.10",
                                                 "refs/tags/v0.1", "refs/tags/v2.0"])
        #expect(report.deploys.map(\.added.count) == [1, 0, 0, 1, 0])
    }

    @Test func naturalOrderComparesDigitRunsAsNumbers() {
        #expect(NaturalOrder.precedes("v1.9", "v1.10"))
        #expect(!NaturalOrder.precedes("v1.10", "v1.9"))
        #expect(NaturalOrder.precedes("deploy/2", "deploy/10"))
        #expect(NaturalOrder.precedes("v1", "v1.0"))
        #expect(NaturalOrder.precedes("a007", "a08"))
        #expect(!NaturalOrder.precedes("same", "same"))
    }

    @Test func recordsDriftAndDeletionWithoutOverwritingTheFirstDeployedBytes() throws {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        try f.commit(["db/migrate/001_a.sql": "create table a();\n", "db/migrate/002_b.sql": "create table b();\n"],
                     "base", date: "2024-01-01T00:00:00Z")
        try f.tag("v1")
        try f.commit(["db/migrate/001_a.sql": "create table a(id int);\n"], "edit", date: "2024-01-02T00:00:00Z")
        try f.tag("v2")
        try f.commit(["db/migrate/002_b.sql": nil], "delete", date: "2024-01-03T00:00:00Z")
        try f.tag("v3")

        let report = try f.sync.sync(f.environment("production"))
        #expect(report.deploys.map(\.drift) == [[], [RepoPath("db/migrate/001_a.sql")], []])
        #expect(report.deploys.map(\.deleted) == [[], [], [RepoPath("db/migrate/002_b.sql")]])
        #expect(report.deploys.allSatisfy { $0.rolledBack.isEmpty })
        #expect(try f.entries("production") == ["db/migrate/001_a.sql": "create table a();\n",
                                               "db/migrate/002_b.sql": "create table b();\n"])
        let events = try f.store.read("production").events
        #expect(events.map(\.kind) == [.drift, .deletion])
        #expect(events[0].marker == "refs/tags/v2")
    }

    @Test func aMaintenanceBranchDeployIsARollbackNotADeletion() throws {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        let base = try f.commit(["db/migrate/001_a.sql": "a\n"], "base", date: "2024-01-01T00:00:00Z")
        try f.tag("v1.0")
        try f.commit(["db/migrate/002_b.sql": "b\n"], "feature", date: "2024-01-02T00:00:00Z")
        try f.tag("v2.0")
        try f.git.git("checkout", "-q", "-b", "maint-1", base)
        try f.commit(["fix.txt": "hotfix\n"], "hotfix", date: "2024-01-03T00:00:00Z")
        try f.tag("v1.0.1")

        let report = try f.sync.sync(f.environment("production"))
        #expect(report.deploys.map(\.marker) == ["refs/tags/v1.0", "refs/tags/v2.0", "refs/tags/v1.0.1"])
        #expect(report.deploys[2].rolledBack == [RepoPath("db/migrate/002_b.sql")])
        #expect(report.deploys[2].deleted.isEmpty)
        #expect(try f.entries("production").count == 2)
        #expect(try f.store.read("production").events.map(\.kind) == [.rollback])
    }

    @Test func syncIsIncrementalAndRecordIsIdempotent() throws {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        let first = try f.commit(["db/migrate/001_a.sql": "a\n"], "a", date: "2024-01-01T00:00:00Z")
        try f.tag("v1")
        #expect(try f.sync.sync(f.environment("production")).deploys.count == 1)
        let again = try f.sync.sync(f.environment("production"))
        #expect(again.deploys.isEmpty)
        #expect(again.alreadyRecorded == 1)

        try f.commit(["db/migrate/002_b.sql": "b\n"], "b", date: "2024-01-02T00:00:00Z")
        try f.tag("v2")
        let incremental = try f.sync.sync(f.environment("production"))
        #expect(incremental.deploys.map(\.marker) == ["refs/tags/v2"])
        #expect(incremental.alreadyRecorded == 1)
        #expect(incremental.deploys[0].added == [RepoPath("db/migrate/002_b.sql")])

        // A moved tag is a new deploy of the commit it now names.
        let third = try f.commit(["db/migrate/003_c.sql": "c\n"], "c", date: "2024-01-03T00:00:00Z")
        try f.git.git("tag", "-f", "v2")
        #expect(try f.sync.sync(f.environment("production")).deploys.map(\.commit.hex) == [third])

        let dry = try f.sync.record(environment: "production", commit: ObjectID(hex: first)!,
                                    at: GitTime(seconds: 1_800_000_000), dryRun: true)
        #expect(dry.deploys.isEmpty && dry.alreadyRecorded == 1)
        try f.commit(["db/migrate/004_d.sql": "d\n"], "d", date: "2024-01-04T00:00:00Z")
        let head = try f.repository.resolveCommit("HEAD")
        let recorded = try f.sync.record(environment: "production", commit: head, at: GitTime(seconds: 1_800_000_000))
        #expect(recorded.deploys.map(\.added) == [[RepoPath("db/migrate/004_d.sql")]])
        let twice = try f.sync.record(environment: "production", commit: head, at: GitTime(seconds: 1_800_000_100))
        #expect(twice.deploys.isEmpty && twice.alreadyRecorded == 1)
        #expect(try f.store.read("production").commits.map(\.message.marker).last == "record")
    }

    /// libgit2 caches commits only up to 4 KiB: a ledger commit with many Added trailers is
    /// really freed after use, which once let a freed parent handle write a garbage parent id.
    @Test func aDeployAddingManyMigrationsKeepsTheChainIntact() throws {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        var files: [String: String?] = [:]
        for index in 1...90 {
            files["db/migrate/2024010100\(String(format: "%04d", index))_add_a_rather_long_descriptive_column_name_\(index).sql"] = "select \(index);\n"
        }
        try f.commit(files, "many", date: "2024-01-01T00:00:00Z")
        try f.tag("v1")
        try f.commit(["db/migrate/20240201000000_one_more.sql": "select 0;\n"], "one", date: "2024-02-01T00:00:00Z")
        try f.tag("v2")
        try f.commit(["db/migrate/20240301000000_and_another.sql": "select 1;\n"], "two", date: "2024-03-01T00:00:00Z")
        try f.tag("v3")
        _ = try f.sync.sync(f.environment("production"))
        #expect(try f.store.read("production").entries.count == 92)
        #expect(try LedgerVerifier(repository: f.repository).verify("production").isEmpty)
        #expect(try f.git.git("fsck", "--strict", "--no-dangling").status == 0)
    }

    @Test func dryRunWritesNothing() throws {
        let f = try LedgerFixture()
        try f.commit(["db/migrate/001_a.sql": "a\n"], "a", date: "2024-01-01T00:00:00Z")
        try f.tag("v1")
        let report = try f.sync.sync(f.environment("production"), dryRun: true)
        #expect(report.deploys.count == 1)
        #expect(try f.repository.referenceTarget("refs/migledger/production") == nil)
    }

    /// Each sync keeps the last deploy's folders in its cache for the next one to compare
    /// with. Synced deploy by deploy, with the cache damaged now and then, the ledger must be
    /// the one a single sync of the whole history writes.
    @Test func syncsDeployByDeployWriteTheChainOfOneSyncWhateverTheCache() throws {
        let environments = """
            production:
              deploys: ["refs/tags/v*"]
            """
        let stepwise = try LedgerFixture(environments: environments)
        let atOnce = try LedgerFixture(environments: environments)
        let steps: [[String: String?]] = [
            ["db/migrate/001_a.sql": "a\n", "db/migrate/sub/002_b.sql": "b\n", "db/migrate/README": "r\n"],
            ["db/migrate/003_c.sql": "c\n", "db/migrate/001_a.sql": "a edited\n"],
            ["db/migrate/sub/002_b.sql": nil, "db/migrate/sub/004_d.sql": "d\n"],
            ["db/migrate/005_e.sql": "e\n", "db/migrate/sub/deeper/006_f.sql": "f\n"],
            ["db/migrate/003_c.sql": nil, "db/migrate/007_g.sql": "g\n"],
            ["db/migrate/008_h.sql": "h\n"],
        ]
        let cache = stepwise.git.path + "/.git/migledger/sync-production.cache"
        for (number, files) in steps.enumerated() {
            for fixture in [stepwise, atOnce] {
                try fixture.commit(files, "step \(number)", date: "2024-02-0\(number + 1)T00:00:00Z")
                try fixture.tag("v\(number + 1)")
            }
            switch number {
            case 2:
                // a damaged byte in the kept folders: they are read from the repository instead
                var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cache)))
                bytes[bytes.count - 3] ^= 0xFF
                try Data(bytes).write(to: URL(fileURLWithPath: cache))
            case 4:
                // a cut-off cache: rebuilt from the chain
                let bytes = try Data(contentsOf: URL(fileURLWithPath: cache))
                try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cache))
            default:
                break
            }
            let report = try stepwise.sync.sync(stepwise.environment("production"))
            #expect(report.deploys.map(\.marker) == ["refs/tags/v\(number + 1)"])
            #expect(FileManager.default.fileExists(atPath: cache))
        }
        _ = try atOnce.sync.sync(atOnce.environment("production"))

        let expected = try atOnce.store.read("production")
        let actual = try stepwise.store.read("production")
        #expect(actual.tip == expected.tip)
        #expect(actual.commits.map(\.message) == expected.commits.map(\.message))
        #expect(try stepwise.entries("production") == atOnce.entries("production"))
        #expect(actual.events.map(\.kind) == [.drift, .deletion, .deletion])
        #expect(try LedgerVerifier(repository: stepwise.repository).verify("production").isEmpty)
    }

    /// The ledger holds a deployed file as the project had it, executable bit included.
    @Test func anExecutableMigrationKeepsItsMode() throws {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        let script = try f.git.write("db/migrate/001_a.sql", "select 1;\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try f.commit(["db/migrate/002_b.sql": "select 2;\n"], "two migrations", date: "2024-03-01T00:00:00Z")
        try f.tag("v1")
        _ = try f.sync.sync(f.environment("production"))
        let listed = try f.git.git("ls-tree", "refs/migledger/production", "db/migrate/").stdout.split(separator: "\n")
        #expect(listed.count == 2)
        #expect(listed.contains { $0.hasPrefix("100755 blob") && $0.hasSuffix("\tdb/migrate/001_a.sql") })
        #expect(listed.contains { $0.hasPrefix("100644 blob") && $0.hasSuffix("\tdb/migrate/002_b.sql") })
    }

    @Test func concurrentSyncsKeepEveryEntryExactlyOnce() async throws {
        let f = try LedgerFixture(environments: """
            production:
              deploys: ["refs/tags/v*"]
            """)
        for index in 1...12 {
            try f.commit(["db/migrate/\(String(format: "%03d", index))_m.sql": "m\(index)\n"], "m\(index)",
                         date: "2024-01-\(String(format: "%02d", index))T00:00:00Z")
            try f.tag("v\(index)")
        }
        let path = f.git.path
        let environment = f.environment("production")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let repository = try Repository.open(at: path)
                    _ = try LedgerSync(repository: repository, folders: [LedgerFixture.folder]).sync(environment)
                }
            }
            try await group.waitForAll()
        }
        let state = try f.store.read("production")
        #expect(state.commits.count == 12)
        #expect(Set(state.commits.map(\.message.marker)).count == 12)
        #expect(state.entries.count == 12)
        #expect(state.commits.flatMap(\.message.added).count == 12)
        #expect(try LedgerVerifier(repository: f.repository).verify("production").isEmpty)
    }
}

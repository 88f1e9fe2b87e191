import Foundation
import MigCore
import MigReport
import MigledgerKit
import Testing
import TestSupport

/// `migledger gate` through the kit on real repositories, and the binary once.
@Suite struct GateTests {
    static let policy = """
        version: 1
        migrations:
          - path: db/migrations
            format: golang-migrate
        environments:
          staging:
            deploys: ["refs/tags/deploy/staging/*"]
          production:
            deploys: ["refs/tags/v*"]
            after: [staging]
        """

    /// Users created and deployed to staging and production; emails added and deployed to staging.
    private func shop() throws -> GitFixture {
        let git = try GitFixture()
        try git.write("migledger.yml", Self.policy)
        try git.write("db/migrations/20240101000000_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n")
        try git.write("db/migrations/20240101000000_create_users.down.sql", "DROP TABLE users;\n")
        try git.commitAll("users", date: "2024-01-01T00:00:00Z")
        try git.git("tag", "deploy/staging/1")
        try git.git("tag", "v1")
        try git.write("db/migrations/20240201000000_add_email_to_users.up.sql", "ALTER TABLE users ADD COLUMN email text;\n")
        try git.write("db/migrations/20240201000000_add_email_to_users.down.sql", "ALTER TABLE users DROP COLUMN email;\n")
        try git.commitAll("email", date: "2024-02-01T00:00:00Z")
        try git.git("tag", "deploy/staging/2")
        return git
    }

    private func gate(_ git: GitFixture, _ environment: String = "production", _ revision: String? = nil,
                      content: @escaping GateContentCheck = GateService.noContentRules) throws -> GateReport {
        let workspace = try Workspace.open(repositoryPath: git.path, policyPath: nil, environment: [:])
        return try GateService.run(workspace, environment: environment, revision: revision, contentFindings: content)
    }

    @Test func aCleanReleaseListsWhatWillRunAndPasses() throws {
        let git = try shop()
        let report = try gate(git)
        #expect(report.findings.isEmpty)
        #expect(!report.isBlocked)
        #expect(report.pending.map(\.path.description) == ["db/migrations/20240201000000_add_email_to_users.up.sql"])
        #expect(report.pending.first?.down == "20240201000000_add_email_to_users.down.sql")
        #expect(report.alreadyRun == 1)
        #expect(report.after == ["staging"])
    }

    @Test func aMigrationStagingHasNotRunIsNotPromoted() throws {
        let git = try shop()
        try git.write("db/migrations/20240301000000_add_name_to_users.up.sql", "ALTER TABLE users ADD COLUMN name text;\n")
        try git.write("db/migrations/20240301000000_add_name_to_users.down.sql", "ALTER TABLE users DROP COLUMN name;\n")
        try git.commitAll("name", date: "2024-03-01T00:00:00Z")
        let report = try gate(git)
        #expect(report.isBlocked)
        #expect(report.pending.count == 2)
        #expect(report.findings.map(\.rule) == ["not-promoted"])
        #expect(report.findings.first?.path == RepoPath("db/migrations/20240301000000_add_name_to_users.up.sql"))
        #expect(report.findings.first?.environments == ["staging", "production"])
        #expect(try gate(git, "staging").findings.isEmpty)

        // Staging ran other bytes than the ones going to production: still not promoted.
        try git.git("tag", "deploy/staging/3")
        try git.write("db/migrations/20240301000000_add_name_to_users.up.sql", "ALTER TABLE users ADD COLUMN name varchar(10);\n")
        try git.commitAll("narrower name", date: "2024-03-02T00:00:00Z")
        let edited = try gate(git)
        #expect(edited.findings.map(\.rule) == ["not-promoted"])
        #expect(edited.findings.first?.message.contains("different bytes") == true)
        #expect(edited.findings.first?.line == 1)
    }

    @Test func deployingACommitThatLacksDeployedMigrationsIsARollback() throws {
        let git = try shop()
        let first = try git.git("rev-parse", "v1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let report = try gate(git, "staging", first)
        #expect(report.isBlocked)
        #expect(report.findings.map(\.rule) == ["rollback-deploy", "rollback-deploy"])
        #expect(report.findings.map { $0.path?.description ?? "" } == [
            "db/migrations/20240201000000_add_email_to_users.down.sql",
            "db/migrations/20240201000000_add_email_to_users.up.sql",
        ])
        #expect(report.pending.isEmpty)

        // Deleting a deployed migration on a descendant is a deletion, and moving it a rename.
        try git.git("rm", "-q", "db/migrations/20240101000000_create_users.down.sql")
        try git.git("mv", "db/migrations/20240201000000_add_email_to_users.down.sql", "db/migrations/20240201000000_add_email.down.sql")
        try git.commitAll("tidy", date: "2024-03-01T00:00:00Z")
        let tidied = try gate(git, "staging")
        #expect(tidied.findings.map(\.rule) == ["deleted-deployed-migration", "renamed-deployed-migration"])
    }

    @Test func aPendingMigrationOlderThanTheNewestDeployedIsOutOfOrder() throws {
        let git = try shop()
        try git.write("db/migrations/20240115000000_add_index_on_users.up.sql", "CREATE INDEX idx_users_id ON users (id);\n")
        try git.write("db/migrations/20240115000000_add_index_on_users.down.sql", "DROP INDEX idx_users_id;\n")
        try git.commitAll("late branch", date: "2024-03-01T00:00:00Z")
        let report = try gate(git, "staging")
        #expect(report.findings.map(\.rule) == ["out-of-order-migration"])
        #expect(report.findings.first?.message.contains("20240201000000") == true)
        #expect(report.isBlocked)
        // Production has run only the January migration, so the same file is in order there.
        #expect(try gate(git).findings.map(\.rule) == ["not-promoted"])
    }

    @Test func anEditedDeployedMigrationBlocksWithItsLine() throws {
        let git = try shop()
        try git.write("db/migrations/20240101000000_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE INDEX idx_users_id ON users (id);\n")
        try git.commitAll("edit", date: "2024-03-01T00:00:00Z")
        let report = try gate(git)
        #expect(report.findings.map(\.rule) == ["modified-deployed-migration"])
        #expect(report.findings.first?.line == 2)
        #expect(report.findings.first?.environments == ["production"])
        #expect(report.isBlocked)

        // Line endings alone are allowed by the default immutability: a note that does not block.
        try git.write("db/migrations/20240101000000_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\r\n")
        try git.commitAll("crlf", date: "2024-03-02T00:00:00Z")
        let crlf = try gate(git)
        #expect(crlf.findings.map(\.severity) == [.note])
        #expect(!crlf.isBlocked)
    }

    @Test func contentFindingsComeInThroughTheSeamAndErrorsBlock() throws {
        let git = try shop()
        let seen = Locked<[String]>([])
        let report = try gate(git) { subject in
            seen.update { $0 += subject.files.map { "\($0.file.path.fileName) \(String(decoding: $0.contents, as: UTF8.self))" } }
            return [Finding(rule: "ban-drop-column", severity: .error, path: subject.files[1].file.path, line: 1, column: 1,
                            message: "Dropping a column loses its data.", help: "Keep the column.")]
        }
        #expect(seen.value == ["20240201000000_add_email_to_users.up.sql ALTER TABLE users ADD COLUMN email text;\n",
                               "20240201000000_add_email_to_users.down.sql ALTER TABLE users DROP COLUMN email;\n"])
        #expect(report.findings.map(\.rule) == ["ban-drop-column"])
        #expect(report.isBlocked)

        let warned = try gate(git) { subject in
            [Finding(rule: "prefer-text-field", severity: .warning, path: subject.migration.path, message: "m", help: "h")]
        }
        #expect(!warned.isBlocked && warned.findings.count == 1)
    }

    @Test func thePolicysContentRulesBlockByDefaultAndKnowNewTables() throws {
        let git = try shop()
        try git.write("db/migrations/20240301000000_create_orders.up.sql",
                      "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\nCREATE INDEX idx_orders_user_id ON orders (user_id);\n")
        try git.write("db/migrations/20240301000000_create_orders.down.sql", "DROP TABLE orders;\n")
        try git.write("db/migrations/20240302000000_index_users_email.up.sql", "CREATE INDEX idx_users_email ON users (email);\n")
        try git.write("db/migrations/20240302000000_index_users_email.down.sql", "DROP INDEX idx_users_email;\n")
        try git.commitAll("orders", date: "2024-03-01T00:00:00Z")
        let workspace = try Workspace.open(repositoryPath: git.path, policyPath: nil, environment: [:])
        let report = try GateService.run(workspace, environment: "staging", revision: nil)
        let blocking = report.findings.filter { $0.severity == .error }
        #expect(blocking.map(\.rule) == ["require-concurrent-index-creation"], "\(report.findings)")
        #expect(blocking.first?.path?.description == "db/migrations/20240302000000_index_users_email.up.sql")
        #expect(report.isBlocked)
    }

    @Test func theMarkdownReportSaysWhatRunsWhatBlocksAndWhatToDo() throws {
        let git = try shop()
        try git.write("db/migrations/20240301000000_add_name_to_users.up.sql", "ALTER TABLE users ADD COLUMN name text;\n")
        try git.write("db/migrations/20240301000000_add_name_to_users.down.sql", "ALTER TABLE users DROP COLUMN name;\n")
        try git.commitAll("name", date: "2024-03-01T00:00:00Z")
        let blocked = try gate(git, "production", "HEAD").markdown()
        #expect(blocked.hasPrefix("# Release gate: `"))
        #expect(blocked.contains("**Blocked.** 1 problem must be fixed before this commit goes to production."))
        #expect(blocked.contains("| 1 | `db/migrations/20240201000000_add_email_to_users.up.sql` | 20240201000000 | schema | 20240201000000_add_email_to_users.down.sql |"))
        #expect(blocked.contains("| 2 | `db/migrations/20240301000000_add_name_to_users.up.sql` | 20240301000000 | schema |"))
        #expect(blocked.contains("Promotion: a migration reaches production only after staging ran it."))
        #expect(blocked.contains("- **error** `not-promoted` `db/migrations/20240301000000_add_name_to_users.up.sql`: staging has not run this migration yet"))
        #expect(blocked.contains("## What to do\n\n- Deploy this commit to staging first, then to production.\n"))

        try git.git("tag", "deploy/staging/3")
        try git.git("tag", "v3")
        let ready = try gate(git, "production", "v3").markdown()
        #expect(ready.contains("# Release gate: `v3` (`"))
        #expect(ready.contains("**Ready.** production will run 0 migrations; nothing blocks."))
        #expect(ready.contains("Nothing: production has run every migration of this commit (3 in all)."))
        #expect(ready.contains("## What blocks\n\nNothing.\n"))
    }

    @Test func unknownEnvironmentsAndCommitsAreUsageErrors() throws {
        let git = try shop()
        #expect(throws: UserFacingError.self) { try gate(git, "prod") }
        do {
            _ = try gate(git, "production", "no-such-commit")
            Issue.record("expected an error")
        } catch {
            #expect(ExitStatus.forError(error) == .usage)
            #expect("\(error)".contains("no-such-commit"))
        }
    }

    @Test func theBinaryPrintsMarkdownOrFindingsAndExitsOneWhenBlocked() throws {
        let git = try shop()
        let binary = builtProduct("migledger")
        let ready = try run(binary, ["gate", "--env", "production"], in: git.path)
        #expect(ready.stdout.contains("**Ready.** production will run 1 migration; nothing blocks."))
        try git.write("db/migrations/20240101000000_create_users.up.sql", "CREATE TABLE users (id int);\n")
        try git.commitAll("edit", date: "2024-03-01T00:00:00Z")
        let blocked = try run(binary, ["gate", "--env", "production", "--format", "json", "HEAD"], in: git.path, check: false)
        #expect(blocked.status == 1)
        #expect(blocked.stdout.contains("\"rule\": \"modified-deployed-migration\"") || blocked.stdout.contains("\"rule\" : \"modified-deployed-migration\""))
        let unknown = try run(binary, ["gate", "--env", "qa"], in: git.path, check: false)
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown environment 'qa'"))
    }
}

/// A value the content seam's closure can record into.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

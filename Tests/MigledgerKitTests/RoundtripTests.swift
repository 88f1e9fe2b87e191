import Foundation
import MigCore
import MigPostgres
import MigReport
import MigledgerKit
import Testing
import TestSupport

/// One throwaway PostgreSQL server for the whole suite, started on first use and removed when
/// the test process exits; each roundtrip works in a database of its own on it.
enum SharedPostgres {
    static let started = Result<EphemeralPostgres, PostgresError> { () throws(PostgresError) in try EphemeralPostgres.start() }

    static var server: EphemeralPostgres {
        get throws { try started.get() }
    }
}

/// `migledger roundtrip` against a real PostgreSQL server.
@Suite struct RoundtripTests {
    private func project(format: String, folder: String = "db/migrations", _ steps: [[String: String]]) throws -> GitFixture {
        let git = try GitFixture()
        try git.write("migledger.yml", """
            version: 1
            migrations:
              - path: \(folder)
                format: \(format)
            environments:
              production:
                deploys: ["refs/tags/v*"]
            """)
        for (index, files) in steps.enumerated() {
            for (path, text) in files { try git.write("\(folder)/\(path)", text) }
            try git.commitAll("step \(index)", date: "2024-0\(index + 1)-01T00:00:00Z")
        }
        return git
    }

    private func roundtrip(_ git: GitFixture) throws -> RoundtripReport {
        let workspace = try Workspace.open(repositoryPath: git.path, policyPath: nil, environment: [:])
        return try RoundtripService.run(workspace, revision: nil, server: .running(try SharedPostgres.server))
    }

    @Test func aCorrectUpDownPairRestoresTheSchemaAndDeployedMigrationsAreTheBase() throws {
        let git = try project(format: "golang-migrate", [
            ["20240101000000_create_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, name text);\n",
             "20240101000000_create_users.down.sql": "DROP TABLE users;\n"],
            ["20240201000000_add_email_to_users.up.sql": "ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX idx_users_email ON users (email);\n",
             "20240201000000_add_email_to_users.down.sql": "DROP INDEX idx_users_email;\nALTER TABLE users DROP COLUMN email;\n"],
        ])
        try git.git("tag", "v1", "HEAD~1")
        let report = try roundtrip(git)
        #expect(report.findings.isEmpty)
        #expect(report.steps.map(\.outcome) == [.applied, .restored])
        #expect(!report.isBlocked)
        #expect(report.summary().contains("db/migrations/20240201000000_add_email_to_users.up.sql: ok: up, down restores the schema, up again"))
    }

    @Test func flywayUndoFilesAreTheDownPartAndPlaceholdersAreReplaced() throws {
        let git = try GitFixture()
        try git.write("migledger.yml", """
            version: 1
            migrations:
              - path: sql
                format: flyway
            placeholders:
              '${table}': invoices
            """)
        try git.write("sql/V1__create_invoices.sql", "CREATE TABLE ${table} (id bigint PRIMARY KEY);\n")
        try git.write("sql/U1__create_invoices.sql", "DROP TABLE ${table};\n")
        try git.write("sql/V2__add_total_to_invoices.sql", "ALTER TABLE invoices ADD COLUMN total numeric;\n")
        try git.write("sql/R__invoice_totals.sql", "CREATE OR REPLACE VIEW invoice_totals AS SELECT sum(total) FROM invoices;\n")
        try git.commitAll("invoices")
        let report = try roundtrip(git)
        #expect(report.findings.isEmpty)
        #expect(report.steps.map(\.outcome) == [.restored, .upOnly("it has no down part")])
    }

    @Test func aDownThatForgetsAnIndexLeavesItBehind() throws {
        let git = try project(format: "dbmate", [
            ["20240101000000_create_users.sql": "-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, name text);\n\n-- migrate:down\nDROP TABLE users;\n"],
            ["20240201000000_add_email_and_name_index.sql": """
                -- migrate:up
                ALTER TABLE users ADD COLUMN email text;
                CREATE INDEX idx_users_name ON users (name);

                -- migrate:down
                ALTER TABLE users DROP COLUMN email;

                """],
            ["20240301000000_add_age_to_users.sql": "-- migrate:up\nALTER TABLE users ADD COLUMN age int;\n-- migrate:down\nALTER TABLE users DROP COLUMN age;\n"],
        ])
        let report = try roundtrip(git)
        #expect(report.steps.map(\.outcome) == [.restored, .failed, .restored])
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.rule == "down-does-not-restore-schema" && finding.severity == .error)
        #expect(finding.path == RepoPath("db/migrations/20240201000000_add_email_and_name_index.sql") && finding.line == 5)
        #expect(finding.message.contains("    + CREATE INDEX idx_users_name ON public.users USING btree (name);"))
        #expect(!finding.message.contains("email"))
        #expect(report.isBlocked)
    }

    @Test func anEmptyDownLeavesEverythingTheUpCreated() throws {
        let git = try project(format: "golang-migrate", [
            ["20240101000000_create_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);\n",
             "20240101000000_create_orders.down.sql": "-- nothing to undo\n"],
        ])
        let report = try roundtrip(git)
        #expect(report.findings.map(\.rule) == ["down-does-not-restore-schema"])
        #expect(report.findings.first?.path == RepoPath("db/migrations/20240101000000_create_orders.down.sql"))
        #expect(report.findings.first?.message.contains("    + CREATE TABLE public.orders (") == true)
    }

    @Test func anUpThatFailsHalfwayIsAFindingWithTheServersErrorAndStopsTheRun() throws {
        let git = try project(format: "golang-migrate", [
            ["20240101000000_create_accounts.up.sql": "CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE ledgers (id bigint, kind nosuchtype);\n",
             "20240101000000_create_accounts.down.sql": "DROP TABLE ledgers;\nDROP TABLE accounts;\n"],
            ["20240201000000_add_name_to_accounts.up.sql": "ALTER TABLE accounts ADD COLUMN name text;\n",
             "20240201000000_add_name_to_accounts.down.sql": "ALTER TABLE accounts DROP COLUMN name;\n"],
        ])
        let report = try roundtrip(git)
        #expect(report.steps.map(\.outcome) == [.failed, .notRun])
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "migration-failed-to-apply" && finding.line == 2)
        #expect(finding.message.contains("type \"nosuchtype\" does not exist (SQLSTATE 42704)"))
    }

    @Test func anUpThatCannotRunAgainAfterItsDownIsNotRepeatable() throws {
        let git = try project(format: "dbmate", [
            ["20240101000000_create_settings.sql": "-- migrate:up\nCREATE TABLE settings (key text PRIMARY KEY, value text);\n-- migrate:down\nDROP TABLE settings;\n"],
            ["20240201000000_seed_theme_setting.sql": "-- migrate:up\nINSERT INTO settings VALUES ('theme', 'dark');\n-- migrate:down\nDELETE FROM settings WHERE key = 'colour';\n"],
        ])
        let report = try roundtrip(git)
        #expect(report.steps.map(\.outcome) == [.restored, .failed])
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "up-not-repeatable")
        #expect(finding.message.contains("duplicate key value violates unique constraint \"settings_pkey\""))
    }

    @Test func theBinaryStartsItsOwnServerAndRemovesItAlsoWhenInterrupted() throws {
        let git = try project(format: "golang-migrate", [
            ["20240101000000_create_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
             "20240101000000_create_orders.down.sql": "\n"],
        ])
        let binary = builtProduct("migledger")
        let temporary = try TemporaryDirectory("migledger-tmp")
        let result = try run(binary, ["roundtrip", "--ephemeral"], in: git.path, environment: ["TMPDIR": temporary.path], check: false)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("error[down-does-not-restore-schema]"))
        #expect(try serverFolders(in: temporary).isEmpty)

        try git.write("db/migrations/20240201000000_wait.up.sql", "SELECT pg_sleep(30);\n")
        try git.write("db/migrations/20240201000000_wait.down.sql", "SELECT 1;\n")
        try git.commitAll("slow", date: "2024-03-01T00:00:00Z")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["roundtrip", "--ephemeral", "-C", git.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Interrupted once the server is up and the slow migration runs.
        let deadline = Date().addingTimeInterval(30)
        while try !serverFolders(in: temporary).contains(where: { FileManager.default.fileExists(atPath: "\(temporary.path)/\($0)/.s.PGSQL.5432") }),
              Date() < deadline {
            usleep(50_000)
        }
        usleep(300_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(try serverFolders(in: temporary).isEmpty)
    }

    @Test func anExistingServerLendsADatabaseThatIsDroppedAfterwards() throws {
        let git = try project(format: "sql", [
            ["20240101000000_create_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\n\n-- down\nDROP TABLE users;\n"],
        ])
        let server = try SharedPostgres.server
        let url = "postgresql://postgres@/postgres?host=\(server.directory.path)&port=5432"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: builtProduct("migledger"))
        process.arguments = ["roundtrip", "--database", url, "-C", git.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed.contains("Roundtrip of ") && printed.contains("/postgres:"))
        #expect(printed.contains("db/migrations/20240101000000_create_users.sql: ok: up, down restores the schema, up again"))
        let left = try PostgresConnection(server.parameters).query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'migledger_roundtrip_\(process.processIdentifier)_%'")
        #expect(left.isEmpty)
    }

    @Test func usageErrorsSayWhatToGive() throws {
        let git = try project(format: "rails", folder: "db/migrate", [
            ["20240101000000_create_users.rb": "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users\n  end\nend\n"],
        ])
        let binary = builtProduct("migledger")
        let neither = try run(binary, ["roundtrip"], in: git.path, check: false)
        #expect(neither.status == 2 && neither.stderr.contains("give either '--database <url>' or '--ephemeral'"))
        let rails = try run(binary, ["roundtrip", "--database", "host=/nonexistent"], in: git.path, check: false)
        #expect(rails.status == 2 && rails.stderr.contains("nothing to roundtrip"))
    }

    /// Temporary servers' folders, which `roundtrip --ephemeral` creates and must remove.
    private func serverFolders(in folder: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("migledger-pg-") }
    }
}

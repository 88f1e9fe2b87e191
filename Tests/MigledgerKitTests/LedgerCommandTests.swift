import Foundation
import MigCore
import MigGit
import MigLedger
import MigReport
import MigledgerKit
import Testing
import TestSupport

/// The ledger use cases through the kit, and the binary where processes matter.
@Suite struct LedgerCommandTests {
    static let policy = """
        version: 1
        migrations:
          - path: db/migrate
            format: rails
        environments:
          staging:
            deploys: ["refs/tags/deploy/staging/*"]
          production:
            deploys: ["refs/tags/v*"]
            after: [staging]
        """

    private func shop() throws -> GitFixture {
        let git = try GitFixture()
        try git.write("migledger.yml", Self.policy)
        try git.write("db/migrate/20240101000000_create_users.rb", "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users\n  end\nend\n")
        try git.commitAll("users", date: "2024-01-01T00:00:00Z")
        try git.git("tag", "deploy/staging/1")
        try git.git("tag", "v1.0")
        return git
    }

    @Test func eightConcurrentSyncProcessesRecordEveryDeployExactlyOnce() throws {
        let git = try shop()
        for index in 2...25 {
            let version = String(format: "202401%02d000000", index)
            try git.write("db/migrate/\(version)_step_\(index).rb", "class Step\(index) < ActiveRecord::Migration[7.1]\n  def change\n  end\nend\n")
            try git.commitAll("step \(index)", date: String(format: "2024-01-%02dT00:00:00Z", index))
            try git.git("tag", "deploy/staging/\(index)")
            if index % 3 == 0 { try git.git("tag", "-a", "v1.\(index)", "-m", "release") }
        }
        let binary = builtProduct("migledger")
        let processes = try (0..<8).map { _ -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["ledger", "sync", "-C", git.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return (process, output)
        }
        for (process, output) in processes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
        }
        let repository = try Repository.open(at: git.path)
        let store = LedgerStore(repository: repository)
        let staging = try store.read("staging")
        #expect(staging.commits.count == 25)
        #expect(Set(staging.commits.map(\.message.marker)).count == 25)
        #expect(staging.entries.count == 25)
        #expect(staging.commits.flatMap(\.message.added).count == 25)
        let production = try store.read("production")
        #expect(production.commits.count == 9)
        #expect(production.entries.count == 24)
        #expect(try LedgerVerifier(repository: repository).verify("staging").isEmpty)
        #expect(try LedgerVerifier(repository: repository).verify("production").isEmpty)
    }

    @Test func unknownEnvironmentsAndRevisionsAreUsageErrors() throws {
        let git = try shop()
        let workspace = try Workspace.open(repositoryPath: git.path, policyPath: nil, environment: [:])
        do {
            _ = try LedgerService.sync(workspace, environments: ["prodution"], dryRun: false)
            Issue.record("an unknown environment must be refused")
        } catch {
            #expect(ExitStatus.forError(error) == .usage)
            #expect("\(error)".contains("unknown environment 'prodution' (did you mean 'production'?)"))
        }
        do {
            _ = try LedgerService.record(workspace, environment: "production", revision: "no-such-commit")
            Issue.record("an unknown revision must be refused")
        } catch {
            #expect(ExitStatus.forError(error) == .usage)
            #expect("\(error)".contains("'no-such-commit' names no commit"))
        }
        #expect(try Repository.open(at: git.path).referenceTarget("refs/migledger/production") == nil)
    }

    @Test func auditNamesTheCommitAndAuthorOfEachChange() throws {
        let git = try shop()
        _ = try git.git("tag", "-d", "v1.0")
        try git.write("db/migrate/20240101000000_create_users.rb", "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users, id: :uuid\n  end\nend\n")
        try git.git("add", "-A")
        try git.git("commit", "-q", "-m", "switch to uuid",
                    environment: ["GIT_AUTHOR_NAME": "Mallory", "GIT_AUTHOR_EMAIL": "mallory@example.com",
                                  "GIT_AUTHOR_DATE": "2024-02-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-02-01T00:00:00Z"])
        let edit = try git.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try git.commitAll("unrelated", date: "2024-02-02T00:00:00Z")
        try git.git("tag", "deploy/staging/2")

        let workspace = try Workspace.open(repositoryPath: git.path, policyPath: nil, environment: [:])
        _ = try LedgerService.sync(workspace, environments: [], dryRun: false)
        let findings = try LedgerService.audit(workspace, environment: nil)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.rule == "modified-deployed-migration")
        #expect(finding.severity == .error)
        #expect(finding.path == RepoPath("db/migrate/20240101000000_create_users.rb"))
        #expect(finding.environments == ["staging"])
        #expect(finding.commit == edit, "the edit, not the later deploy, introduced the drift")
        #expect(finding.author == "Mallory <mallory@example.com>")
        #expect(finding.message.contains("refs/tags/deploy/staging/2"))
        let json = FindingReport.render(findings, as: .json)
        #expect(json.contains("\"line\" : null"))
        #expect(json.contains("\"summary\" : {\n    \"errors\" : 1,\n    \"warnings\" : 0\n  }"))
    }

    @Test func showJSONIsStableAndComplete() throws {
        let git = try shop()
        let workspace = try Workspace.open(repositoryPath: git.path, policyPath: nil, environment: [:])
        _ = try LedgerService.sync(workspace, environments: ["production"], dryRun: false)
        let json = LedgerRendering.showJSON(try LedgerService.show(workspace, environment: nil), workspace: workspace)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let environments = try #require(document["environments"] as? [[String: Any]])
        #expect(environments.map { $0["name"] as? String } == ["staging", "production"])
        #expect(environments[0]["tip"] is NSNull, "staging was not synced")
        let entries = try #require(environments[1]["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries[0]["version"] as? String == "20240101000000")
        #expect(entries[0]["path"] as? String == "db/migrate/20240101000000_create_users.rb")
        #expect(entries[0]["marker"] as? String == "refs/tags/v1.0")
        #expect(entries[0]["deployed_at"] as? String == "2024-01-01T00:00:00Z")
        #expect((entries[0]["blob"] as? String)?.count == 40)
        #expect(Set(environments[1].keys) == ["name", "ref", "tip", "entries", "drift", "deletions", "rollbacks"])
    }

    @Test func verifyThroughTheBinaryFailsWithExitOneOnATamperedLedger() throws {
        let git = try shop()
        let binary = builtProduct("migledger")
        #expect(try run(binary, ["ledger", "sync"], in: git.path).status == 0)
        #expect(try run(binary, ["ledger", "verify"], in: git.path).stdout.contains("ledgers intact"))

        let tip = try git.git("rev-parse", "refs/migledger/production").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let forged = try git.git("commit-tree", "\(tip)^{tree}", "-p", tip, "-m",
                                 "Deploy\n\nEnvironment: production\nSource-Commit: \(tip)\nMarker: refs/tags/v9\nDeployed-At: 2024-01-01T00:00:00Z\nAdded: db/migrate/nothing.rb")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try git.git("update-ref", "refs/migledger/production", forged)
        let result = try run(binary, ["ledger", "verify"], in: git.path, check: false)
        #expect(result.status == 1)
        #expect(result.stdout.contains("production: BROKEN, first bad commit \(forged)"))
        #expect(result.stdout.contains("has an Added trailer for db/migrate/nothing.rb, which it does not add"))
        #expect(result.stdout.contains("staging: intact"))

        let handEdit = try git.git("commit-tree", "\(forged)^{tree}", "-p", forged, "-m", "fix things by hand")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try git.git("update-ref", "refs/migledger/production", handEdit)
        let show = try run(binary, ["ledger", "show"], in: git.path, check: false)
        #expect(show.status == 3, "a damaged ledger is a git failure for every other command")
        #expect(show.stderr.contains("migledger ledger verify"))
    }
}

import Foundation
import MigCore
import MigGit
import MigLedger
import MigReport
import MigledgerKit
import Testing
import TestSupport

/// `migledger check` through the kit: ranges, the staged change, the default upstream.
@Suite struct CheckCommandTests {
    static let policy = """
        version: 1
        migrations:
          - path: db/migrations
            format: sql
        environments:
          production:
            deploys: ["refs/tags/v*"]
        # These tests are about history; the fixtures keep no downs and set no timeouts.
        rules:
          missing-down-migration: off
          require-lock-timeout: off
          require-statement-timeout: off
        """

    private func deployedProject() throws -> (GitFixture, String) {
        let git = try GitFixture()
        try git.write("migledger.yml", Self.policy)
        try git.write("db/migrations/20240101000000_create_users.sql", "CREATE TABLE users (id bigint);\n")
        let base = try git.commitAll("users", date: "2024-01-01T00:00:00Z")
        try git.git("tag", "v1.0")
        return (git, base)
    }

    private func workspace(_ git: GitFixture) throws -> Workspace {
        try Workspace.open(repositoryPath: git.path, policyPath: nil, environment: [:])
    }

    @Test func aRangeReportsEachOffendingCommitWithItsAuthorAndLine() throws {
        let (git, base) = try deployedProject()
        try git.write("db/migrations/20240101000000_create_users.sql", "CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN x int;\n")
        let edit = try git.commitAll("edit", date: "2024-01-02T00:00:00Z")
        try git.write("db/migrations/20231201000000_older.sql", "SELECT 1;\n")
        let older = try git.commitAll("older", date: "2024-01-03T00:00:00Z")

        let findings = try CheckService.run(try workspace(git), target: .range(base: base, head: "HEAD"))
        #expect(findings.map(\.rule) == ["modified-deployed-migration", "out-of-order-migration"])
        #expect(findings[0].commit == edit && findings[0].line == 2 && findings[0].environments == ["production"])
        #expect(findings[0].author == "Test Author <author@example.com>")
        #expect(findings[1].commit == older && findings[1].path == RepoPath("db/migrations/20231201000000_older.sql"))

        let sarif = FindingReport.render(findings, as: .sarif, options: .migledger(colors: false))
        #expect(sarif.contains("\"ruleId\" : \"modified-deployed-migration\""))
        #expect(sarif.contains("\"version\" : \"\(Product.version)\""))
    }

    @Test func contentRulesJudgeOnlyMigrationsNoEnvironmentHasRun() throws {
        let (git, base) = try deployedProject()
        try git.write("db/migrations/20240101000000_create_users.sql", "CREATE TABLE users (id bigint);\nALTER TABLE;\n")
        try git.write("db/migrations/20240301000000_add_email_to_users.sql", "SELECT 1;\nALTER TABLE users ADD COLUMN;\n")
        let commit = try git.commitAll("two", date: "2024-03-01T00:00:00Z")
        let findings = try CheckService.run(try workspace(git), target: .range(base: base, head: "HEAD"))
        #expect(findings.map(\.rule).sorted() == ["modified-deployed-migration", "sql-syntax-error"])
        let content = try #require(findings.first { $0.rule == "sql-syntax-error" })
        #expect(content.path == RepoPath("db/migrations/20240301000000_add_email_to_users.sql"))
        #expect(content.line == 2 && content.commit == commit && content.severity == .error)
    }

    @Test func ignoreCommentsCoverHistoryRulesOnTheirFile() throws {
        let (git, base) = try deployedProject()
        try git.write("db/migrations/20231201000000_backport_index.sql",
                      "-- migledger:ignore out-of-order-migration hotfix backported from the 2023 branch\nSELECT 1;\n")
        try git.write("db/migrations/20231202000000_other_backport.sql", "-- migledger:ignore out-of-order-migration\nSELECT 1;\n")
        try git.commitAll("backports", date: "2024-03-01T00:00:00Z")
        let findings = try CheckService.run(try workspace(git), target: .range(base: base, head: "HEAD"))
        #expect(findings.map(\.rule) == ["suppression-without-reason"], "\(findings)")
        #expect(findings.first?.path == RepoPath("db/migrations/20231202000000_other_backport.sql"))
    }

    @Test func theStagedChangeIsCheckedAgainstHead() throws {
        let (git, _) = try deployedProject()
        try git.write("db/migrations/20240101000000_create_users.sql", "CREATE TABLE users (id uuid);\n")
        try git.write("db/migrations/20240201000000_fix.sql", "SELECT 1;\n")
        try git.git("add", "-A")
        let findings = try CheckService.run(try workspace(git), target: .staged)
        #expect(Set(findings.map(\.rule)) == ["modified-deployed-migration", "vague-migration-name"])
        #expect(findings.allSatisfy { $0.commit == nil })
        #expect(findings.first { $0.rule == "vague-migration-name" }?.severity == .warning)
    }

    @Test func withoutARangeTheBranchIsComparedWithOriginsDefaultBranch() throws {
        let (upstream, _) = try deployedProject()
        let clone = try TemporaryDirectory()
        try run("git", ["clone", "-q", upstream.path, clone.path + "/work"])
        let work = clone.path + "/work"
        try run("git", ["checkout", "-q", "-b", "feature"], in: work)
        try clone.write("work/db/migrations/20240301000000_add_email_to_users.sql", "ALTER TABLE users ADD COLUMN email text;\n")
        try run("git", ["add", "-A"], in: work)
        try run("git", ["commit", "-q", "-m", "email"], in: work)
        let workspace = try Workspace.open(repositoryPath: work, policyPath: nil, environment: [:])
        #expect(try CheckService.run(workspace, target: .branch).isEmpty)
        try clone.write("work/db/migrations/20240101000000_create_users.sql", "CREATE TABLE users (id int);\n")
        try run("git", ["commit", "-q", "-am", "edit"], in: work)
        #expect(try CheckService.run(workspace, target: .branch).map(\.rule) == ["modified-deployed-migration"])
    }

    @Test func badTargetsAreUsageErrorsThatSayWhatToDo() throws {
        #expect(throws: UserFacingError.self) { try CheckService.parseTarget("main", staged: false) }
        #expect(throws: UserFacingError.self) { try CheckService.parseTarget("a..b", staged: true) }
        #expect(try CheckService.parseTarget("origin/main..HEAD", staged: false) == .range(base: "origin/main", head: "HEAD"))
        #expect(try CheckService.parseTarget(nil, staged: false) == .branch)

        let (git, _) = try deployedProject()
        do {
            _ = try CheckService.run(try workspace(git), target: .range(base: "nope", head: "HEAD"))
            Issue.record("a missing base must be refused")
        } catch {
            #expect(ExitStatus.forError(error) == .usage)
            #expect("\(error)".contains("the base 'nope' names no commit"))
        }
        do {
            _ = try CheckService.run(try workspace(git), target: .branch)
            Issue.record("no upstream must be refused")
        } catch {
            #expect("\(error)".contains("migledger check main..HEAD"))
        }
    }

    @Test func aShallowCloneMissingTheBaseSaysHowToFetchIt() throws {
        let (git, base) = try deployedProject()
        for index in 2...4 {
            try git.write("db/migrations/2024010\(index)000000_step_\(index).sql", "SELECT \(index);\n")
            try git.commitAll("step \(index)", date: "2024-01-0\(index)T00:00:00Z")
        }
        let shallow = try TemporaryDirectory()
        try run("git", ["clone", "-q", "--depth", "1", "file://" + git.path, shallow.path + "/s"])
        let workspace = try Workspace.open(repositoryPath: shallow.path + "/s", policyPath: nil, environment: [:])
        do {
            _ = try CheckService.run(workspace, target: .range(base: base, head: "HEAD"))
            Issue.record("a base outside the shallow history must be refused")
        } catch {
            #expect(ExitStatus.forError(error) == .usage)
            #expect("\(error)".contains("git fetch --unshallow"))
        }
    }
}

import Foundation
import MigCore
@testable import MigPolicy
import Testing
import TestSupport

@Suite struct PolicyLoadingTests {
    static let designExample = """
        version: 1
        extends: recommended            # a preset shipped in policies/ (recommended, strict)
        migrations:                     # one or more migration sets (monorepos have several)
          - path: db/migrate
            format: rails               # rails | alembic | django | flyway | golang-migrate | dbmate | prisma | sql
            dialect: postgres           # postgres | mysql | sqlite
        environments:
          staging:
            deploys: ["refs/tags/deploy/staging/*"]
          production:
            deploys: ["refs/tags/v*", "refs/environments/production/deployments/*"]
            after: [staging]            # promotion: a migration reaches production only after staging ran it
        protect: [staging, production]  # environments whose deployed migrations are immutable (default: all)
        rules:
          require-concurrent-index-creation: error     # error | warning | off
          prefer-text-field: off
        exceptions:
          - rule: ban-drop-column
            path: db/migrate/20240101000000_drop_legacy_flag.rb
            reason: "approved in review 123"
            expires: 2026-01-01
        overrides:
          allowed: [alice, release-bot] # who may push with -o migledger.override="reason"
        immutability: line-endings      # how a deployed file is compared: exact | line-endings | whitespace | tokens
        placeholders:                   # templated SQL, replaced before parsing (positions kept)
          '{{ index .Options "Namespace" }}': auth
          '${schema}': public
        """

    @Test func designExampleLoadsWithEveryField() throws {
        let policy = try policy(Self.designExample)
        #expect(policy.version == 1)
        #expect(policy.extends == "recommended")
        #expect(policy.migrations == [
            Policy.MigrationSet(path: RepoPath("db/migrate"), format: .rails, dialect: .postgres, layout: .flat),
        ])
        #expect(policy.environments.map(\.name) == ["staging", "production"])
        let staging = try #require(policy.environment(named: "staging"))
        #expect(staging.deploys.map(\.pattern) == ["refs/tags/deploy/staging/*"])
        #expect(staging.after.isEmpty)
        let production = try #require(policy.environment(named: "production"))
        #expect(production.deploys.map(\.pattern)
            == ["refs/tags/v*", "refs/environments/production/deployments/*"])
        #expect(production.after == ["staging"])
        #expect(production.isDeployMarker("refs/tags/v2.0"))
        #expect(production.isDeployMarker("refs/environments/production/deployments/17"))
        #expect(!production.isDeployMarker("refs/tags/deploy/staging/1"))
        #expect(policy.protected == ["staging", "production"])
        #expect(policy.rules["require-concurrent-index-creation"] == .error)
        #expect(policy.severity(of: "prefer-text-field") == .off)
        #expect(policy.severity(of: "prefer-identity") == .warning)
        #expect(!policy.warningsAsErrors)
        #expect(policy.exceptions == [
            Policy.Exception(rule: "ban-drop-column",
                             path: RepoPath("db/migrate/20240101000000_drop_legacy_flag.rb"),
                             reason: "approved in review 123",
                             expires: CalendarDate(year: 2026, month: 1, day: 1)),
        ])
        #expect(policy.overrides.allowed == ["alice", "release-bot"])
        #expect(policy.overrides.variable == nil)
        #expect(policy.immutability == .lineEndings)
        #expect(policy.placeholders == [
            Policy.Placeholder(text: #"{{ index .Options "Namespace" }}"#, replacement: "auth"),
            Policy.Placeholder(text: "${schema}", replacement: "public"),
        ])
        #expect(policy.hook.onError == .reject)
    }

    @Test func everyOptionalSettingIsRead() throws {
        let policy = try policy("""
            version: 1
            migrations:
              - path: ./services/billing/migrations/
                dialect: mysql
                layout: split
              - path: db
                format: golang-migrate
                dialect: sqlite
            environments:
              prod:
                deploys: [refs/heads/release]
            overrides:
              allowed: [alice]
              variable: PUSHER_NAME
            immutability: whitespace
            hook:
              on-error: allow
            """)
        #expect(policy.migrations == [
            Policy.MigrationSet(path: RepoPath("services/billing/migrations"), format: nil, dialect: .mysql, layout: .split),
            Policy.MigrationSet(path: RepoPath("db"), format: .golangMigrate, dialect: .sqlite, layout: .flat),
        ])
        #expect(policy.protected == ["prod"])
        #expect(policy.overrides == Policy.Overrides(allowed: ["alice"], variable: "PUSHER_NAME"))
        #expect(policy.immutability == .whitespace)
        #expect(policy.hook.onError == .allow)
    }

    @Test func emptySectionsAreEmpty() throws {
        let policy = try policy("""
            version: 1
            environments:
              staging:
            rules:
            exceptions: []
            """)
        #expect(policy.environments == [Policy.Environment(name: "staging", deploys: [], after: [])])
        #expect(policy.rules.isEmpty)
        #expect(policy.exceptions.isEmpty)
    }

    @Test func exceptionsExpire() throws {
        let policy = try policy("""
            version: 1
            exceptions:
              - rule: ban-drop-column
                path: db/migrate/20240101000000_drop_legacy_flag.rb
                reason: approved in review 123
                expires: 2026-01-01
              - rule: prefer-text-field
                path: db/legacy
                reason: legacy schema, frozen
            """)
        let file = RepoPath("db/migrate/20240101000000_drop_legacy_flag.rb")
        let lastDay = try #require(CalendarDate("2025-12-31"))
        let expiryDay = try #require(CalendarDate("2026-01-01"))
        #expect(policy.exception(for: "ban-drop-column", at: file, on: lastDay)?.reason == "approved in review 123")
        #expect(policy.exception(for: "ban-drop-column", at: file, on: expiryDay) == nil)
        #expect(policy.exception(for: "ban-drop-table", at: file, on: lastDay) == nil)
        #expect(policy.exception(for: "ban-drop-column", at: RepoPath("db/migrate/other.rb"), on: lastDay) == nil)
        // An exception without expiry never expires, and a folder covers what is below it.
        let far = try #require(CalendarDate("2999-01-01"))
        #expect(policy.exception(for: "prefer-text-field", at: RepoPath("db/legacy/001_init.sql"), on: far) != nil)
        #expect(policy.exception(for: "prefer-text-field", at: RepoPath("db/legacy"), on: far) != nil)
        #expect(policy.exception(for: "prefer-text-field", at: RepoPath("db/legacy2/x.sql"), on: far) == nil)
    }

    @Test func noPolicyFileMeansRecommended() throws {
        let folder = try TemporaryDirectory()
        #expect(try Policy.file(in: folder.url) == nil)
        #expect(try Policy.load(inFolder: folder.url) == Policy.recommended)
    }

    @Test(arguments: ["migledger.yml", ".migledger.yml"])
    func policyFileIsFound(name: String) throws {
        let folder = try TemporaryDirectory()
        try folder.write(name, "version: 1\nextends: strict\n")
        #expect(try Policy.file(in: folder.url)?.lastPathComponent == name)
        #expect(try Policy.load(inFolder: folder.url).warningsAsErrors)
    }

    @Test func errorsInAFoundFileNameIt() throws {
        let folder = try TemporaryDirectory()
        try folder.write(".migledger.yml", "version: 2\n")
        #expect(throws: PolicyError.self) { try Policy.load(inFolder: folder.url) }
        do throws(PolicyError) {
            _ = try Policy.load(inFolder: folder.url)
        } catch {
            #expect(error.description
                == ".migledger.yml:1:10: version: unsupported policy version '2'; this migledger reads `version: 1`")
        }
    }

    @Test func bothPolicyFilesIsAnError() throws {
        let folder = try TemporaryDirectory()
        try folder.write("migledger.yml", "version: 1\n")
        try folder.write(".migledger.yml", "version: 1\n")
        do throws(PolicyError) {
            _ = try Policy.load(inFolder: folder.url)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "migledger.yml: both migledger.yml and .migledger.yml exist; "
                + "keep migledger.yml, move any settings of .migledger.yml into it, and delete .migledger.yml")
        }
    }

    @Test func loadsAnExplicitPath() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("config/policy.yml", "version: 1\nimmutability: exact\n")
        #expect(try Policy.load(contentsOf: file).immutability == .exact)
    }

    @Test func missingExplicitPathIsAnError() throws {
        let folder = try TemporaryDirectory()
        let file = folder.url.appendingPathComponent("nope.yml")
        do throws(PolicyError) {
            _ = try Policy.load(contentsOf: file)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems[0].file == file.path)
            #expect(error.problems[0].message
                == "no such policy file; check the path, or run `migledger init` to write one")
        }
    }

    @Test func bytesThatAreNotUTF8AreRejectedWithTheirPlace() {
        var bytes = Array("version: 1\nrules:\n  ban-drop-column: off # caf".utf8)
        bytes.append(0xE9)
        bytes += Array("\n".utf8)
        do throws(PolicyError) {
            _ = try Policy.parse(bytes, fileName: "migledger.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "migledger.yml:3:29: the policy is not UTF-8 text "
                + "(byte 0xE9 at offset 46); save it as UTF-8")
        }
    }

    @Test func calendarDates() throws {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("2026-1-01") == nil)
        #expect(CalendarDate("2026-01-01T00:00") == nil)
        #expect(CalendarDate("2026-01-01")?.description == "2026-01-01")
        #expect(try #require(CalendarDate("2025-12-31")) < #require(CalendarDate("2026-01-01")))
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: 0)).description == "1970-01-01")
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: 951_782_400)).description == "2000-02-29")
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: 1_767_225_599)).description == "2025-12-31")
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: -1)).description == "1969-12-31")
    }
}

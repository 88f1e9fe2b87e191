import Foundation
import MigCore
import MigFormats
import MigGit
import MigPolicy
import MigledgerKit
import Testing
import TestSupport

/// `migledger init` in real repositories: what it detects, proposes, writes and refuses.
@Suite struct InitializerTests {
    @Test(arguments: FormatProject.all)
    func writesAPolicyThatLoadsAndNamesTheDetectedSet(project: FormatProject) throws {
        let fixture = try GitFixture()
        try project.commit(into: fixture)
        let outcome = try Initializer.run(repositoryPath: fixture.path, format: nil, folder: nil, force: false)

        let expected = ["\(project.folder) \(project.format.rawValue) \(project.dialect.rawValue)"]
        #expect(outcome.sets.map { "\($0.path) \($0.format.rawValue) \($0.dialect.rawValue)" } == expected)
        let file = URL(fileURLWithPath: fixture.path).appendingPathComponent("migledger.yml")
        #expect(URL(fileURLWithPath: outcome.file).standardizedFileURL == file.standardizedFileURL)
        #expect(try String(contentsOf: file, encoding: .utf8) == outcome.text)

        let policy = try Policy.load(contentsOf: file)
        #expect(policy.extends == "recommended")
        #expect(policy.migrations.map { "\($0.path) \($0.format?.rawValue ?? "detect") \($0.dialect.rawValue)" } == expected)
        #expect(Self.environments(policy) == ["production: refs/tags/v*"])

        // The written file is the one every other command then reads.
        let workspace = try Workspace.open(repositoryPath: fixture.path, policyPath: nil, environment: [:])
        #expect(workspace.policySource == "migledger.yml")
        #expect(workspace.migrationSets.map { "\($0.path) \($0.format.rawValue) \($0.dialect.rawValue)" } == expected)
    }

    /// Deploy markers already in the repository, and the environments `init` proposes for them.
    struct DeployRefs: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let refs: [String]
        let environments: [String]
    }

    @Test(arguments: [
        DeployRefs(testDescription: "staging deploy tags",
                   refs: ["refs/tags/deploy/staging/2024-01-05", "refs/tags/deploy/staging/2024-01-12"],
                   environments: ["staging: refs/tags/deploy/staging/*"]),
        DeployRefs(testDescription: "GitLab environment refs",
                   refs: ["refs/environments/production/deployments/41", "refs/environments/production/deployments/42"],
                   environments: ["production: refs/environments/production/deployments/*"]),
        DeployRefs(testDescription: "release tags",
                   refs: ["refs/tags/v1.0", "refs/tags/v1.1.2"],
                   environments: ["production: refs/tags/v*"]),
        DeployRefs(testDescription: "no markers", refs: [], environments: ["production: refs/tags/v*"]),
        DeployRefs(testDescription: "all kinds, with look-alikes that are not markers",
                   refs: ["refs/tags/deploy/staging/2024-01-05", "refs/environments/production/deployments/7",
                          "refs/tags/v2.0", "refs/tags/vendor-drop", "refs/heads/deploy", "refs/tags/deploy/notes"],
                   environments: ["production: refs/environments/production/deployments/*, refs/tags/v*",
                                  "staging: refs/tags/deploy/staging/*"]),
    ])
    func proposesEnvironmentsFromExistingDeployMarkers(case refs: DeployRefs) throws {
        let fixture = try GitFixture()
        try FormatProject.rails.commit(into: fixture)
        for ref in refs.refs {
            try fixture.git("update-ref", ref, "HEAD")
        }
        let outcome = try Initializer.run(repositoryPath: fixture.path, format: nil, folder: nil, force: false)
        #expect(outcome.environments.map { "\($0.name): \($0.deploys.joined(separator: ", "))" } == refs.environments)
        #expect(Self.environments(try Policy.load(contentsOf: URL(fileURLWithPath: outcome.file))) == refs.environments)
    }

    @Test func formatNarrowsDetectionToOneTool() throws {
        let fixture = try GitFixture()
        for (path, contents) in FormatProject.rails.files.merging(FormatProject.prisma.files, uniquingKeysWith: { $1 }) {
            try fixture.write(path, contents)
        }
        try fixture.commitAll("rails app with a prisma service")

        let both = try Initializer.run(repositoryPath: fixture.path, format: nil, folder: nil, force: false)
        #expect(both.sets.map { "\($0.path) \($0.format.rawValue)" } == ["db/migrate rails", "prisma/migrations prisma"])

        let prisma = try Initializer.run(repositoryPath: fixture.path, format: .prisma, folder: nil, force: true)
        #expect(prisma.sets.map { "\($0.path) \($0.format.rawValue) \($0.dialect.rawValue)" } == ["prisma/migrations prisma mysql"])
        #expect(try Policy.load(contentsOf: URL(fileURLWithPath: prisma.file)).migrations.map(\.path) == [RepoPath("prisma/migrations")])

        let error = try Self.userFacingError {
            try Initializer.run(repositoryPath: fixture.path, format: .flyway, folder: nil, force: true)
        }
        #expect(error.status == .usage)
        #expect(error.message.hasPrefix("found no flyway migrations in this repository"))
        #expect(error.message.contains("--path") && error.message.contains("--format"))
    }

    @Test func pathAndFormatNameAFolderDetectionCannotClassify() throws {
        let fixture = try GitFixture()
        try fixture.write("db/scripts/create_menu.sql", "CREATE TABLE menu (id bigint PRIMARY KEY);\n")
        try fixture.write("db/scripts/add_menu_price.sql", "ALTER TABLE menu ADD COLUMN price numeric;\n")
        try fixture.commitAll("unnumbered scripts")

        let withoutFormat = try Self.userFacingError {
            try Initializer.run(repositoryPath: fixture.path, format: nil, folder: "db/scripts", force: false)
        }
        #expect(withoutFormat.status == .usage)
        #expect(withoutFormat.message.contains("db/scripts") && withoutFormat.message.contains("pass --format"))

        let outcome = try Initializer.run(repositoryPath: fixture.path, format: .sql, folder: "db/scripts/", force: false)
        #expect(outcome.sets.map { "\($0.path) \($0.format.rawValue) \($0.dialect.rawValue)" } == ["db/scripts sql postgres"])
        #expect(outcome.sets.first?.evidence == ["given with --path and --format"])
        let policy = try Policy.load(contentsOf: URL(fileURLWithPath: outcome.file))
        #expect(policy.migrations.map { "\($0.path) \($0.format?.rawValue ?? "detect")" } == ["db/scripts sql"])

        let empty = try Self.userFacingError {
            try Initializer.run(repositoryPath: fixture.path, format: .sql, folder: "db/nowhere", force: true)
        }
        #expect(empty.status == .usage)
        #expect(empty.message.contains("db/nowhere holds no files"))
    }

    /// Users type `./db/migrate` as readily as `db/migrate`; both are the folder detection found.
    @Test(arguments: ["db/migrate", "./db/migrate", "db/migrate/", "./db//migrate/"])
    func pathIsMatchedInGitsForm(folder: String) throws {
        let fixture = try GitFixture()
        try FormatProject.rails.commit(into: fixture)
        let outcome = try Initializer.run(repositoryPath: fixture.path, format: nil, folder: folder, force: false)
        #expect(outcome.sets.map { "\($0.path) \($0.format.rawValue) \($0.dialect.rawValue)" } == ["db/migrate rails mysql"])
        #expect(outcome.text.contains("  - path: db/migrate\n"))
    }

    /// `django-admin startproject` puts `manage.py` at the top of the repository, so the set is
    /// the repository root itself.
    @Test func djangoProjectAtTheRepositoryRoot() throws {
        let fixture = try GitFixture()
        for (path, contents) in FormatProject.django.files {
            try fixture.write(String(path.dropFirst("backend/".count)), contents)
        }
        try fixture.commitAll("django project at the root")
        let outcome = try Initializer.run(repositoryPath: fixture.path, format: nil, folder: nil, force: false)
        #expect(outcome.sets.map { "\($0.format.rawValue) \($0.dialect.rawValue)" } == ["django postgres"])

        let workspace = try Workspace.open(repositoryPath: fixture.path, policyPath: nil, environment: [:])
        let head = try GitTreeSource(repository: workspace.repository, commit: try workspace.repository.resolveCommit("HEAD"))
        let found = try workspace.migrationSets.flatMap { set in
            try MigrationFormats.format(for: set.format).discover(in: head, folder: set.path).migrations.map(\.path.description)
        }
        #expect(found == FormatProject.django.migrations.map { String($0.prefix { $0 != " " }.dropFirst("backend/".count)) })
    }

    @Test(arguments: Policy.fileNames)
    func refusesToOverwriteAnExistingPolicyWithoutForce(existing name: String) throws {
        let fixture = try GitFixture()
        try FormatProject.sql.commit(into: fixture)
        let existing = "version: 1\nextends: strict\n"
        let file = try fixture.write(name, existing)

        let error = try Self.userFacingError {
            try Initializer.run(repositoryPath: fixture.path, format: nil, folder: nil, force: false)
        }
        #expect(error.status == .usage)
        #expect(error.message.contains(name) && error.message.contains("--force"))
        #expect(try String(contentsOf: file, encoding: .utf8) == existing)

        // With force the documented name replaces either file, so no two policies compete.
        let outcome = try Initializer.run(repositoryPath: fixture.path, format: nil, folder: nil, force: true)
        let root = URL(fileURLWithPath: fixture.path)
        #expect(try String(contentsOf: root.appendingPathComponent("migledger.yml"), encoding: .utf8) == outcome.text)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".migledger.yml").path))
    }

    @Test func repositoryWithoutMigrationsAsksForPathAndFormat() throws {
        let fixture = try GitFixture()
        try fixture.write("README.md", "# A service without a database\n")
        try fixture.write("src/main.go", "package main\n\nfunc main() {}\n")
        try fixture.commitAll("no migrations")
        let error = try Self.userFacingError {
            try Initializer.run(repositoryPath: fixture.path, format: nil, folder: nil, force: false)
        }
        #expect(error.status == .usage)
        #expect(error.message.hasPrefix("found no migrations in this repository"))
        #expect(error.message.contains("--path") && error.message.contains("--format"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/migledger.yml"))
    }

    @Test func bareRepositoryIsAUsageError() throws {
        let fixture = try GitFixture()
        try FormatProject.rails.commit(into: fixture)
        let bare = try fixture.bareClone()
        let error = try Self.userFacingError {
            try Initializer.run(repositoryPath: bare.path, format: nil, folder: nil, force: false)
        }
        #expect(error.status == .usage)
        #expect(error.message.contains("bare repository"))
        #expect(!FileManager.default.fileExists(atPath: bare.path + "/migledger.yml"))
    }

    static func environments(_ policy: Policy) -> [String] {
        policy.environments.map { "\($0.name): \($0.deploys.map(\.pattern).joined(separator: ", "))" }
    }

    /// The `UserFacingError` `body` throws; anything else fails the test.
    static func userFacingError(_ body: () throws -> some Any) throws -> UserFacingError {
        let error = #expect(throws: UserFacingError.self) { _ = try body() }
        return try #require(error)
    }
}

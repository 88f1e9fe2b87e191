import MigCore
import MigFormats
import Testing

/// What every format must do the same way with hostile trees.
@Suite struct CommonDiscoveryTests {
    static let samples: [(MigrationFormatKind, String)] = [
        (.rails, "class A < ActiveRecord::Migration[7.1]\n  def change\n  end\nend\n"),
        (.alembic, "revision = 'abc'\ndown_revision = None\n"),
        (.django, "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n"),
        (.flyway, "SELECT 1;"), (.golangMigrate, "SELECT 1;"), (.dbmate, "-- migrate:up\nSELECT 1;\n"),
        (.prisma, "SELECT 1;"), (.sql, "SELECT 1;"),
    ]

    static func migrationName(_ kind: MigrationFormatKind) -> String {
        switch kind {
        case .rails: "20240101000000_create_things.rb"
        case .alembic: "abc_create_things.py"
        case .django: "0001_create_things.py"
        case .flyway: "V1__create_things.sql"
        case .golangMigrate: "20240101000000_create_things.up.sql"
        case .dbmate, .sql: "20240101000000_create_things.sql"
        case .prisma: "20240101000000_create_things/migration.sql"
        }
    }

    @Test(arguments: MigrationFormatKind.allCases)
    func linksSubmodulesAndBinaryContentAreProblems(kind: MigrationFormatKind) throws {
        var tree = MemoryTree()
        let folder = kind == .django ? "app/migrations" : "m"
        let name = Self.migrationName(kind)
        tree.add(RepoPath("\(folder)/link/\(name)"), bytes: Array("../../\(name)".utf8), mode: .symlink)
        tree.add(RepoPath("\(folder)/vendored"), bytes: [], mode: .submodule)
        tree.add(RepoPath("\(folder)/\(name)"), bytes: Array("SELECT 1;".utf8) + [0, 1, 2])
        let found = try discover(kind, tree, in: folder)
        #expect(found.migrations.isEmpty)
        #expect(found.problemPaths == ["\(folder)/\(name)", "\(folder)/link/\(name)", "\(folder)/vendored"])
        #expect(found.problems.map(\.message) == [
            "has binary content (a NUL byte); a migration must be a text file",
            "is a symbolic link; links in migration folders are not followed, commit the file itself",
            "is a submodule; migrations inside submodules are not read",
        ])
    }

    @Test(arguments: MigrationFormatKind.allCases)
    func emptyAndMissingFoldersFindNothing(kind: MigrationFormatKind) throws {
        let found = try discover(kind, MemoryTree(["elsewhere/x.sql": "SELECT 1;"]), in: "db/migrate")
        #expect(found == Discovery())
    }

    @Test(arguments: samples)
    func treeErrorsPropagate(kind: MigrationFormatKind, content: String) throws {
        let folder = kind == .django ? "app/migrations" : "m"
        let tree = FailingTree(listing: [TreeFile(path: RepoPath("\(folder)/\(Self.migrationName(kind))"), objectID: "1", mode: .regular)])
        #expect(throws: MissingBlob.self) { try MigrationFormats.format(for: kind).discover(in: tree, folder: RepoPath(folder)) }
    }

    @Test(arguments: samples)
    func foldersWithSpacesAndMigrationsFound(kind: MigrationFormatKind, content: String) throws {
        let folder = "services/billing db/migrations"
        let tree = MemoryTree(["\(folder)/\(Self.migrationName(kind))": content])
        let found = try discover(kind, tree, in: folder)
        #expect(found.paths == ["\(folder)/\(Self.migrationName(kind))"])
        #expect(found.migrations.first?.format == kind)
        #expect(found.migrations.first?.name.hasSuffix("create_things") == true)
    }

    @Test func registryCoversEveryKind() {
        #expect(MigrationFormats.all.map(\.kind) == MigrationFormatKind.allCases)
        for kind in MigrationFormatKind.allCases {
            #expect(MigrationFormats.format(for: kind).kind == kind)
        }
    }
}

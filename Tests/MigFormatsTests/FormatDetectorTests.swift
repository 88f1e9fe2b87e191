import MigCore
import MigFormats
import Testing

@Suite struct FormatDetectorTests {
    private func only(_ files: [String: String]) throws -> DetectedSet {
        let sets = try FormatDetector.detect(in: MemoryTree(files))
        #expect(sets.count == 1, "found \(sets.map { "\($0.format) at \($0.path)" })")
        return try #require(sets.first)
    }

    @Test func rails() throws {
        let set = try only([
            "db/migrate/20240101000000_create_users.rb": RailsFormatTests.change,
            "db/migrate/20240102000000_add_status.rb": RailsFormatTests.change,
            "db/schema.rb": "",
            "config/database.yml": "default: &default\n  adapter: mysql2\n  encoding: utf8mb4\n",
        ])
        #expect(set.path == RepoPath("db/migrate"))
        #expect(set.format == .rails)
        #expect(set.dialect == .mysql)
        #expect(set.confidence == .high)
        #expect(set.evidence.contains("config/database.yml uses adapter mysql2"))
    }

    @Test func rubyFilesOutsideRailsAreNotRails() throws {
        let sets = try FormatDetector.detect(in: MemoryTree(["db/migrations/001_create.rb": "Sequel.migration do\nend\n"]))
        #expect(sets.isEmpty)
    }

    @Test func alembic() throws {
        let set = try only([
            "alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///app.db\n",
            "migrations/env.py": "",
            "migrations/versions/ae10_add_users.py": AlembicFormatTests.revision("ae10", down: "None"),
        ])
        #expect(set.path == RepoPath("migrations"))
        #expect(set.format == .alembic)
        #expect(set.dialect == .sqlite)
        #expect(set.confidence == .high)
    }

    @Test func django() throws {
        let migration = DjangoFormatTests.migration(operations: DjangoFormatTests.addField)
        let set = try only([
            "backend/manage.py": "",
            "backend/shop/migrations/0001_initial.py": migration,
            "backend/users/migrations/0001_initial.py": migration,
            "backend/users/migrations/__init__.py": "",
        ])
        #expect(set.path == RepoPath("backend"))
        #expect(set.format == .django)
        #expect(set.dialect == .postgres)
        #expect(try discover(.django, MemoryTree([
            "backend/shop/migrations/0001_initial.py": migration,
        ]), in: "backend").migrations.count == 1)
    }

    @Test func flywayWithNestedFolders() throws {
        let set = try only([
            "src/main/resources/db/migration/2023/V1__init.sql": "CREATE TABLE `users` (id int AUTO_INCREMENT) ENGINE=InnoDB;",
            "src/main/resources/db/migration/2024/V2__more.sql": "ALTER TABLE users ADD x int;",
        ])
        #expect(set.path == RepoPath("src/main/resources/db/migration"))
        #expect(set.format == .flyway)
        #expect(set.dialect == .mysql)
    }

    @Test func golangMigrate() throws {
        let set = try only([
            "migrations/1_init.up.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);",
            "migrations/1_init.down.sql": "DROP TABLE t;",
        ])
        #expect(set.format == .golangMigrate)
        #expect(set.dialect == .sqlite)
        #expect(set.confidence == .medium)
    }

    @Test func dbmate() throws {
        let set = try only([
            "db/migrations/20240101000000_init.sql": "-- migrate:up\nPRAGMA foreign_keys = ON;\n-- migrate:down\n",
            "db/schema.sql": "",
        ])
        #expect(set.path == RepoPath("db/migrations"))
        #expect(set.format == .dbmate)
        #expect(set.dialect == .sqlite)
        #expect(set.confidence == .high)
    }

    @Test(arguments: [("mysql", Dialect.mysql), ("postgresql", .postgres), ("sqlite", .sqlite)])
    func prisma(provider: String, dialect: Dialect) throws {
        let set = try only([
            "prisma/schema.prisma": "generator client {\n  provider = \"prisma-client-js\"\n}\n\ndatasource db {\n  provider = \"\(provider)\"\n  url = env(\"DATABASE_URL\")\n}\n",
            "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE \"User\" (id int);",
        ])
        #expect(set.path == RepoPath("prisma/migrations"))
        #expect(set.format == .prisma)
        #expect(set.dialect == dialect)
        #expect(set.confidence == .medium)
    }

    @Test func plainSQLWithSchemaAndDataFolders() throws {
        let set = try only([
            "database/migrations/schema/20240101000000_create.sql": "CREATE TABLE t (id int);",
            "database/migrations/data/20240102000000_seed.sql": "INSERT INTO t VALUES (1);",
        ])
        #expect(set.path == RepoPath("database/migrations"))
        #expect(set.format == .sql)
        #expect(set.dialect == .postgres)
        #expect(set.confidence == .low)
        #expect(set.evidence.last == "no dialect clue; assuming PostgreSQL")
    }

    @Test func dependencyAndHiddenFoldersAreSkipped() throws {
        let sets = try FormatDetector.detect(in: MemoryTree([
            "node_modules/pkg/migrations/1_x.up.sql": "", "node_modules/pkg/migrations/1_x.down.sql": "",
            "vendor/github.com/x/db/migrate/20240101000000_a.rb": RailsFormatTests.change,
            ".git/db/migration/V1__x.sql": "",
        ]))
        #expect(sets.isEmpty)
    }

    @Test func monorepoWithTwoSets() throws {
        let sets = try FormatDetector.detect(in: MemoryTree([
            "services/api/db/migrate/20240101000000_create_users.rb": RailsFormatTests.change,
            "services/api/config/database.yml": "production:\n  adapter: postgresql\n",
            "services/billing/prisma/schema.prisma": "datasource db {\n  provider = \"mysql\"\n}\n",
            "services/billing/prisma/migrations/migration_lock.toml": "provider = \"mysql\"",
            "services/billing/prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE `Invoice` (id int);",
            "docs/README.md": "",
        ]))
        #expect(sets.map(\.path.description) == ["services/api/db/migrate", "services/billing/prisma/migrations"])
        #expect(sets.map(\.format) == [.rails, .prisma])
        #expect(sets.map(\.dialect) == [.postgres, .mysql])
        #expect(sets.map(\.confidence) == [.high, .high])
    }

    @Test func sqlInsideAnotherSetIsNotASecondSet() throws {
        let sets = try FormatDetector.detect(in: MemoryTree([
            "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE a (b int);",
            "prisma/migrations/20240102000000_more/migration.sql": "CREATE TABLE c (d int);",
        ]))
        #expect(sets.map(\.format) == [.prisma])
    }
}

extension FormatDetectorTests {
    @Test func djangoProjectAtTheRootLeavesRoomForOtherSets() throws {
        let sets = try FormatDetector.detect(in: MemoryTree([
            "manage.py": "",
            "shop/migrations/0001_initial.py": DjangoFormatTests.migration(operations: DjangoFormatTests.addField),
            "reports/sql/20240101000000_create_view.sql": "CREATE VIEW v AS SELECT 1;",
        ]))
        #expect(sets.map(\.format) == [.django, .sql])
        #expect(sets.map(\.path.description) == ["", "reports/sql"])
    }
}

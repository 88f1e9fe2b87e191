import MigCore
import MigFormats
import Testing

@Suite struct PrismaFormatTests {
    @Test func migrationFolders() throws {
        let tree = MemoryTree([
            "prisma/migrations/migration_lock.toml": "provider = \"postgresql\"",
            "prisma/migrations/20240101120000_init/migration.sql": "CREATE TABLE \"User\" (id serial);",
            "prisma/migrations/20240102120000_seed_roles/migration.sql": "INSERT INTO \"Role\" VALUES (1);",
            "prisma/migrations/20240102120000_seed_roles/README.md": "why",
            "prisma/migrations/20240103120000_add_posts/migration.sql": "CREATE TABLE \"Post\" (id serial);",
            "prisma/migrations/20240103120000_add_posts/down.sql": "DROP TABLE \"Post\";",
            "prisma/migrations/stray.sql": "SELECT 1;",
            "prisma/migrations/manual_fix/migration.sql": "SELECT 1;",
            "prisma/migrations/20240104120000_empty/notes.txt.orig": "",
            "prisma/migrations/20240105120000_forgot/steps.json": "{}",
        ])
        let found = try discover(.prisma, tree, in: "prisma/migrations")
        #expect(found.migrations.map(\.name) == ["init", "seed_roles", "add_posts"])
        #expect(found.migrations.map(\.version) == ["20240101120000", "20240102120000", "20240103120000"])
        #expect(found.migrations.map(\.kind) == [.schema, .data, .schema])
        #expect(found.migrations.allSatisfy { $0.down == .notApplicable })
        #expect(found.misnamedPaths == ["prisma/migrations/manual_fix/migration.sql", "prisma/migrations/stray.sql"])
        #expect(found.ignoredPaths == [
            "prisma/migrations/20240102120000_seed_roles/README.md", "prisma/migrations/20240103120000_add_posts/down.sql",
            "prisma/migrations/20240104120000_empty/notes.txt.orig", "prisma/migrations/migration_lock.toml",
        ])
        #expect(found.problemPaths == ["prisma/migrations/20240105120000_forgot/steps.json"])
    }
}

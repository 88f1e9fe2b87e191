import MigCore
import MigFormats
import Testing

@Suite struct GolangMigrateFormatTests {
    @Test func pairsUpAndDownFiles() throws {
        let tree = MemoryTree([
            "migrations/000001_create_users.up.sql": "CREATE TABLE users (id int);",
            "migrations/000001_create_users.down.sql": "DROP TABLE users;",
            "migrations/000002_backfill.up.sql": "UPDATE users SET id = id;",
            "migrations/000002_backfill.down.sql": "-- irreversible, intentionally empty\n",
            "migrations/000010_add.index.up.sql": "CREATE INDEX i ON users (id);",
            "migrations/000011_no_down.up.sql": "ALTER TABLE users ADD x int;",
        ])
        let found = try discover(.golangMigrate, tree, in: "migrations")
        #expect(found.paths == [
            "migrations/000001_create_users.up.sql", "migrations/000002_backfill.up.sql",
            "migrations/000010_add.index.up.sql", "migrations/000011_no_down.up.sql",
        ])
        let first = try #require(found.migrations.first)
        #expect(first.version == "000001")
        #expect(first.name == "create_users")
        #expect(first.format == .golangMigrate)
        guard case .separateFile(let down) = first.down else {
            Issue.record("expected a down file")
            return
        }
        #expect(down.path == RepoPath("migrations/000001_create_users.down.sql"))
        #expect(first.files.count == 2)
        #expect(found.migrations[1].kind == .data)
        #expect({ if case .empty(.file) = found.migrations[1].down { true } else { false } }())
        #expect(found.migrations[2].name == "add.index")
        #expect(found.migrations[3].down == .missing)
        #expect(found.problems.isEmpty)
    }

    @Test func lookAlikesSubfoldersAndOrphans() throws {
        var tree = MemoryTree([
            "m/1_ok.up.sql": "SELECT 1;",
            "m/2_no_direction.sql": "", "m/up.sql": "", "m/3_x.up.sql.orig": "",
            "m/nested/4_deep.up.sql": "", "m/nested/notes.yml": "",
            "m/5_orphan.down.sql": "DROP TABLE x;",
            "m/migrate.go": "package m",
            "m/6_with space.up.sql": "CREATE TABLE s (a int);",
        ])
        tree.add(RepoPath(bytes: Array("m/7_f".utf8) + [0xE9] + Array(".up.sql".utf8)), bytes: Array("CREATE TABLE f (a int);".utf8))
        let found = try discover(.golangMigrate, tree, in: "m")
        #expect(found.paths == ["m/1_ok.up.sql", "m/6_with space.up.sql", "m/7_f\\xE9.up.sql"])
        #expect(found.migrations[1].name == "with space")
        #expect(found.migrations[2].name == "f\\xE9")
        #expect(found.misnamedPaths == ["m/2_no_direction.sql", "m/3_x.up.sql.orig", "m/nested/4_deep.up.sql", "m/up.sql"])
        #expect(found.ignoredPaths == ["m/migrate.go", "m/nested/notes.yml"])
        #expect(found.problemPaths == ["m/5_orphan.down.sql"])
    }
}

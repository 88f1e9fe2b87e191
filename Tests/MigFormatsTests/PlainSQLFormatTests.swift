import MigCore
import MigFormats
import Testing

@Suite struct PlainSQLFormatTests {
    @Test func layoutSectionsAndFiles() throws {
        let tree = MemoryTree([
            "migrations/schema/20240101000000_create_orders.sql": "CREATE TABLE orders (id int);\n-- down\nDROP TABLE orders;\n",
            "migrations/data/20240102000000_seed_orders.sql": "INSERT INTO orders VALUES (1);\n",
            "migrations/20240103000000_add_index.up.sql": "CREATE INDEX i ON orders (id);",
            "migrations/20240103000000_add_index.down.sql": "DROP INDEX i;",
            "migrations/20240104000000_backfill.sql": "-- +goose Up\nUPDATE orders SET id = id;\n-- +goose Down\n",
            "migrations/20240105000000-dashed-name.sql": "DELETE FROM orders;\n-- DOWN\n-- nothing\n",
            "migrations/schema/20240106000000_fix_data_by_hand.sql": "UPDATE orders SET id = 1;",
            "migrations/seeds.sql": "INSERT INTO x VALUES (1);",
            "migrations/structure.sql": "",
        ])
        let found = try discover(.sql, tree, in: "migrations")
        #expect(found.migrations.map(\.name) == ["create_orders", "seed_orders", "add_index", "backfill", "dashed-name", "fix_data_by_hand"])
        #expect(found.migrations.map(\.kind) == [.schema, .data, .schema, .data, .data, .schema])
        #expect(found.migrations[0].down == .section(2...3))
        #expect(found.migrations[1].down == .missing)
        guard case .separateFile(let down) = found.migrations[2].down else {
            Issue.record("expected a down file")
            return
        }
        #expect(down.path == RepoPath("migrations/20240103000000_add_index.down.sql"))
        #expect(found.migrations[3].down == .empty(.lines(3...3)))
        #expect(found.migrations[4].down == .empty(.lines(2...3)))
        #expect(found.ignoredPaths == ["migrations/seeds.sql", "migrations/structure.sql"])
        #expect(found.problems.isEmpty && found.misnamed.isEmpty)
    }

    @Test func misnamedAndOrphans() throws {
        let tree = MemoryTree([
            "m/001_ok.sql": "CREATE TABLE a (b int);",
            "m/add_users.sql": "", "m/V1__flyway_style.sql": "", "m/001_ok.sql~": "",
            "m/002_gone.down.sql": "DROP TABLE a;",
            "m/nested deeper/003_spaced name.sql": "CREATE TABLE c (d int);",
        ])
        let found = try discover(.sql, tree, in: "m")
        #expect(found.paths == ["m/001_ok.sql", "m/nested deeper/003_spaced name.sql"])
        #expect(found.migrations[1].name == "spaced name")
        #expect(found.misnamedPaths == ["m/001_ok.sql~", "m/V1__flyway_style.sql", "m/add_users.sql"])
        #expect(found.problemPaths == ["m/002_gone.down.sql"])
    }
}

import MigCore
import MigFormats
import Testing

@Suite struct DbmateFormatTests {
    @Test func sectionsGiveKindAndDown() throws {
        let tree = MemoryTree([
            "db/migrations/20240101000000_create_users.sql": """
            -- migrate:up
            CREATE TABLE users (id int);

            -- migrate:down
            DROP TABLE users;


            """,
            "db/migrations/20240102000000_backfill.sql": """
            -- migrate:up transaction:false
            UPDATE users SET id = id;
            -- migrate:down
            -- nothing: the backfill stays

            """,
            "db/migrations/20240103000000_no_down.sql": "-- migrate:up\nALTER TABLE users ADD x int;\n",
            "db/migrations/20240104000000_quoted_marker.sql": "-- migrate:up\nSELECT '\n-- migrate:down\n';\n",
            "db/schema.sql": "CREATE TABLE users (id int);",
        ])
        let found = try discover(.dbmate, tree, in: "db/migrations")
        #expect(found.migrations.map(\.version) == ["20240101000000", "20240102000000", "20240103000000", "20240104000000"])
        #expect(found.migrations[0].name == "create_users")
        #expect(found.migrations[0].kind == .schema)
        #expect(found.migrations[0].down == .section(4...5))
        #expect(found.migrations[1].kind == .data)
        #expect(found.migrations[1].down == .empty(.lines(3...4)))
        #expect(found.migrations[2].down == .missing)
        // dbmate splits at marker lines even inside a string literal; so does migledger.
        #expect(found.migrations[3].down == .empty(.lines(3...3)))
    }

    @Test func problemsAndMisnamed() throws {
        var tree = MemoryTree([
            "m/20240101_ok.sql": "-- migrate:up\nSELECT 1;\n",
            "m/20240102_no_marker.sql": "CREATE TABLE x (a int);",
            "m/create_x.sql": "-- migrate:up\n",
            "m/sub/20240103_nested.sql": "-- migrate:up\n",
            "m/schema.sql": "",
        ])
        tree.add(RepoPath("m/20240104_latin.sql"), bytes: Array("-- migrate:up\n-- caf".utf8) + [0xE9])
        tree.add(RepoPath("m/20240105_link.sql"), bytes: Array("../elsewhere.sql".utf8), mode: .symlink)
        let found = try discover(.dbmate, tree, in: "m")
        #expect(found.paths == ["m/20240101_ok.sql"])
        #expect(found.problemPaths == ["m/20240102_no_marker.sql", "m/20240104_latin.sql", "m/20240105_link.sql"])
        #expect(found.problems[0].message.contains("-- migrate:up"))
        #expect(found.problems[1].message.contains("UTF-8"))
        #expect(found.problems[2].message.contains("symbolic link"))
        #expect(found.misnamedPaths == ["m/create_x.sql", "m/sub/20240103_nested.sql"])
        #expect(found.ignoredPaths == ["m/schema.sql"])
    }
}

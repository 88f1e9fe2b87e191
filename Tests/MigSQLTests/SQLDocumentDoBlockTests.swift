import MigSQL
import Testing

/// DDL inside `DO` blocks runs with the migration, so its statements are found and placed.
@Suite struct SQLDocumentDoBlockTests {
    private func range(of text: String, in sql: String) -> Range<Int> {
        let found = sql.ranges(of: text).first!
        let start = sql.utf8.distance(from: sql.startIndex, to: found.lowerBound)
        return start..<start + text.utf8.count
    }

    @Test func statementsOfTheBodyFollowTheBlockWithTheirPlaces() throws {
        let sql = """
        SET lock_timeout = '2s';
        DO $$
        DECLARE n int;
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'state') THEN
            CREATE TYPE state AS ENUM ('new', 'done');
          END IF;
          SELECT count(*) INTO n FROM users;
          ALTER TABLE users ADD COLUMN state state NOT NULL; ALTER TABLE users DROP COLUMN legacy;
          EXECUTE 'CREATE INDEX users_state ON users (state)';
          RAISE NOTICE 'done; %', n;
        EXCEPTION WHEN duplicate_object THEN
          DROP TYPE state;
        END
        $$;
        SELECT 1;
        """
        let document = SQLDocument.parse(Array(sql.utf8))
        try #require(document.statements.count == 9)
        #expect(document.statements.map { $0.tree?.type } == [
            "VariableSetStmt", "DoStmt", "CreateEnumStmt", "SelectStmt", "AlterTableStmt", "AlterTableStmt",
            "IndexStmt", "DropStmt", "SelectStmt",
        ])
        #expect(document.statements.map(\.origin) == [
            .file, .file, .doBlock(parent: 1), .doBlock(parent: 1), .doBlock(parent: 1), .doBlock(parent: 1),
            .doBlock(parent: 1), .doBlock(parent: 1), .file,
        ])
        let body = document.statements[2...7]
        #expect(body.map(\.range) == [
            range(of: "CREATE TYPE state AS ENUM ('new', 'done')", in: sql),
            range(of: "SELECT count(*) INTO n FROM users", in: sql),
            range(of: "ALTER TABLE users ADD COLUMN state state NOT NULL", in: sql),
            range(of: "ALTER TABLE users DROP COLUMN legacy", in: sql),
            range(of: "CREATE INDEX users_state ON users (state)", in: sql),
            range(of: "DROP TYPE state", in: sql),
        ])
        #expect(body.map { document.lineMap.location(of: $0.range.lowerBound).description } == [
            "6:5", "8:3", "9:3", "9:54", "10:12", "13:3",
        ])
        #expect(document.statements[3].text == "SELECT count(*) INTO n FROM users")
        let addColumn = try #require(document.statements[4].tree?["AlterTableStmt"])
        #expect(addColumn["relation"]?.location == range(of: "users ADD COLUMN", in: sql).lowerBound)
        let column = try #require(addColumn["cmds"]?[0]?["AlterTableCmd"]?["def"]?["ColumnDef"])
        #expect(column.location == range(of: "state state NOT NULL", in: sql).lowerBound)
        #expect(document.statements.allSatisfy { $0.error == nil })
    }

    @Test func readingStatementByStatementGivesTheSameStatements() {
        let sql = "SELECT 1;\nDO $$ BEGIN DROP TABLE a; DO $i$ BEGIN DROP TABLE b; END $i$; END $$;\nSELECT 2;\n\\set x\n"
        let whole = SQLDocument.parse(Array(sql.utf8))
        var handed: [SQLStatement] = []
        let streamed = SQLDocument.parse(Array(sql.utf8)) { handed.append($0) }
        #expect(streamed.statements.isEmpty)
        #expect(streamed.notes == whole.notes)
        #expect(handed.map(\.range) == whole.statements.map(\.range))
        #expect(handed.map(\.origin) == [.file, .file, .doBlock(parent: 1), .doBlock(parent: 1), .doBlock(parent: 3), .file])
        #expect(whole.statements.map(\.origin) == handed.map(\.origin))
    }

    @Test func aQuotedBodyMapsThroughItsDoubledQuotes() throws {
        let sql = "DO 'BEGIN\n  UPDATE t SET note = ''a;b'' WHERE id = 1;\n  ALTER TABLE t ADD COLUMN x int;\nEND';\n"
        let document = SQLDocument.parse(Array(sql.utf8))
        try #require(document.statements.count == 3)
        #expect(document.statements.map { $0.tree?.type } == ["DoStmt", "UpdateStmt", "AlterTableStmt"])
        #expect(document.statements[1].text == "UPDATE t SET note = ''a;b'' WHERE id = 1")
        let value = try #require(document.statements[1].tree?["UpdateStmt"]?["targetList"]?[0]?["ResTarget"]?["val"])
        #expect(value["A_Const"]?["sval"]?["sval"]?.string == "a;b")
        #expect(value.location == range(of: "''a;b''", in: sql).lowerBound)
        #expect(document.statements[2].range == range(of: "ALTER TABLE t ADD COLUMN x int", in: sql))
    }

    @Test func languageBeforeTheBodyAndOtherLanguages() throws {
        let sql = """
        DO LANGUAGE plpgsql $b$ BEGIN DROP TABLE a; END $b$;
        DO $py$ import os $py$ LANGUAGE plpython3u;
        """
        let document = SQLDocument.parse(Array(sql.utf8))
        try #require(document.statements.count == 3)
        #expect(document.statements.map { $0.tree?.type } == ["DoStmt", "DropStmt", "DoStmt"])
        #expect(document.statements[1].range == range(of: "DROP TABLE a", in: sql))
    }

    @Test func aBodyThatDoesNotCompileIsAnErrorOfTheBlock() throws {
        let sql = "SELECT 1;\nDO $$ BEGIN ALTER TABLE t ADD COLUM c int NOT NULL; END $$;\nSELECT 2;"
        let document = SQLDocument.parse(Array(sql.utf8))
        try #require(document.statements.count == 4)
        #expect(document.statements.map { $0.tree?.type } == ["SelectStmt", "DoStmt", nil, "SelectStmt"])
        let failed = document.statements[2]
        #expect(failed.origin == .doBlock(parent: 1))
        #expect(failed.text == " BEGIN ALTER TABLE t ADD COLUM c int NOT NULL; END ")
        let error = try #require(failed.error)
        #expect(error.message == #"syntax error at or near "int""#)
        #expect(error.operation == "parsing PL/pgSQL")
        #expect(error.location == SourceLocation(offset: 15, line: 2, column: 6))
    }

    @Test func backslashesAndContinuedConstants() throws {
        // Backslashes are plain characters in a standard string, as in the body itself.
        let sql = "DO $$ BEGIN UPDATE t SET a = '\\'; END $$;\nDO 'BEGIN DROP TABLE a; '\n'END';"
        let document = SQLDocument.parse(Array(sql.utf8))
        try #require(document.statements.count == 4)
        #expect(document.statements.map { $0.tree?.type } == ["DoStmt", "UpdateStmt", "DoStmt", "DropStmt"])
        #expect(document.statements[1].text == "UPDATE t SET a = '\\'")
        // A constant continued on the next line is one string to PostgreSQL; its statements are
        // placed at the literal.
        #expect(document.statements[3].range == range(of: "'BEGIN DROP", in: sql).lowerBound..<range(of: "'BEGIN DROP", in: sql).lowerBound)
    }

    @Test func nestedBlocks() throws {
        let sql = "DO $outer$\nBEGIN\n  DO $inner$ BEGIN CREATE INDEX i ON t (a); END $inner$;\nEND\n$outer$;"
        let document = SQLDocument.parse(Array(sql.utf8))
        try #require(document.statements.count == 3)
        #expect(document.statements.map { $0.tree?.type } == ["DoStmt", "DoStmt", "IndexStmt"])
        #expect(document.statements.map(\.origin) == [.file, .doBlock(parent: 0), .doBlock(parent: 1)])
        #expect(document.statements[2].range == range(of: "CREATE INDEX i ON t (a)", in: sql))
        #expect(document.statements[2].tree?["IndexStmt"]?["relation"]?.location == range(of: "t (a)", in: sql).lowerBound)
    }

    @Test func anEscapeStringBodyIsLintedAtTheLiteral() throws {
        let document = SQLDocument.parse(Array("DO E'BEGIN\\n  DROP TABLE t;\\nEND';".utf8))
        try #require(document.statements.count == 2)
        #expect(document.statements.map { $0.tree?.type } == ["DoStmt", "DropStmt"])
        #expect(document.statements[1].range == 3..<3)
    }
}

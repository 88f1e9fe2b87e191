import MigCore
import MigFormats
import Testing

@Suite struct SQLScanTests {
    @Test func statementsSkipStringsCommentsAndDollarQuotes() {
        let sql = """
        -- a comment; with a semicolon
        CREATE TABLE "a;b" (x text DEFAULT 'it''s; fine');
        /* block /* nested; */ still; */
        CREATE FUNCTION f() RETURNS void AS $body$ BEGIN; UPDATE t SET x = 1; END $body$ LANGUAGE plpgsql;
        SELECT $1, E'\\'; quoted';
        """
        let scan = SQLScan(sql)
        #expect(scan.statements.map(\.keyword) == ["CREATE", "CREATE", "SELECT"])
        #expect(scan.statements.map(\.startLine) == [2, 4, 5])
        #expect(scan.comments.map(\.line) == [1, 3])
        #expect(scan.comments[1].text == " block /* nested; */ still; ")
        #expect(!scan.hasBacktickIdentifiers)
    }

    @Test(arguments: [
        ("INSERT INTO t VALUES (1); UPDATE t SET a = 2;", MigrationKind.data),
        ("BEGIN; DELETE FROM t; COMMIT;", .data),
        ("WITH x AS (SELECT 1) UPDATE t SET a = 1;", .data),
        ("COPY t FROM stdin;", .data),
        ("ALTER TABLE t ADD c int; UPDATE t SET c = 1;", .schema),
        ("CREATE INDEX i ON t (a);", .schema),
        ("-- only a comment", .schema),
        ("SELECT 1;", .schema),
    ])
    func kinds(sql: String, kind: MigrationKind) {
        #expect(SQLScan(sql).kind() == kind)
    }

    @Test func backticksAndLineCount() {
        let scan = SQLScan("CREATE TABLE `users` (id int);\n")
        #expect(scan.hasBacktickIdentifiers)
        #expect(scan.lineCount == 1)
        #expect(SQLScan("a\nb").lineCount == 2)
    }
}

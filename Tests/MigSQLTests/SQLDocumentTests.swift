import MigSQL
import Testing

/// Splitting, error isolation and positions of `SQLDocument.parse` on what real migrations hold.
@Suite struct SQLDocumentTests {
    private func parse(_ text: String, placeholders: [(String, String)] = []) -> SQLDocument {
        SQLDocument.parse(Array(text.utf8), placeholders: placeholders)
    }

    private func types(_ document: SQLDocument) -> [String?] {
        document.statements.map { $0.tree?.type }
    }

    private func place(_ document: SQLDocument, _ offset: Int) -> String {
        document.lineMap.location(of: offset).description
    }

    @Test func statementsWithExactRanges() {
        let sql = "CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b text; DROP TABLE c ;\n\nSELECT 1"
        let document = parse(sql)
        #expect(document.statements.map(\.text) == [
            "CREATE TABLE a (id int)", "ALTER TABLE a ADD COLUMN b text", "DROP TABLE c", "SELECT 1",
        ])
        #expect(document.statements.map(\.range) == [0..<23, 25..<56, 58..<70, 74..<82])
        #expect(types(document) == ["CreateStmt", "AlterTableStmt", "DropStmt", "SelectStmt"])
        #expect(document.statements.allSatisfy { $0.error == nil && $0.origin == .file })
        #expect(document.notes.isEmpty)
    }

    @Test func emptyAndTriviaOnlyFiles() {
        for text in ["", " \n\t\r\n", "-- nothing; here\n/* or; here */", ";;\n;", "\u{FEFF}"] {
            let document = parse(text)
            #expect(document.statements.isEmpty, "\(text)")
            #expect(document.notes.isEmpty)
        }
    }

    @Test func semicolonsInCommentsStringsAndIdentifiersDoNotSplit() {
        let sql = """
        -- first; still a comment
        /* block; /* nested; */ still; */ CREATE TABLE "odd;name" (note text DEFAULT 'a;b', x text DEFAULT E'it\\'s;');
        SELECT 1 -- trailing; comment
        ;
        """
        let document = parse(sql)
        #expect(types(document) == ["CreateStmt", "SelectStmt"])
        #expect(document.statements[0].text.hasPrefix("CREATE TABLE \"odd;name\""))
        #expect(document.statements[0].text.hasSuffix("E'it\\'s;')"))
        #expect(document.statements[1].text == "SELECT 1")
        #expect(place(document, document.statements[1].range.lowerBound) == "3:1")
    }

    @Test func dollarQuotedFunctionBodiesStayWhole() {
        let sql = """
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
          NEW.updated_at := now(); RETURN NEW;
        END;
        $body$;
        CREATE FUNCTION one() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT $q$;$q$ AS semicolon, a$b;
        """
        let document = parse(sql)
        #expect(types(document) == ["CreateFunctionStmt", "CreateFunctionStmt", "SelectStmt"])
        #expect(document.statements[0].text.hasSuffix("END;\n$body$"))
        #expect(document.statements[2].text == "SELECT $q$;$q$ AS semicolon, a$b")
    }

    @Test func beginAtomicBodiesAndRuleActionsStayWhole() {
        let sql = """
        CREATE OR REPLACE FUNCTION total(a int) RETURNS int LANGUAGE sql
        BEGIN ATOMIC
          SELECT CASE WHEN a > 0 THEN a ELSE 0 END;
          SELECT 2;
        END;
        CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));
        SELECT 3;
        """
        let document = parse(sql)
        #expect(types(document) == ["CreateFunctionStmt", "RuleStmt", "SelectStmt"])
        #expect(document.statements.allSatisfy { $0.error == nil })
        #expect(document.statements[0].text.hasSuffix("SELECT 2;\nEND"))
    }

    @Test func wherePsqlAndTheGrammarDisagreeEveryStatementIsKept() {
        // psql takes `begin` for the start of an ATOMIC body and sends both statements at once;
        // the server runs both.
        let sql = "CREATE FUNCTION f() RETURNS begin LANGUAGE sql AS 'SELECT NULL'; CREATE TABLE t (a int);\n"
        let document = parse(sql)
        #expect(types(document) == ["CreateFunctionStmt", "CreateStmt"])
        #expect(document.statements.map(\.text) == [
            "CREATE FUNCTION f() RETURNS begin LANGUAGE sql AS 'SELECT NULL'", "CREATE TABLE t (a int)",
        ])
    }

    @Test func transactionBlocks() {
        let sql = "BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;\nSTART TRANSACTION; END;"
        let document = parse(sql)
        #expect(types(document) == ["TransactionStmt", "IndexStmt", "TransactionStmt", "TransactionStmt", "TransactionStmt"])
        #expect(document.statements.map { $0.tree?["TransactionStmt"]?["kind"]?.string } == [
            "TRANS_STMT_BEGIN", nil, "TRANS_STMT_COMMIT", "TRANS_STMT_START", "TRANS_STMT_COMMIT",
        ])
    }

    @Test func aSyntaxErrorStaysInItsStatement() throws {
        let sql = """
        CREATE TABLE a (id int);
        ALTER TABLE a ADD COLUM b int NOT NULL;
        CREATE INDEX CONCURRENTLY i ON a (id);
        """
        let document = parse(sql)
        #expect(document.statements.count == 3)
        #expect(types(document) == ["CreateStmt", nil, "IndexStmt"])
        let error = try #require(document.statements[1].error)
        #expect(error.message == #"syntax error at or near "int""#)
        #expect(error.operation == "parsing")
        #expect(error.location == SourceLocation(offset: 51, line: 2, column: 27))
        #expect(error.cursorPosition == 27)
        #expect(document.statements[1].text == "ALTER TABLE a ADD COLUM b int NOT NULL")
        #expect(document.statements[1].tree == nil)
    }

    @Test func errorPositionsCountCharactersButPlaceBytes() throws {
        let document = parse("SELECT 'é';\nSELECT 'ü' 'x' FROM;")
        let error = try #require(document.statements[1].error)
        #expect(error.cursorPosition == 12)
        #expect(error.location == SourceLocation(offset: 25, line: 2, column: 12))
    }

    @Test func anUnterminatedStringRunsToTheEndAsOnTheServer() throws {
        let document = parse("SELECT 1;\nSELECT 'open;\nDROP TABLE t;")
        #expect(document.statements.count == 2)
        #expect(document.statements[1].text == "SELECT 'open;\nDROP TABLE t;")
        #expect(document.statements[1].error?.message.hasPrefix("unterminated quoted string") == true)
    }

    @Test func copyDataIsSkipped() throws {
        let sql = """
        COPY users (id, name) FROM stdin;
        1\tO'Brien; DROP TABLE x;
        2\t"quoted\\.
        \\.
        ALTER TABLE users ADD COLUMN age int;
        COPY t FROM STDIN WITH (FORMAT csv);
        \\.
        COPY t TO stdout;
        SELECT 1;
        """
        let document = parse(sql)
        #expect(types(document) == ["CopyStmt", "AlterTableStmt", "CopyStmt", "CopyStmt", "SelectStmt"])
        #expect(document.statements.map { document.lineMap.location(of: $0.range.lowerBound).line } == [1, 5, 6, 8, 9])
        #expect(document.notes.map(\.kind) == [.copyData, .copyData])
        let data = document.notes[0]
        #expect(String(decoding: document.bytes[data.range], as: UTF8.self) == "1\tO'Brien; DROP TABLE x;\n2\t\"quoted\\.\n\\.")
        #expect(data.message == "COPY data skipped (3 lines): it is not SQL")
        #expect(document.notes[1].message == "COPY data skipped (1 line): it is not SQL")
    }

    @Test func copyDataWithCRLFAndWithoutTerminator() {
        let document = parse("COPY t FROM stdin;\r\na\r\n\\.\r\nSELECT 1;\r\nCOPY t FROM stdin;\nno end")
        #expect(types(document) == ["CopyStmt", "SelectStmt", "CopyStmt"])
        #expect(document.notes.map(\.range) == [20..<25, 57..<63])
    }

    @Test func psqlMetaCommandsAreSkippedWithANote() {
        let sql = """
        \\set ON_ERROR_STOP on
        \\i other.sql
        SELECT count(*) AS n FROM t \\gset
        SELECT id
        \\echo between
        FROM t;
        \\copy t FROM stdin
        x
        \\.
        """
        let document = parse(sql)
        #expect(types(document) == ["SelectStmt", "SelectStmt"])
        // psql leaves a meta-command out of the statement around it; the text keeps it.
        #expect(document.statements.map(\.text) == ["SELECT count(*) AS n FROM t", "SELECT id\n\\echo between\nFROM t"])
        #expect(document.notes.map(\.kind) == [.psqlMetaCommand, .psqlMetaCommand, .psqlMetaCommand, .psqlMetaCommand,
                                               .psqlMetaCommand, .copyData])
        #expect(document.notes[0].message == #"psql meta-command skipped, only psql runs it: \set ON_ERROR_STOP on"#)
        #expect(document.notes.map { document.lineMap.location(of: $0.range.lowerBound).line } == [1, 2, 3, 5, 7, 8])
    }

    @Test func crlfLineEndings() {
        let document = parse("CREATE TABLE a (id int);\r\nSELECT 1;\r\n\r\nSELECT\r\n  2;\r\n")
        #expect(document.statements.map(\.text) == ["CREATE TABLE a (id int)", "SELECT 1", "SELECT\r\n  2"])
        #expect(document.statements.map(\.range) == [0..<23, 26..<34, 39..<50])
        #expect(document.statements.map { place(document, $0.range.lowerBound) } == ["1:1", "2:1", "4:1"])
        #expect(document.statements.allSatisfy { $0.error == nil })
    }

    @Test func byteOrderMarkIsSkippedButOffsetsStayOriginal() throws {
        let document = parse("\u{FEFF}CREATE TABLE a (id int);\nSELECT x FROM;")
        #expect(document.statements.map(\.range) == [3..<26, 28..<41])
        #expect(place(document, 0) == "1:1")
        #expect(document.statements[0].text == "CREATE TABLE a (id int)")
        #expect(place(document, 3) == "1:1")
        #expect(document.statements[0].tree?["CreateStmt"]?["relation"]?.location == 16)
        let error = try #require(document.statements[1].error)
        #expect(error.location == SourceLocation(offset: 41, line: 2, column: 14))
    }

    @Test func bytesThatAreNotUTF8() throws {
        let bytes = Array("SELECT 1;\n-- caf".utf8) + [0xE9] + Array("\nINSERT INTO t VALUES ('".utf8) + [0xC3, 0x28]
            + Array("');\nSELECT ".utf8) + [0] + Array(";\nSELECT 2;".utf8)
        let document = SQLDocument.parse(bytes)
        #expect(document.statements.count == 4)
        #expect(types(document) == ["SelectStmt", nil, nil, "SelectStmt"])
        let latin1 = try #require(document.statements[1].error)
        #expect(latin1.message == #"invalid byte sequence for encoding "UTF8": 0xc3 0x28"#)
        #expect(latin1.location == SourceLocation(offset: 41, line: 3, column: 24))
        #expect(document.statements[2].error?.message == #"invalid byte sequence for encoding "UTF8": 0x00"#)
        // PostgreSQL quotes as many bytes as the first one claims, valid or not.
        #expect(document.notes.map(\.kind) == [.invalidEncoding])
        #expect(document.notes[0].range == 16..<17)
        #expect(document.notes[0].message == #"invalid byte sequence for encoding "UTF8" outside any statement: 0xe9 0x0a 0x49"#)
    }

    @Test func manyStatementsOnOneLine() {
        let document = parse("SELECT 1; SELECT 2;SELECT 3 ;  ; SELECT 4")
        #expect(document.statements.map(\.range) == [0..<8, 10..<18, 19..<27, 33..<41])
    }

    @Test(arguments: [
        "CREATE TABLE t (a int", "SELECT $$never closed", "SELECT \"open", "/* open comment", "SELECT E'\\",
        "COPY t FROM stdin;", "\\", "DO $$ BEGIN", "DO 'x'", "DO", "DO LANGUAGE", "DO $$ BEGIN PERFORM 1; END $$ LANGUAGE",
    ])
    func truncatedInputNeverTraps(sql: String) {
        let document = parse(sql)
        #expect(document.statements.count <= 2)
    }
}

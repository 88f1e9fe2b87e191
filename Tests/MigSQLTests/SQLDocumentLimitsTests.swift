import MigSQL
import Testing

/// Input that is large, deep or random: never a trap, and time and memory in proportion.
@Suite struct SQLDocumentLimitsTests {
    @Test func chainsTooDeepForLibpgQueryAreRefusedNotCrashedOn() throws {
        // 100,000 terms kill the process inside libpg_query 15 (pganalyze/pg_query#339).
        let deep = "SELECT " + Array(repeating: "1", count: 100_000).joined(separator: "+")
        let sql = "CREATE TABLE a (id int);\n\(deep);\nDO $$ BEGIN PERFORM \(deep); END $$;\nSELECT 2;"
        let document = SQLDocument.parse(Array(sql.utf8))
        #expect(document.statements.map { $0.tree?.type } == ["CreateStmt", nil, "DoStmt", nil, "SelectStmt"])
        let error = try #require(document.statements[1].error)
        #expect(error.message.hasPrefix("stack depth limit exceeded: the statement nests about 99999 levels deep"))
        #expect(error.location == SourceLocation(offset: 25, line: 2, column: 1))
        #expect(document.statements[3].origin == .doBlock(parent: 2))
        #expect(document.statements[3].error?.message.hasPrefix("stack depth limit exceeded") == true)
        for chain in ["1::int", "1 COLLATE \"C\"", "now() AT TIME ZONE 'UTC'", "SELECT 1 UNION ALL SELECT 1"] {
            let long = "SELECT " + Array(repeating: chain, count: 11_000).joined(separator: " || ")
            #expect(SQLDocument.parse(Array(long.utf8)).statements.first?.error != nil, "\(chain)")
        }
    }

    @Test func longFlatListsAreNotDeep() {
        let rows = (0..<30_000).map { "(\($0), -\($0), '{}'::jsonb, now() - interval '1 day')" }.joined(separator: ", ")
        let conditions = (0..<20_000).map { "id = \($0)" }.joined(separator: " OR ")
        let cases = (0..<15_000).map { "WHEN \($0) THEN 'x' || \($0)" }.joined(separator: " ")
        let sql = """
        INSERT INTO t (a, b, c, d) VALUES \(rows);
        DELETE FROM t WHERE \(conditions);
        UPDATE t SET a = CASE id \(cases) END;
        """
        let document = SQLDocument.parse(Array(sql.utf8))
        #expect(document.statements.map { $0.tree?.type } == ["InsertStmt", "DeleteStmt", "UpdateStmt"])
    }

    /// The full 50 MB runs in release builds and in the benchmark (Benchmarks/sql/run.sh);
    /// debug builds take a tenth, to stay within seconds.
    @Test func aLargeFileIsReadWhole() throws {
        #if DEBUG
        let target = 5_000_000
        #else
        let target = 50_000_000
        #endif
        let templates = [
            "CREATE TABLE IF NOT EXISTS t_#(id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());",
            "ALTER TABLE t_# ADD COLUMN note_# varchar(255);",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_#_name ON t_# (name);",
            "UPDATE t_# SET name = 'x;#' WHERE id BETWEEN # AND # + 1000;",
            "INSERT INTO t_# (id, name) VALUES (#, 'n'), (# + 1, 'm') ON CONFLICT DO NOTHING;",
            "-- a comment; with a semicolon\nALTER TABLE t_# ADD CONSTRAINT fk_# FOREIGN KEY (id) REFERENCES p (id) NOT VALID;",
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN ALTER TABLE t_# DROP COLUMN old_#; END IF; END $$;",
            "COPY t_# (id, name) FROM stdin;\n1\tone; two\n2\t\\N\n\\.",
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(target + 200)
        var count = 0
        while bytes.count < target {
            let text = templates[count % templates.count].replacing("#", with: String(count))
            bytes += Array(text.utf8) + [UInt8(ascii: "\n")]
            count += 1
        }
        // Read statement by statement, as a file this size should be: its trees would take
        // some 25 times its size.
        var fromFile = 0, fromBlocks = 0, errors = 0, last: SQLStatement?
        var document: SQLDocument?
        do {
            document = SQLDocument.parse(bytes) { statement in
                if statement.origin == .file { fromFile += 1 } else { fromBlocks += 1 }
                if statement.error != nil { errors += 1 }
                last = statement
            }
        }
        let parsed = try #require(document)
        #expect(parsed.statements.isEmpty)
        #expect(fromFile == count)
        #expect(fromBlocks == (count + 1) / templates.count)
        #expect(errors == 0)
        #expect(parsed.notes.count == count / templates.count)
        #expect(last.map { String(decoding: bytes[$0.range], as: UTF8.self) } == last?.text)
    }

    /// libpg_query keeps its state per thread, so documents can be read on several at once.
    @Test func documentsReadConcurrentlyAgree() async {
        let sql = (0..<300).map { index in
            index % 3 == 0 ? "DO $$ BEGIN ALTER TABLE t\(index) ADD COLUMN c int; END $$;"
                : index % 3 == 1 ? "CREATE INDEX CONCURRENTLY i\(index) ON t (a);" : "SELECT 1 +;"
        }.joined(separator: "\n")
        let bytes = Array(sql.utf8)
        let expected = SQLDocument.parse(bytes).statements.map { "\($0.range) \($0.tree?.type ?? $0.error?.message ?? "")" }
        #expect(expected.count == 400)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    SQLDocument.parse(bytes).statements.map { "\($0.range) \($0.tree?.type ?? $0.error?.message ?? "")" }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0 == expected })
    }

    /// Pieces that open or close every construct the splitter and the placeholders know.
    private static let pieces: [[UInt8]] = [
        "'", "\"", "$$", "$a$", "E'\\", "--", "/*", "*/", "\n", "\r\n", " ", "(", ")", ";", "\\", "\\.", "\\g",
        "\\set x", "select", "create function f() begin atomic", "end", "case", "copy t from stdin;", "do", "do $$",
        "begin", "{{", "}}", "{{ .X }}", "${", "}", "${x}", "@p@", "+", "::", ",", "é", "1",
        "DO $$ BEGIN EXECUTE 'x'; END $$;", "DO 'BEGIN ALTER TABLE t ADD c int; END';", "language",
    ].map { Array($0.utf8) } + [[0], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF]]

    private struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func randomTextNeverTrapsAndKeepsItsInvariants() {
        var generator = Generator(state: 11)
        for _ in 0..<400 {
            let bytes = (0..<generator.next(40)).flatMap { _ in Self.pieces[generator.next(Self.pieces.count)] }
            let document = SQLDocument.parse(bytes, placeholders: [("@p@", "public"), ("${x}", "")])
            var previousEnd = 0
            for (index, statement) in document.statements.enumerated() {
                #expect(statement.range.lowerBound >= 0 && statement.range.upperBound <= bytes.count)
                #expect((statement.tree == nil) != (statement.error == nil))
                switch statement.origin {
                case .file:
                    #expect(statement.range.lowerBound >= previousEnd, "\(bytes)")
                    previousEnd = statement.range.upperBound
                case .doBlock(let parent):
                    #expect(parent < index)
                    #expect(document.statements[parent].tree?.type == "DoStmt")
                }
            }
            #expect(document.notes.map(\.range.lowerBound) == document.notes.map(\.range.lowerBound).sorted())
        }
    }
}

import MigSQL
import Testing

@Suite struct ScannerTests {
    private func scanned(_ text: String) throws -> [(SQLToken.Kind, String)] {
        let bytes = Array(text.utf8)
        return try PostgresScanner.scan(bytes).map { ($0.kind, String(decoding: bytes[$0.range], as: UTF8.self)) }
    }

    @Test func realMigration() throws {
        let sql = """
        -- Add status; backfill later
        CREATE TABLE "Users" (id bigint PRIMARY KEY, note text DEFAULT E'it\\'s; fine');
        /* a /* nested; */ comment */
        CREATE FUNCTION touch() RETURNS trigger AS $body$
        BEGIN NEW.updated_at := now(); RETURN NEW; END;
        $body$ LANGUAGE plpgsql;
        SELECT $1::int >= 2, x'1F', status FROM users;
        """
        let tokens = try scanned(sql)
        #expect(tokens.filter { $0.0 == .lineComment }.map(\.1) == ["-- Add status; backfill later"])
        #expect(tokens.filter { $0.0 == .blockComment }.map(\.1) == ["/* a /* nested; */ comment */"])
        #expect(tokens.filter { $0.0 == .string }.map(\.1) == [
            "E'it\\'s; fine'", "$body$\nBEGIN NEW.updated_at := now(); RETURN NEW; END;\n$body$", "x'1F'",
        ])
        #expect(tokens.filter { $0.0 == .quotedIdentifier }.map(\.1) == ["\"Users\""])
        #expect(tokens.filter { $0.0 == .identifier }.map(\.1) == ["id", "note", "touch", "plpgsql", "status", "users"])
        #expect(tokens.filter { $0.0 == .parameter }.map(\.1) == ["$1"])
        #expect(tokens.filter { $0.0 == .operator }.map(\.1) == ["::", ">="])
        #expect(tokens.filter { $0.0 == .punctuation && $0.1 == ";" }.count == 3)
        #expect(tokens.first.map { $0.0 == .lineComment } == true)
    }

    @Test func keywordKindsAndRawTokens() throws {
        let tokens = try PostgresScanner.scan("select status, text from t")
        #expect(tokens.map(\.keywordKind) == [.reserved, .none, .none, .unreserved, .reserved, .none])
        #expect(tokens.map(\.kind) == [.keyword, .identifier, .punctuation, .keyword, .keyword, .identifier])
        #expect(tokens[0].rawToken == 625)
        #expect(tokens.map(\.range) == [0..<6, 7..<13, 13..<14, 15..<19, 20..<24, 25..<26])
        #expect(tokens.allSatisfy { !$0.isComment })
    }

    @Test func commentsAreMarked() throws {
        let tokens = try PostgresScanner.scan("-- a\nSELECT /* b */ 1 -- c")
        #expect(tokens.map(\.isComment) == [true, false, true, false, true])
        #expect(tokens.map(\.range) == [0..<4, 5..<11, 12..<19, 20..<21, 22..<26])
    }

    @Test func emptyAndBlankInput() throws {
        #expect(try PostgresScanner.scan("").isEmpty)
        #expect(try PostgresScanner.scan(" \n\t\r\n").isEmpty)
    }

    @Test func rangesAreUTF8Bytes() throws {
        let tokens = try PostgresScanner.scan("SELECT 'é', \"ü\"")
        #expect(tokens.map(\.range) == [0..<6, 7..<11, 11..<12, 13..<17])
    }

    @Test(arguments: [
        ("SELECT 'unterminated", "unterminated quoted string", 1, 8),
        ("SELECT 1;\nSELECT \"abc", "unterminated quoted identifier", 2, 8),
        ("SELECT 1 /* never closed", "unterminated /* comment", 1, 10),
        ("CREATE FUNCTION f() AS $$ body", "unterminated dollar-quoted string", 1, 24),
        ("SELECT 1e", "trailing junk after numeric literal", 1, 8),
    ])
    func errorsCarryLibraryMessageAndPlace(sql: String, message: String, line: Int, column: Int) {
        #expect {
            _ = try PostgresScanner.scan(sql)
        } throws: { error in
            guard let error = error as? SQLError else { return false }
            return error.message.hasPrefix(message) && error.operation == "scanning"
                && error.location?.line == line && error.location?.column == column
                && error.description.contains("line \(line), column \(column)")
        }
    }

    @Test func errorCursorCountsCharactersNotBytes() throws {
        let error = #expect(throws: SQLError.self) { try PostgresScanner.scan("SELECT 'é', 'ü' 'open") }
        #expect(error?.cursorPosition == 17)
        #expect(error?.location == SourceLocation(offset: 18, line: 1, column: 17))
    }

    @Test func invalidUTF8IsScannedAsBytes() throws {
        let bytes: [UInt8] = Array("SELECT ".utf8) + [0xFF, 0xFE] + Array(" FROM \"".utf8) + [0xC3] + Array("\" -- \u{E9}".utf8) + [0xE9]
        let tokens = try PostgresScanner.scan(bytes)
        #expect(tokens.map(\.kind) == [.keyword, .identifier, .keyword, .quotedIdentifier, .lineComment])
        #expect(tokens.map(\.range) == [0..<6, 7..<9, 10..<14, 15..<18, 19..<bytes.count])
    }

    @Test func escapeThatMakesInvalidUTF8IsAnError() {
        let error = #expect(throws: SQLError.self) { try PostgresScanner.scan("SELECT E'\\xff'") }
        #expect(error?.message.contains("invalid byte sequence") == true)
        #expect(error?.cursorPosition == nil)
    }

    @Test func nulByteIsAnErrorNotATruncation() {
        let bytes = Array("SELECT 1;\n".utf8) + [0] + Array("DROP TABLE users;".utf8)
        let error = #expect(throws: SQLError.self) { try PostgresScanner.scan(bytes) }
        #expect(error?.message == #"invalid byte sequence for encoding "UTF8": 0x00"#)
        #expect(error?.location == SourceLocation(offset: 10, line: 2, column: 1))
    }

    @Test func templatedSQLScans() throws {
        let tokens = try scanned("CREATE TABLE {{ index .Options \"Namespace\" }}.users ();")
        #expect(tokens.filter { $0.0 == .other }.map(\.1) == ["{", "{", "}", "}"])
    }

    @Test func longAndInvalidIdentifiersDoNotTrap() throws {
        let long = Array("SELECT ".utf8) + [UInt8](repeating: 0xFF, count: 300) + [0xF0, 0x9F]
        #expect(try PostgresScanner.scan(long).count == 2)
        let mixed = Array("SELECT ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 100) + [0xF0] + Array(" x".utf8)
        #expect(try PostgresScanner.scan(mixed).count == 3)
    }

    @Test func scanningOnManyThreadsAtOnce() async throws {
        let sql = "SELECT a, 'b' FROM c WHERE d = $1; -- e\n"
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { try (0..<50).reduce(0) { total, _ in try total + PostgresScanner.scan(sql).count } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 50 * 12, count: 16))
    }
}

@Suite struct LineMapTests {
    @Test func linesAndColumns() {
        let map = LineMap(Array("ab\nçd\r\n\u{1F600}x".utf8))
        #expect(map.location(of: 0) == SourceLocation(offset: 0, line: 1, column: 1))
        #expect(map.location(of: 2) == SourceLocation(offset: 2, line: 1, column: 3))
        #expect(map.location(of: 3) == SourceLocation(offset: 3, line: 2, column: 1))
        #expect(map.location(of: 5) == SourceLocation(offset: 5, line: 2, column: 2))
        #expect(map.location(of: 6) == SourceLocation(offset: 6, line: 2, column: 3))
        #expect(map.location(of: 12) == SourceLocation(offset: 12, line: 3, column: 2))
        #expect(map.location(of: 99) == SourceLocation(offset: 13, line: 3, column: 3))
    }

    @Test func offsetInsideACharacterReportsThatCharacter() {
        let map = LineMap(Array("x\u{1F600}y".utf8))
        #expect(map.location(of: 3) == SourceLocation(offset: 1, line: 1, column: 2))
        #expect(map.location(of: 5) == SourceLocation(offset: 5, line: 1, column: 3))
    }

    @Test func invalidBytesCountAsOneColumnEach() {
        let map = LineMap([0xFF, 0xFE, UInt8(ascii: "a"), 0xC3, UInt8(ascii: "b")])
        #expect(map.location(of: 2).column == 3)
        #expect(map.location(of: 4).column == 5)
    }

    @Test func loneCarriageReturnDoesNotStartALine() {
        #expect(LineMap(Array("a\rb".utf8)).location(of: 2) == SourceLocation(offset: 2, line: 1, column: 3))
    }

    @Test func emptyFile() {
        #expect(LineMap([]).location(of: 0) == SourceLocation(offset: 0, line: 1, column: 1))
    }
}

import MigSQL
import Testing

@Suite struct MySQLScriptTests {
    /// The statements' texts, as the script cuts them.
    func statements(_ text: String) -> [String] {
        statements(Array(text.utf8))
    }

    func statements(_ bytes: [UInt8]) -> [String] {
        MySQLScript(bytes, range: 0..<bytes.count).statements.map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    @Test func quotesHideDelimitersWhateverTheirEscapes() {
        let sql = #"""
            INSERT INTO t VALUES ('it''s; ok', 'a\'; b', "say \"hi\"; ""twice""");
            SELECT `odd``name;`, 'back\\' FROM t;
            """#
        #expect(statements(sql) == [
            #"INSERT INTO t VALUES ('it''s; ok', 'a\'; b', "say \"hi\"; ""twice""")"#,
            #"SELECT `odd``name;`, 'back\\' FROM t"#,
        ])
    }

    @Test func commentsHideDelimitersAndDashesNeedASpace() {
        let sql = """
            -- DROP TABLE users; not run
            # DROP TABLE orders; neither
            /* a; b */ SELECT 1 --1;
            SELECT 2 -- trailing; comment
            ;SELECT 3 /* no ; split */ + 4;
            """
        #expect(statements(sql) == ["SELECT 1 --1", "SELECT 2", "SELECT 3 /* no ; split */ + 4"])
        let tokens = MySQLScript(Array(sql.utf8), range: 0..<sql.utf8.count).statements[0].tokens
        #expect(tokens.map(\.kind) == [.word, .number, .operator, .operator, .number])
    }

    @Test func versionedCommentsAreCode() throws {
        let sql = "/*!40101 SET NAMES utf8mb4 */;\nALTER TABLE t ADD INDEX i (a) /*!80000 , ALGORITHM=INPLACE */;\n/*+ hint; */ SELECT 1;"
        let script = MySQLScript(Array(sql.utf8), range: 0..<sql.utf8.count)
        #expect(statements(sql) == ["SET NAMES utf8mb4", "ALTER TABLE t ADD INDEX i (a) /*!80000 , ALGORITHM=INPLACE", "SELECT 1"])
        let alter = script.statements[1]
        #expect(alter.option("ALGORITHM", in: 0..<alter.tokens.count) == "inplace")
    }

    @Test func delimiterLinesKeepATriggerBodyWhole() {
        let sql = """
            DELIMITER $$
            CREATE TRIGGER touch BEFORE UPDATE ON t FOR EACH ROW
            BEGIN
              SET NEW.updated_at = NOW();
              SET NEW.version = NEW.version + 1;
            END$$
            delimiter ;
            SELECT 1; SELECT 2;
            """
        let script = MySQLScript(Array(sql.utf8), range: 0..<sql.utf8.count)
        #expect(script.statements.count == 3)
        #expect(statements(sql).first?.hasSuffix("NEW.version + 1;\nEND") == true)
        #expect(statements(sql).dropFirst() == ["SELECT 1", "SELECT 2"])
        #expect(script.delimiterCommands.count == 2)
    }

    @Test func delimiterIsACommandOnlyAtTheStartOfAStatementLine() {
        #expect(statements("SELECT 1\nDELIMITER //\n;") == ["SELECT 1\nDELIMITER //"])
        #expect(statements("SELECT 'x\nDELIMITER //';\nSELECT 2;") == ["SELECT 'x\nDELIMITER //'", "SELECT 2"])
        #expect(statements("DELIMITER //\nSELECT 1; SELECT 2//\nDELIMITER\nSELECT 3//") == ["SELECT 1; SELECT 2", "SELECT 3"])
        #expect(statements("DELIMITER //\r\nSELECT 1; SELECT 2//\r\n  delimiter ;\r\nSELECT 3;") == ["SELECT 1; SELECT 2", "SELECT 3"])
    }

    @Test func offsetsAreThoseOfTheWholeSourceWithCRLFAndInvalidBytes() throws {
        let prefix = Array("-- migrate:up\r\n".utf8)
        let body: [UInt8] = Array("INSERT INTO t VALUES ('".utf8) + [0xFF, 0xC3] + Array("');\r\nDROP TABLE `".utf8)
            + [0xE9] + Array("`;\r\n".utf8)
        let source = prefix + body
        let script = MySQLScript(source, range: prefix.count..<source.count)
        #expect(script.statements.count == 2)
        let drop = try #require(script.statements.last)
        #expect(drop.range.lowerBound == prefix.count + 30)
        #expect(drop.isKeyword(0, "DROP") && drop.isKeyword(1, "TABLE"))
        #expect(drop.tokens[2].kind == .quotedIdentifier)
        #expect(drop.name(at: 2) == "\u{FFFD}")
    }

    @Test func namesUnquoteAndQualify() throws {
        let sql = "RENAME TABLE `shop`.`Odd``Name` TO shop.orders"
        let statement = try #require(MySQLScript(Array(sql.utf8), range: 0..<sql.utf8.count).statements.first)
        let first = try #require(statement.qualifiedName(at: 2))
        #expect(first.name == "odd`name" && statement.isKeyword(first.next, "TO"))
        #expect(statement.qualifiedName(at: first.next + 1)?.name == "orders")
        #expect(statement.commaSeparated(0..<statement.tokens.count).count == 1)
    }

    @Test func unterminatedTextRunsToTheEnd() {
        #expect(statements("SELECT 'open; DROP TABLE t;") == ["SELECT 'open; DROP TABLE t;"])
        #expect(statements("SELECT 1 /* open; DROP TABLE t;") == ["SELECT 1"])
    }

    /// Any bytes read to the end: statements in order, inside the range, never empty.
    @Test func arbitraryBytesNeverStopTheReading() {
        let alphabet = Array("ab1 ;'\"`\\/*!-#\n\r$()DELIMITER".utf8) + [0xFF, 0xC3, 0x00]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(seed % 200) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            let start = min(3, bytes.count)
            let script = MySQLScript(bytes, range: start..<bytes.count)
            var previousEnd = start
            for statement in script.statements {
                #expect(statement.range.lowerBound >= previousEnd && statement.range.upperBound <= bytes.count)
                #expect(!statement.range.isEmpty && !statement.tokens.isEmpty)
                previousEnd = statement.range.upperBound
            }
        }
    }
}

import Foundation
import MigCore
@testable import MigledgerKit
import MigPolicy
import TestSupport
import Testing

/// `migledger lint` on SQL that real migrations contain: each case ends with a statement that
/// does not parse, whose finding must land on its own line, so the tricky part before it is
/// shown to be read right (no finding of its own, positions unshifted).
@Suite struct LintTests {
    func lint(_ bytes: [UInt8], name: String = "20240105093000_change.sql") throws -> [Finding] {
        let folder = try TemporaryDirectory()
        let file = try folder.write(name, bytes: bytes)
        return try LintService.run(paths: [file.path], dialect: .postgres, policyPath: nil)
    }

    func lint(_ text: String, name: String = "20240105093000_change.sql") throws -> [Finding] {
        try lint(Array(text.utf8), name: name)
    }

    func syntaxErrorLines(_ findings: [Finding]) -> [Int?] {
        findings.filter { $0.rule == "sql-syntax-error" }.map(\.line)
    }

    @Test func dollarQuotedFunctionBodies() throws {
        let sql = """
            CREATE FUNCTION f() RETURNS int AS $body$
              SELECT 1; -- a ; inside
            $body$ LANGUAGE sql;
            CREATE FUNCTION g() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;
            ALTER TABLE;

            """
        #expect(syntaxErrorLines(try lint(sql)) == [5])
    }

    @Test func doBlocksDoNotHideWhatFollows() throws {
        let sql = """
            DO $$
            BEGIN
              EXECUTE 'ALTER TABLE users ADD COLUMN note text';
              ALTER TABLE users ADD COLUMN flag boolean; -- a ; in a comment
            END
            $$;
            ALTER TABLE;

            """
        let findings = try lint(sql)
        #expect(syntaxErrorLines(findings) == [7], "\(findings)")
    }

    @Test func ddlInsideDoBlocksIsLinted() throws {
        let sql = "DO $$\nBEGIN\n  CREATE INDEX idx_users_email ON users (email);\nEND\n$$;\n"
        let findings = try lint(sql).filter { $0.rule == "require-concurrent-index-creation" }
        #expect(findings.map(\.line) == [3], "\(findings)")
    }

    @Test func exceptionsAcceptAFindingUntilTheyExpire() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("db/20240105093000_index.sql", "CREATE INDEX idx_users_email ON users (email);\n")
        func policy(_ expires: String) throws -> String {
            try folder.write("p-\(expires).yml", """
                version: 1
                exceptions:
                  - rule: require-concurrent-index-creation
                    path: db/20240105093000_index.sql
                    reason: users holds 40 rows
                    expires: \(expires)
                """).path
        }
        let today = try #require(CalendarDate("2025-06-01"))
        let accepted = try LintService.run(paths: [file.path], dialect: nil, policyPath: try policy("2025-12-31"), today: today)
        #expect(!accepted.contains { $0.rule == "require-concurrent-index-creation" })
        let expired = try LintService.run(paths: [file.path], dialect: nil, policyPath: try policy("2025-01-01"), today: today)
        #expect(expired.contains { $0.rule == "require-concurrent-index-creation" })
    }

    @Test func commentsWithSemicolonsAndSeveralStatementsPerLine() throws {
        let sql = "-- drop; everything; here\n/* ; nested /* ; */ ; */ SELECT 1; SELECT 2; ALTER TABLE;\nSELECT 3;\n"
        let findings = try lint(sql)
        #expect(findings.filter { $0.rule == "sql-syntax-error" }.map { [$0.line, $0.column] } == [[2, 57]], "\(findings)")
    }

    @Test func copyFromStdinDataIsSkipped() throws {
        let sql = "COPY users (id, name) FROM stdin;\n1\tDROP TABLE users; -- not SQL\n2\tx\n\\.\nALTER TABLE;\n"
        #expect(syntaxErrorLines(try lint(sql)) == [5])
    }

    @Test func transactionBlocks() throws {
        let sql = "BEGIN;\nALTER TABLE users ADD COLUMN email text;\nCOMMIT;\nBEGIN;\nALTER TABLE;\nROLLBACK;\n"
        #expect(syntaxErrorLines(try lint(sql)) == [5])
    }

    @Test func crlfLineEndingsAndAByteOrderMark() throws {
        let sql = [0xEF, 0xBB, 0xBF] + Array("SELECT 1;\r\nALTER TABLE;\r\n".utf8)
        let findings = try lint(sql)
        #expect(findings.filter { $0.rule == "sql-syntax-error" }.map { [$0.line, $0.column] } == [[2, 12]], "\(findings)")
    }

    @Test func nonUTF8BytesAreAFindingNotACrash() throws {
        let sql = Array("SELECT 1;\nINSERT INTO t VALUES ('".utf8) + [0xFF, 0xFE] + Array("');\nSELECT 2;\n".utf8)
        let findings = try lint(sql)
        #expect(syntaxErrorLines(findings) == [2], "\(findings)")
    }

    @Test func anEmptyFileHasNoFindings() throws {
        for text in ["", "-- nothing yet\n"] {
            let findings = try lint(text)
            #expect(findings.map(\.rule) == ["missing-down-migration"], "\(findings)")
            #expect(findings.first?.severity == .warning)
        }
    }

    @Test func aFiftyMegabyteFile() throws {
        var sql = Array("CREATE TABLE t (a int, b text);\nCOPY t (a, b) FROM stdin;\n".utf8)
        let row = Array("12345\tsome text; -- not a comment\n".utf8)
        let rows = (50 << 20) / row.count
        sql.reserveCapacity(rows * row.count + 64)
        for _ in 0..<rows { sql += row }
        sql += Array("\\.\nALTER TABLE;\n".utf8)
        #expect(syntaxErrorLines(try lint(sql)) == [rows + 4])
    }

    @Test func frameworkFilesAreReadAsTheirFormat() throws {
        let ruby = "class AddX < ActiveRecord::Migration[7.1]\n  def up\n    # execute \"ALTER TABLE;\"\n    execute \"ALTER TABLE;\"\n  end\nend\n"
        let findings = try lint(ruby, name: "20240105093000_add_x.rb")
        #expect(findings.filter { $0.rule == "sql-syntax-error" }.map { [$0.line, $0.column] } == [[4, 25]], "\(findings)")
    }

    @Test func badInputIsAUsageError() throws {
        let folder = try TemporaryDirectory()
        #expect(throws: UserFacingError.self) { try LintService.run(paths: [folder.path + "/missing.sql"], dialect: nil, policyPath: nil) }
        #expect(throws: UserFacingError.self) { try LintService.run(paths: [], dialect: nil, policyPath: nil) }
        let binary = try folder.write("blob.sql", bytes: [0x53, 0x00, 0x01])
        #expect(throws: UserFacingError.self) { try LintService.run(paths: [binary.path], dialect: nil, policyPath: nil) }
        let policy = try folder.write("migledger.yml", "version: 1\nrules:\n  sql-syntax-eror: error\n")
        let file = try folder.write("a.sql", "SELECT 1;\n")
        #expect(throws: (any Error).self) { try LintService.run(paths: [file.path], dialect: nil, policyPath: policy.path) }
    }

    @Test func aDownFileBesideTheUpFileCounts() throws {
        let folder = try TemporaryDirectory()
        let up = try folder.write("db/20240105093000_add_email.up.sql", "ALTER TABLE users ADD COLUMN email text;\n")
        let policy = try folder.write("migledger.yml", "version: 1\n")
        func rules() throws -> [String] {
            try LintService.run(paths: [up.path], dialect: nil, policyPath: policy.path).map(\.rule)
        }
        #expect(try rules().contains("missing-down-migration"))
        try folder.write("db/20240105093000_add_email.down.sql", "ALTER TABLE users DROP COLUMN email;\n")
        #expect(try !rules().contains("missing-down-migration"))
    }

    @Test func folderArgumentsFindMigrationFiles() throws {
        let folder = try TemporaryDirectory()
        try folder.write("db/a.sql", "ALTER TABLE;\n")
        try folder.write("db/nested/b.sql", "ALTER TABLE;\n")
        try folder.write("db/README.md", "ALTER TABLE;\n")
        let findings = try LintService.run(paths: [folder.path + "/db"], dialect: nil, policyPath: nil)
        #expect(findings.filter { $0.rule == "sql-syntax-error" }.compactMap { $0.path?.description.components(separatedBy: "/db/").last }
                == ["a.sql", "nested/b.sql"])
    }

    @Test func policySeveritiesAndExceptionsApply() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("a.sql", "ALTER TABLE;\n")
        let off = try folder.write("off.yml", "version: 1\nrules:\n  sql-syntax-error: off\n")
        #expect(try LintService.run(paths: [file.path], dialect: nil, policyPath: off.path).filter { $0.rule == "sql-syntax-error" }.isEmpty)
        let warn = try folder.write("warn.yml", "version: 1\nrules:\n  sql-syntax-error: warning\n")
        #expect(try LintService.run(paths: [file.path], dialect: nil, policyPath: warn.path).filter { $0.rule == "sql-syntax-error" }
                .map(\.severity) == [.warning])
    }
}

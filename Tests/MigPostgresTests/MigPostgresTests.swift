import Foundation
import MigPostgres
import Testing

@Suite struct SchemaDumpTests {
    @Test func normalizingKeepsOnlyTheLinesThatDescribeObjects() {
        let dump = """
            --
            -- PostgreSQL database dump
            --
            \\restrict 1fPq8d2uAbC

            SET statement_timeout = 0;
            SELECT pg_catalog.set_config('search_path', '', false);

            CREATE TABLE public.users (
                id bigint NOT NULL
            );\r

            \\unrestrict 1fPq8d2uAbC
            """
        #expect(SchemaDump.normalize(dump) == ["CREATE TABLE public.users (", "    id bigint NOT NULL", ");"])
    }

    @Test func theDifferenceMarksLinesLeftBehindAndLinesMissing() {
        let before = SchemaDump(lines: ["CREATE TABLE public.users (", "    id bigint", ");"])
        let after = SchemaDump(lines: ["CREATE TABLE public.users (", "    id bigint,", "    email text", ");",
                                       "CREATE INDEX idx_users_email ON public.users USING btree (email);"])
        #expect(after.difference(from: before) == [
            "- " + "    id bigint", "+ " + "    id bigint,", "+ " + "    email text",
            "+ CREATE INDEX idx_users_email ON public.users USING btree (email);",
        ])
        #expect(after.difference(from: after).isEmpty)
        let long = SchemaDump(lines: (0..<50).map { "line \($0)" })
        let cut = long.difference(from: SchemaDump(lines: []), limit: 10)
        #expect(cut.count == 11 && cut.last == "… 40 more changed lines")
    }
}

@Suite struct ConnectionParametersTests {
    @Test func urlsAndKeywordStringsParseAndThePasswordStaysOutOfArguments() throws {
        let url = try ConnectionParameters(parsing: "postgresql://app:s3cr'et@db.internal:6543/shop?sslmode=disable")
        #expect(url.values["host"] == "db.internal" && url.values["port"] == "6543" && url.database == "shop")
        #expect(url.password == "s3cr'et")
        #expect(!url.conninfoWithoutPassword.contains("s3cr"))
        #expect(url.with(database: "other").conninfoWithoutPassword
            == "dbname='other' host='db.internal' port='6543' sslmode='disable' user='app'")
        #expect(url.summary == "db.internal:6543/shop")
        let keywords = try ConnectionParameters(parsing: "host=/tmp dbname='a b'")
        #expect(keywords.database == "a b")
        #expect(throws: PostgresError.self) { try ConnectionParameters(parsing: "postgresql://[bad") }
    }
}

@Suite(.serialized) struct EphemeralPostgresTests {
    @Test func aTemporaryServerAnswersOnItsSocketAndLeavesNothingBehind() throws {
        let server = try EphemeralPostgres.start()
        let folder = server.directory.path
        #expect(FileManager.default.fileExists(atPath: folder + "/.s.PGSQL.5432"))
        let connection = try PostgresConnection(server.parameters)
        #expect(try connection.query("SELECT 1 + 1, NULL") == [["2", nil]])
        do {
            try connection.execute("CREATE TABLE t (id int);\nCREATE TABLE u (id nosuchtype);")
            Issue.record("expected the server to refuse the type")
        } catch {
            #expect(error.kind == .statement && error.sqlState == "42704")
            #expect(error.message == "type \"nosuchtype\" does not exist" && error.position == 45)
        }
        // The first statement ran in the same implicit transaction, so it is gone too.
        #expect(try connection.query("SELECT count(*) FROM pg_class WHERE relname = 't'") == [["0"]])
        server.stop()
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(throws: PostgresError.self) { try PostgresConnection(server.parameters) }
    }
}

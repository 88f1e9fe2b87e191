import MigSQL
import Testing

/// What rules navigate: libpg_query's trees through `PGNode`.
@Suite struct PGNodeTests {
    private func tree(_ sql: String) throws -> PGNode {
        let document = SQLDocument.parse(Array(sql.utf8))
        try #require(document.statements.count == 1)
        return try #require(document.statements[0].tree)
    }

    @Test func concurrentIndexCreation() throws {
        let concurrent = try tree("CREATE INDEX CONCURRENTLY idx_users_email ON users (email)")
        #expect(concurrent.type == "IndexStmt")
        #expect(concurrent["IndexStmt"]?["concurrent"]?.bool == true)
        #expect(concurrent["IndexStmt"]?["idxname"]?.string == "idx_users_email")
        // libpg_query leaves false out.
        #expect(try tree("CREATE INDEX i ON users (email)")["IndexStmt"]?["concurrent"] == nil)
    }

    @Test func addColumnNotNull() throws {
        let sql = "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT 'x'"
        let command = try #require(try tree(sql)["AlterTableStmt"]?["cmds"]?[0]?["AlterTableCmd"])
        #expect(command["subtype"]?.string == "AT_AddColumn")
        let column = try #require(command["def"]?["ColumnDef"])
        #expect(column["colname"]?.string == "email")
        #expect(column["typeName"]?["names"]?.elements.compactMap { $0["String"]?["sval"]?.string } == ["text"])
        #expect(column["constraints"]?.elements.map { $0["Constraint"]?["contype"]?.string } == [
            "CONSTR_NOTNULL", "CONSTR_DEFAULT",
        ])
        #expect(column.location == 29)
        #expect(column["constraints"]?[1]?.location == 49)
        #expect(column["typeName"]?["typemod"]?.int == -1)
        #expect(column["typeName"]?.location == 35)
    }

    @Test func kindsFieldsAndElements() throws {
        let root = try tree("CREATE TABLE t (a int, b text, c varchar(10))")
        #expect(root.kind == .object)
        let create = try #require(root["CreateStmt"])
        #expect(create.fields.map(\.key) == ["relation", "tableElts", "oncommit"])
        #expect(create["tableElts"]?.kind == .array)
        #expect(create["tableElts"]?.elements.count == 3)
        #expect(create["tableElts"]?[3] == nil)
        #expect(create["tableElts"]?[-1] == nil)
        #expect(create.descendants("ColumnDef").compactMap { $0["colname"]?.string } == ["a", "b", "c"])
        #expect(create.descendants("A_Const").compactMap { $0["ival"]?["ival"]?.int } == [10])
        #expect(create["relation"]?["inh"]?.kind == .bool)
        #expect(create["relation"]?["relname"]?.kind == .string)
        #expect(create["relation"]?["location"]?.kind == .number)
        #expect(create["relation"]?.type == nil)
        #expect(create["relation"]?["relname"]?.int == nil)
        #expect(create["relation"]?["relname"]?["x"] == nil)
        #expect(create["relation"]?.description == #"{"relname":"t","inh":true,"relpersistence":"p","location":13}"#)
    }

    @Test func escapedStrings() throws {
        let comment = "say \"hi\"\n\tand \\ ünï 😀 \u{1}"
        let sql = "COMMENT ON TABLE t IS E'say \"hi\"\\n\\tand \\\\ ünï 😀 \\x01'"
        let node = try tree(sql)
        #expect(node["CommentStmt"]?["comment"]?.string == comment)
    }

    @Test func deepTreesAreReadWithoutRecursion() throws {
        let sql = "SELECT " + Array(repeating: "1", count: 9_000).joined(separator: " + ")
        let root = try tree(sql)
        #expect(root.descendants("A_Expr").count == 8_999)
    }
}

import MigSQL
import Testing

/// Templated SQL (DESIGN §1) parses, and everything found in it keeps the original file's place.
@Suite struct SQLPlaceholderTests {
    private let known = [("${schema}", "public"), (#"{{ index .Options "Namespace" }}"#, "auth")]

    @Test func knownPlaceholdersAreReplacedAndPlacesStayOriginal() throws {
        let sql = """
        CREATE TABLE ${schema}.users (id int);
        CREATE INDEX CONCURRENTLY idx ON {{ index .Options "Namespace" }}.users (id);
        """
        let document = SQLDocument.parse(Array(sql.utf8), placeholders: known)
        #expect(document.statements.map(\.text) == [
            "CREATE TABLE ${schema}.users (id int)",
            #"CREATE INDEX CONCURRENTLY idx ON {{ index .Options "Namespace" }}.users (id)"#,
        ])
        let create = try #require(document.statements[0].tree?["CreateStmt"])
        #expect(create["relation"]?["schemaname"]?.string == "public")
        #expect(create["relation"]?.location == 13)
        #expect(create.descendants("ColumnDef").map(\.location) == [30])
        let index = try #require(document.statements[1].tree?["IndexStmt"])
        #expect(index["relation"]?["schemaname"]?.string == "auth")
        #expect(index["relation"]?.location == 72)
        #expect(document.lineMap.location(of: 72).description == "2:34")
    }

    @Test func unknownPlaceholdersReadAsIdentifiers() {
        let sql = """
        ALTER TABLE {{ .Table }} ADD COLUMN x int;
        CREATE INDEX idx_${table}_email ON ${flyway:defaultSchema}.t (email);
        """
        let document = SQLDocument.parse(Array(sql.utf8))
        #expect(document.statements.allSatisfy { $0.error == nil })
        #expect(document.statements[0].tree?["AlterTableStmt"]?["relation"]?["relname"]?.string == "_table")
        #expect(document.statements[1].tree?["IndexStmt"]?["idxname"]?.string == "idx__table_email")
        #expect(document.statements[1].tree?["IndexStmt"]?["relation"]?["schemaname"]?.string == "_defaultschema")
    }

    @Test func templateActionsWithoutOutputAreBlanks() {
        let sql = "{{ if .Concurrent }}CREATE INDEX CONCURRENTLY i ON t (a);{{ else }}CREATE INDEX i ON t (a);{{- end }}\n{{/* note */}}"
        let document = SQLDocument.parse(Array(sql.utf8))
        #expect(document.statements.map { $0.tree?.type } == ["IndexStmt", "IndexStmt"])
        #expect(document.statements.map(\.range) == [20..<56, 67..<90])
    }

    @Test func errorsAfterAPlaceholderPointAtTheOriginal() throws {
        let document = SQLDocument.parse(Array("ALTER TABLE ${schema}.t ADD COLUM c int;".utf8), placeholders: known)
        let error = try #require(document.statements[0].error)
        #expect(error.location == SourceLocation(offset: 36, line: 1, column: 37))
        #expect(error.cursorPosition == 34)
    }

    @Test func aRangeEndingInAPlaceholderCoversIt() {
        let document = SQLDocument.parse(Array("DROP TABLE ${name};\nDROP TABLE ${schema}".utf8), placeholders: known)
        #expect(document.statements.map(\.text) == ["DROP TABLE ${name}", "DROP TABLE ${schema}"])
        #expect(document.statements.map { $0.tree?["DropStmt"]?["objects"]?[0]?["List"]?["items"]?[0]?["String"]?["sval"]?.string } == [
            "_name", "public",
        ])
    }

    @Test func longerPlaceholdersWinAndEmptyReplacementsWork() {
        let placeholders = [("${s}", "short"), ("${s}_x", "long"), ("/*drop*/", "")]
        let document = SQLDocument.parse(Array("SELECT ${s}_x, ${s} /*drop*/FROM t".utf8), placeholders: placeholders)
        let targets = document.statements[0].tree?["SelectStmt"]?["targetList"]?.elements ?? []
        #expect(targets.map { $0["ResTarget"]?["val"]?["ColumnRef"]?["fields"]?[0]?["String"]?["sval"]?.string } == [
            "long", "short",
        ])
        #expect(targets.map(\.location) == [7, 15])
        #expect(document.statements[0].tree?["SelectStmt"]?["fromClause"]?[0]?.location == 33)
    }
}

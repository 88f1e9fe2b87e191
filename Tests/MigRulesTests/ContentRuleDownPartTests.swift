import MigCore
import MigFormats
import MigRules
import Testing

/// What `MigrationReader` knows of the down part when a file is read alone, and when the caller
/// passes the migration's.
@Suite struct ContentRuleDownPartTests {
    func down(_ source: String, path: String, format: MigrationFormatKind, passed: DownPart? = nil) -> DownPart? {
        MigrationReader.read(path: RepoPath(path), bytes: Array(source.utf8), format: format, dialect: .postgres,
                             down: passed).down
    }

    @Test func singleFileFormatsAreReadFromTheFile() {
        #expect(down("class A < ActiveRecord::Migration[7.1]\n  def change\n    add_column :a, :b, :text\n  end\nend\n",
                     path: "db/migrate/20240105093000_a.rb", format: .rails) == .reversibleChange(2...4))
        #expect(down("revision = \"abc\"\n\ndef upgrade():\n    pass\n", path: "alembic/versions/abc_a.py",
                     format: .alembic) == .missing)
        #expect(down("-- migrate:up\nSELECT 1;\n-- migrate:down\n", path: "db/migrations/20240105093000_a.sql",
                     format: .dbmate) == .empty(.lines(3...3)))
        #expect(down("SELECT 1;\n-- down\nSELECT 2;\n", path: "db/migrations/20240105093000_a.sql", format: .sql)
            == .section(2...3))
        #expect(down("CREATE TABLE a (id int);\n", path: "prisma/migrations/20240105093000_a/migration.sql",
                     format: .prisma) == .notApplicable)
    }

    @Test func aSiblingFileIsUnknownUnlessPassed() {
        #expect(down("SELECT 1;\n", path: "db/migrations/20240105093000_a.up.sql", format: .golangMigrate) == nil)
        #expect(down("SELECT 1;\n", path: "db/migrations/V1__a.sql", format: .flyway) == nil)
        #expect(down("SELECT 1;\n", path: "db/migrations/20240105093000_a.sql", format: .sql) == nil)
        #expect(down("SELECT 1;\n", path: "db/migrations/R__views.sql", format: .flyway) == .notApplicable)
        #expect(down("SELECT 1;\n", path: "db/migrations/20240105093000_a.up.sql", format: .golangMigrate,
                     passed: .missing) == .missing)
    }
}

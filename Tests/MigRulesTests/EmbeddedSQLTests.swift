import Foundation
import MigCore
import MigRules
import Testing

/// SQL found in framework code: its text, direction, and the file line its statements start on.
@Suite struct EmbeddedSQLTests {
    struct Found: Equatable, CustomStringConvertible {
        let direction: SQLPart.Direction
        let sql: String
        let line: Int
        let column: Int
        let parses: Bool

        var description: String { "\(direction) \(line):\(column) \(sql)\(parses ? "" : " (error)")" }
    }

    func statements(_ source: String, format: MigrationFormatKind, path: String) -> [Found] {
        let text = MigrationReader.read(path: RepoPath(path), bytes: Array(source.utf8), format: format, dialect: .postgres)
        return text.parts.flatMap { part in
            part.statements.map { statement in
                let place = part.location(ofOffset: statement.statement.range.lowerBound)
                return Found(direction: part.direction, sql: statement.statement.text.trimmingCharacters(in: .whitespacesAndNewlines),
                             line: place.line, column: place.column, parses: statement.statement.error == nil)
            }
        }
    }

    func rails(_ source: String) -> [Found] {
        statements(source, format: .rails, path: "db/migrate/20240105093000_change.rb")
    }

    @Test func railsHeredocsStartOnTheLineAfterTheirOpener() {
        let found = rails("""
            class AddStatus < ActiveRecord::Migration[7.1]
              def up
                execute <<~SQL
                  ALTER TABLE users ADD COLUMN status text;
                  UPDATE users SET status = 'active';
                SQL
                execute(<<-'SQL')
                  CREATE INDEX CONCURRENTLY users_status_idx ON users (status);
                SQL
              end
            end
            """)
        #expect(found == [
            Found(direction: .up, sql: "ALTER TABLE users ADD COLUMN status text", line: 4, column: 7, parses: true),
            Found(direction: .up, sql: "UPDATE users SET status = 'active'", line: 5, column: 7, parses: true),
            Found(direction: .up, sql: "CREATE INDEX CONCURRENTLY users_status_idx ON users (status)", line: 8, column: 7, parses: true),
        ], "\(found)")
    }

    @Test func railsPercentLiteralsAndEscapedQuotesKeepColumns() {
        let found = rails("""
            class AddStatus < ActiveRecord::Migration[7.1]
              def up
                execute %q{ALTER TABLE users ADD COLUMN status text}
                execute "ALTER TABLE \\"Users\\" ADD COLUMN mood text"
              end
            end
            """)
        #expect(found.map(\.line) == [3, 4], "\(found)")
        #expect(found.map(\.column) == [16, 14], "\(found)")
        #expect(found.allSatisfy { $0.parses }, "\(found)")
        #expect(found.last?.sql.contains("\"Users\"") == true, "\(found)")
    }

    @Test func railsReversibleBlocksGiveBothDirections() {
        let found = rails("""
            class AddCheck < ActiveRecord::Migration[7.1]
              def change
                reversible do |dir|
                  dir.up { execute "ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0)" }
                  dir.down do
                    execute "ALTER TABLE users DROP CONSTRAINT age_positive"
                  end
                end
              end
            end
            """)
        #expect(found.map(\.direction) == [.up, .down], "\(found)")
        #expect(found.map(\.line) == [4, 6], "\(found)")
    }

    @Test func railsInterpolatedStringsAreLeftOut() {
        let found = rails("""
            class Backfill < ActiveRecord::Migration[7.1]
              def up
                execute "UPDATE users SET plan = '#{Plan.default}'"
                execute 'SELECT 1 -- #{not interpolated in single quotes}'
              end
            end
            """)
        #expect(found.map(\.line) == [4], "\(found)")
    }

    @Test func alembicTextCallsAndBindsParse() {
        let found = statements("""
            revision = "abc123"


            def upgrade():
                op.execute(sa.text("UPDATE users SET plan = :plan WHERE plan IS NULL AND created_at < now()::date"))
                conn = op.get_bind()
                conn.execute(text(
                    "DELETE FROM sessions WHERE user_id = :id"
                ))


            def downgrade():
                op.execute("UPDATE users SET plan = NULL")
            """, format: .alembic, path: "alembic/versions/abc123_backfill.py")
        #expect(found.map(\.direction) == [.up, .up, .down], "\(found)")
        #expect(found.map(\.line) == [5, 8, 13], "\(found)")
        #expect(found.first?.column == 25, "\(found)")
        #expect(found.allSatisfy { $0.parses }, "\(found)")
    }

    @Test func djangoRunSQLListsAndParameterPairs() {
        let found = statements("""
            from django.db import migrations


            class Migration(migrations.Migration):
                operations = [
                    migrations.RunSQL(
                        sql=[
                            "ALTER TABLE shop_order ADD COLUMN note text",
                            ("UPDATE shop_order SET note = %s WHERE id = %(id)s", ["n/a", 1]),
                        ],
                        reverse_sql=["ALTER TABLE shop_order DROP COLUMN note"],
                    ),
                    RunSQL("CREATE INDEX shop_order_note_idx ON shop_order (note)", migrations.RunSQL.noop),
                ]
            """, format: .django, path: "shop/migrations/0002_note.py")
        #expect(found.map(\.direction) == [.up, .up, .up, .down], "\(found)")
        #expect(found.map(\.line) == [8, 9, 13, 11], "\(found)")
        #expect(found[1].column == 19, "\(found)")
        #expect(found.allSatisfy { $0.parses }, "\(found)")
    }
}

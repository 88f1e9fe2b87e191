import MigFormats

/// A rollback that exists but does nothing: an empty down section or file, `def down; end`,
/// `def downgrade(): pass`.
struct EmptyDownMigration: ContentRule {
    static let description = ContentRuleDescription(
        id: "empty-down-migration",
        summary: "A migration's down part exists but does nothing.",
        rationale: """
            An empty down part is worse than none: rolling back succeeds, the tool records the \
            migration as undone, and the schema keeps its changes, so the next deploy runs the \
            up part again on a database that already has them and fails, or the code rolled back \
            to finds columns it does not expect. Write the statements that undo the up part; when \
            it cannot be undone, make the down raise, or keep it empty and say why with a comment \
            `-- irreversible: <reason>` (`# irreversible: <reason>` in Ruby and Python). A \
            separate down file is reported on the forward file. Django's `RunPython.noop` and \
            `RunSQL.noop` are an explicit \"nothing to undo\" and are not reported.
            """,
        triggering: [
            ContentExample("""
                -- migrate:up
                ALTER TABLE users ADD COLUMN plan text;

                -- migrate:down

                """, path: "db/migrations/20240105093000_add_plan.sql", format: .dbmate, expectedLine: 4),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.add_column("users", sa.Column("plan", sa.String()))


                def downgrade():
                    pass
                """, path: "alembic/versions/abc123_add_plan.py", format: .alembic, expectedLine: 9),
            ContentExample("ALTER TABLE users ADD COLUMN plan text;\n",
                           path: "db/migrations/20240105093000_add_plan.up.sql", format: .golangMigrate,
                           downFile: .present("-- nothing yet\n"), expectedLine: 1),
            ContentExample("""
                class AddPlanToUsers < ActiveRecord::Migration[7.1]
                  def up
                    add_column :users, :plan, :string
                  end

                  def down
                  end
                end
                """, path: "db/migrate/20240105093000_add_plan_to_users.rb", format: .rails, expectedLine: 6),
        ],
        nonTriggering: [
            ContentExample("""
                -- migrate:up
                ALTER TABLE users ADD COLUMN plan text;

                -- migrate:down
                ALTER TABLE users DROP COLUMN plan;
                """, path: "db/migrations/20240105093000_add_plan.sql", format: .dbmate),
            ContentExample("""
                -- migrate:up
                UPDATE users SET plan = 'free' WHERE plan IS NULL;

                -- migrate:down
                -- irreversible: the old NULLs are indistinguishable from real free plans
                """, path: "db/migrations/20240105093000_backfill_plan.sql", format: .dbmate),
            ContentExample("""
                from django.db import migrations


                class Migration(migrations.Migration):
                    operations = [
                        migrations.RunPython(backfill_plan, migrations.RunPython.noop),
                    ]
                """, path: "accounts/migrations/0003_backfill_plan.py", format: .django),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard case .empty(let location)? = text.down, text.format != .django, !text.declaresIrreversible else { return [] }
        switch location {
        case .lines(let lines):
            let column = EmptyDownMigration.indentation(ofLine: lines.lowerBound, in: text.bytes) + 1
            return [RuleHit(message: "The down part does nothing: a rollback would record the migration as undone while its changes stay.",
                            help: "Write the statements that undo the up part, or say why it cannot be undone (`irreversible: <reason>` comment, or a down that raises).",
                            line: lines.lowerBound, column: column)]
        case .file(let file):
            guard file.path != text.path else { return [] }
            return [RuleHit(message: "The down file `\(file.path)` holds no statement: a rollback would record the migration as undone while its changes stay.",
                            help: "Write the statements that undo this migration in `\(file.path.fileName)`, or `-- irreversible: <reason>` there when it cannot be undone.",
                            line: 1, column: 1)]
        }
    }

    /// Blanks before the first character of a 1-based line: the marker or `def` the hit points at.
    private static func indentation(ofLine line: Int, in bytes: [UInt8]) -> Int {
        var start = 0
        var current = 1
        while current < line, let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            start = newline + 1
            current += 1
        }
        return bytes[start...].prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
    }
}

import MigFormats

/// A migration without a rollback, as its format's discovery finds it. A file read alone cannot
/// see a sibling `.down.sql` or Flyway `U` file: there the rule stays silent unless the caller,
/// knowing the whole set, passes the migration's down part.
struct MissingDownMigration: ContentRule {
    static let description = ContentRuleDescription(
        id: "missing-down-migration",
        summary: "A migration has no down (rollback) part.",
        rationale: """
            Without a down part, rolling a bad release back means writing the reverse SQL by hand \
            during the incident; Rails silently does nothing for a `def up` without `def down` \
            (and still marks the version as rolled back), Alembic fails without `downgrade()`, \
            and Django refuses to go back past a `RunSQL` without `reverse_sql`. Write the down \
            part (`.down.sql`, Flyway's `U` file, a `-- migrate:down` or `-- down` section, \
            `def down`, `downgrade()`, `reverse_sql`); when the change cannot be undone, say so \
            with a down that raises, so the rollback stops loudly. Forward-only teams turn the \
            rule off (as do Flyway users without Flyway Teams, which alone runs `U` files); Prisma and Flyway repeatables have no rollbacks by design, and `RunPython` \
            without `reverse_code` is `django-run-python-without-reverse-code`'s.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN plan text;\n",
                           path: "db/migrations/20240105093000_add_plan.up.sql", format: .golangMigrate,
                           downFile: .absent, expectedLine: 1),
            ContentExample("""
                -- migrate:up
                ALTER TABLE users ADD COLUMN plan text;
                """, path: "db/migrations/20240105093000_add_plan.sql", format: .dbmate, expectedLine: 1),
            ContentExample("""
                class AddPlanToUsers < ActiveRecord::Migration[7.1]
                  def up
                    add_column :users, :plan, :string
                  end
                end
                """, path: "db/migrate/20240105093000_add_plan_to_users.rb", format: .rails, expectedLine: 2),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.add_column("users", sa.Column("plan", sa.String()))
                """, path: "alembic/versions/abc123_add_plan.py", format: .alembic, expectedLine: 5),
            ContentExample("""
                from django.db import migrations


                class Migration(migrations.Migration):
                    operations = [
                        migrations.RunSQL("ALTER TABLE shop_order ADD COLUMN note text"),
                    ]
                """, path: "shop/migrations/0002_add_note.py", format: .django, expectedLine: 6),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ADD COLUMN plan text;\n",
                           path: "db/migrations/20240105093000_add_plan.up.sql", format: .golangMigrate,
                           downFile: .present("ALTER TABLE users DROP COLUMN plan;\n")),
            ContentExample("ALTER TABLE users ADD COLUMN plan text;\n",
                           path: "db/migrations/20240105093000_add_plan.up.sql", format: .golangMigrate),
            ContentExample("""
                class AddPlanToUsers < ActiveRecord::Migration[7.1]
                  def change
                    add_column :users, :plan, :string
                  end
                end
                """, path: "db/migrate/20240105093000_add_plan_to_users.rb", format: .rails),
            ContentExample("""
                from django.db import migrations


                class Migration(migrations.Migration):
                    operations = [
                        migrations.RunSQL("ALTER TABLE shop_order ADD COLUMN note text", "ALTER TABLE shop_order DROP COLUMN note"),
                    ]
                """, path: "shop/migrations/0002_add_note.py", format: .django),
            ContentExample("CREATE TABLE audit (id bigint);\n", path: "prisma/migrations/20240105093000_audit/migration.sql",
                           format: .prisma),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard case .missing? = text.down else { return [] }
        switch (text.code, text.format) {
        case (.python(let python), .django):
            return python.calls(in: 0..<python.tokens.count).compactMap { call in
                guard call.isDjango("RunSQL") else { return nil }
                let reverse = call.argument("reverse_sql", position: 1)
                guard reverse == nil || reverse == .noneLiteral else { return nil }
                return text.hit(call, in: python,
                                message: "`RunSQL` has no `reverse_sql`: migrating back past this migration raises `IrreversibleError`.",
                                help: "Pass `reverse_sql=` SQL that undoes it, or `migrations.RunSQL.noop` when nothing needs undoing.")
            }
        case (.python(let python), _):
            let line = python.function(named: "upgrade")?.lines.lowerBound ?? 1
            return [RuleHit(message: "The revision has no `downgrade()`: `alembic downgrade` fails on it.",
                            help: "Write a `downgrade()` that undoes `upgrade()`, or one that raises with the reason when it cannot be undone.",
                            line: line, column: 1)]
        case (.ruby(let ruby), _):
            guard let up = ruby.method(named: "up") else {
                return [RuleHit(message: "The migration has neither `def change` nor `def up` with `def down`: Rails has nothing to roll back.",
                                help: "Write the migration as `def change`, or as `def up` with a `def down` that undoes it.",
                                line: 1, column: 1)]
            }
            let column = ruby.tokens[..<up.body.lowerBound].last { $0.text == "def" }
                .map { text.lineMap.location(of: $0.range.lowerBound).column } ?? 1
            return [RuleHit(message: "The migration has `def up` but no `def down`: `db:rollback` does nothing and still marks it as rolled back.",
                            help: "Add a `def down` that undoes `def up` (or write it as `def change`); raise `ActiveRecord::IrreversibleMigration` there when it cannot be undone.",
                            line: up.lines.lowerBound, column: column)]
        case (_, let format):
            let help = switch format {
            case .flyway: "Add an undo script `U<version>__<description>.sql` beside it."
            case .dbmate: "Add a `-- migrate:down` section with the statements that undo the up section."
            case .sql: "Add a `.down.sql` file beside it, or a `-- down` section, with the statements that undo it."
            default: "Add a `.down.sql` file beside it with the statements that undo it."
            }
            return [RuleHit(message: "The migration has no down part: rolling it back means writing the reverse SQL by hand.",
                            help: help, line: 1, column: 1)]
        }
    }
}

import MigCore
import MigFormats

public struct VagueMigrationName: Rule {
    public static let description = RuleDescription(
        id: "vague-migration-name",
        summary: "A migration's name says nothing about what it does.",
        rationale: """
            Migration names are the only index a team has when a deploy fails at 2 a.m.: `update` or \
            `fix` makes the operator open every file to find the one that locked the table.
            """,
        triggering: [
            RuleExample(change: ["db/migrations/20240101000000_update.sql": "ALTER TABLE users ADD COLUMN email text;\n"],
                        expectedPath: "db/migrations/20240101000000_update.sql"),
            RuleExample(format: .rails, folder: "db/migrate",
                        before: ["db/migrate/20231201000000_create_users.rb": "class CreateUsers < ActiveRecord::Migration[7.1]\nend\n"],
                        change: ["db/migrate/20240101000000_initial.rb": "class Initial < ActiveRecord::Migration[7.1]\nend\n"],
                        expectedPath: "db/migrate/20240101000000_initial.rb"),
        ],
        nonTriggering: [
            RuleExample(change: ["db/migrations/20240101000000_add_email_to_users.sql": "ALTER TABLE users ADD COLUMN email text;\n"]),
            RuleExample(format: .rails, folder: "db/migrate",
                        change: ["db/migrate/20240101000000_fix_orders_total_rounding.rb": "class FixOrdersTotalRounding < ActiveRecord::Migration[7.1]\nend\n"]),
            RuleExample(format: .django, folder: "shop/migrations",
                        change: ["shop/migrations/0001_initial.py": "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = []\n"]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard subject.change == .added, case .migration(_, let name, false) = subject.verdict,
              VagueNames.isVague(name, isFirst: subject.isEarliest) else { return [] }
        return [RuleHit(message: "The name '\(name)' does not say what this migration changes.",
                        help: "Name it after its effect, e.g. add_email_to_users or backfill_orders_currency.")]
    }
}

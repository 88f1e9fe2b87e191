/// squawk's `ban-drop-column`, on live tables only: a column of a table created earlier in the
/// same part, or by a migration no environment has run, has no clients and no data yet.
struct BanDropColumn: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-column",
        summary: "Dropping a column breaks clients that still read it and loses its data.",
        rationale: """
            `ALTER TABLE … DROP COLUMN` takes an ACCESS EXCLUSIVE lock only briefly, but every \
            running application server that still selects, inserts or maps the column starts \
            failing the moment the migration commits, and the data is gone for good (a rollback \
            of the code does not bring it back). Drop a column in steps: deploy code that no \
            longer reads or writes it (ORMs: mark it ignored), wait until no old server runs, \
            then drop it in a later migration, after a backup if the data may matter.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE users DROP COLUMN legacy_name;\n", expectedLine: 2),
            ContentExample("ALTER TABLE IF EXISTS orders\n    DROP COLUMN IF EXISTS coupon_code CASCADE;\n", expectedLine: 1),
            ContentExample("""
                DO $$
                BEGIN
                  ALTER TABLE accounts DROP COLUMN api_token;
                END $$;
                """, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ADD COLUMN nickname text;\n"),
            ContentExample("CREATE TABLE drafts (id bigint, body text, tmp text);\nALTER TABLE drafts DROP COLUMN tmp;\n"),
            ContentExample("ALTER TABLE imports DROP COLUMN raw_row;\n", newTables: ["imports"]),
            ContentExample("-- ALTER TABLE users DROP COLUMN legacy_name;\nSELECT 1;\n"),
            ContentExample("""
                -- migrate:up
                ALTER TABLE users ADD COLUMN nickname text;
                -- migrate:down
                ALTER TABLE users DROP COLUMN nickname;
                """, path: "db/migrations/20240105093000_add_nickname.sql", format: .dbmate),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.liveTableCommands("AT_DropColumn").map { found in
            let column = found.command.string("name") ?? "?"
            return text.hit(found.part, found.statement,
                            message: "Dropping column `\(column)` of `\(found.table)` breaks clients that still read it and loses its data.",
                            help: "First deploy code that no longer uses the column, then drop it in a later migration.")
        }
    }
}

/// squawk's `ban-drop-not-null`, on live tables only.
struct BanDropNotNull: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-not-null",
        summary: "Dropping NOT NULL breaks clients that assume the column always has a value.",
        rationale: """
            `ALTER COLUMN … DROP NOT NULL` is instant, but from then on NULLs can appear in a \
            column that running code, reports and other services read as always set: they crash \
            on the first NULL, or silently mistreat it. Making a column optional is a contract \
            change: first deploy readers that handle NULL everywhere the column is used, then \
            drop the constraint in a later migration.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n", expectedLine: 1),
            ContentExample("ALTER TABLE orders\n  ALTER COLUMN note SET DEFAULT '',\n  ALTER COLUMN shipped_at DROP NOT NULL;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"),
            ContentExample("CREATE TABLE notes (id bigint, body text NOT NULL);\nALTER TABLE notes ALTER COLUMN body DROP NOT NULL;\n"),
            ContentExample("ALTER TABLE imports ALTER COLUMN raw_row DROP NOT NULL;\n", newTables: ["imports"]),
            ContentExample("""
                -- migrate:up
                ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                -- migrate:down
                ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
                """, path: "db/migrations/20240105093000_email_required.sql", format: .dbmate),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.liveTableCommands("AT_DropNotNull").map { found in
            text.hit(found.part, found.statement,
                     message: "Dropping NOT NULL on `\(found.table).\(found.command.string("name") ?? "?")` lets NULLs reach clients that assume a value.",
                     help: "Deploy code that handles NULL in this column first, then drop NOT NULL in a later migration.")
        }
    }
}

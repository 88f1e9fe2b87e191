/// squawk's `ban-drop-generated-expression`, on live tables only.
struct BanDropGeneratedExpression: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-generated-expression",
        summary: "Dropping a generation expression turns a computed column into stale stored data.",
        rationale: """
            `ALTER COLUMN … DROP EXPRESSION` keeps the values computed so far but stops \
            computing them: rows written afterwards get NULL or whatever clients send, while \
            code and reports still expect the derived value, and the column silently drifts \
            from its sources. Before dropping the expression, deploy code that writes the \
            column itself (or a trigger that fills it), then drop it in a later migration.
            """,
        triggering: [
            ContentExample("ALTER TABLE orders ALTER COLUMN total_with_tax DROP EXPRESSION;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER TABLE people ALTER COLUMN full_name DROP EXPRESSION IF EXISTS;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE orders ADD COLUMN total_with_tax numeric GENERATED ALWAYS AS (total * 1.2) STORED;\n"),
            ContentExample("""
                CREATE TABLE people (first text, last text, full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED);
                ALTER TABLE people ALTER COLUMN full_name DROP EXPRESSION;
                """),
            ContentExample("ALTER TABLE imports ALTER COLUMN digest DROP EXPRESSION;\n", newTables: ["imports"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.liveTableCommands("AT_DropExpression").map { found in
            text.hit(found.part, found.statement,
                     message: "Dropping the generation expression of `\(found.table).\(found.command.string("name") ?? "?")` leaves it stale for new rows.",
                     help: "Deploy code or a trigger that fills the column first, then drop the expression in a later migration.")
        }
    }
}

/// squawk's `ban-drop-constraint`, on live tables only, and not when the same part adds a
/// constraint of the same name back (the drop-and-recreate that changes a constraint).
struct BanDropConstraint: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-constraint",
        summary: "Dropping a constraint lets bad data in and breaks clients that rely on it.",
        rationale: """
            `ALTER TABLE … DROP CONSTRAINT` takes an ACCESS EXCLUSIVE lock briefly, and then the \
            guarantee is gone: duplicates, orphans or invalid values can be written, and code \
            that relied on the constraint (upserts on a unique key, joins that assume a foreign \
            key, checks it skipped) misbehaves. Drop a constraint only once nothing relies on \
            it; to change one, add the new constraint (NOT VALID, then VALIDATE) under the same \
            name in the same migration, or before dropping the old one.
            """,
        triggering: [
            ContentExample("ALTER TABLE users DROP CONSTRAINT users_email_key;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_user_id_fkey;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                ALTER TABLE orders DROP CONSTRAINT orders_total_check;
                ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
                ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;
                """),
            ContentExample("ALTER TABLE imports DROP CONSTRAINT imports_row_check;\n", newTables: ["imports"]),
            ContentExample("ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.liveTableCommands("AT_DropConstraint").compactMap { found in
            let name = found.command.string("name") ?? "?"
            if Self.isAddedBack(name, after: found.statement, in: found.part) { return nil }
            return text.hit(found.part, found.statement,
                            message: "Dropping constraint `\(name)` of `\(found.table)` lets data in that clients assume cannot exist.",
                            help: "Drop the constraint only once nothing relies on it, or add its replacement under the same name in this migration.")
        }
    }

    static func isAddedBack(_ name: String, after statement: LintStatement, in part: SQLPart) -> Bool {
        part.statements[statement.index...].contains { later in
            later.type == "AlterTableStmt" && later.node?.elements("cmds")?.contains { command in
                command.string("AlterTableCmd", "subtype") == "AT_AddConstraint"
                    && command.string("AlterTableCmd", "def", "Constraint", "conname") == name
            } == true
        }
    }
}

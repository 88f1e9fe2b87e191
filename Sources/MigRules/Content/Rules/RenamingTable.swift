/// squawk's `renaming-table`, on live tables only.
struct RenamingTable: ContentRule {
    static let description = ContentRuleDescription(
        id: "renaming-table",
        summary: "Renaming a table breaks clients that still use the old name.",
        rationale: """
            `ALTER TABLE … RENAME TO` needs an ACCESS EXCLUSIVE lock for a moment, and every \
            application server still running the old code fails on its next query from the \
            moment it commits; in a rolling deploy old and new code overlap, so the rename \
            cannot be timed to avoid errors. Rename in steps instead: create the new table (or \
            rename and leave an updatable view under the old name), move the code over, and \
            drop the old name in a later migration.
            """,
        triggering: [
            ContentExample("ALTER TABLE users RENAME TO members;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER TABLE IF EXISTS billing.invoice\n  RENAME TO invoices;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE VIEW members AS SELECT * FROM users;\n"),
            ContentExample("ALTER TABLE import_rows RENAME TO imported_rows;\n", newTables: ["import_rows"]),
            ContentExample("CREATE TABLE tmp_orders (id bigint);\nALTER TABLE tmp_orders RENAME TO orders_v2;\n"),
            ContentExample("ALTER TABLE users RENAME COLUMN email TO email_address;\n"),
            ContentExample("ALTER INDEX users_email_idx RENAME TO users_email_key;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements where statement.type == "RenameStmt" {
                guard let node = statement.node, node.string("renameType") == "OBJECT_TABLE" else { continue }
                let table = node.string("relation", "relname") ?? "?"
                if text.isNew(table: table, before: statement, in: part) { continue }
                hits.append(text.hit(part, statement,
                                     message: "Renaming table `\(table)` to `\(node.string("newname") ?? "?")` breaks clients that still use the old name.",
                                     help: "Keep the old name reachable (a view over the renamed table) until no deployed code uses it, then drop it later."))
            }
        }
        return hits
    }
}

/// squawk's `renaming-column`, on live tables only.
struct RenamingColumn: ContentRule {
    static let description = ContentRuleDescription(
        id: "renaming-column",
        summary: "Renaming a column breaks clients that still use the old name.",
        rationale: """
            `ALTER TABLE … RENAME COLUMN` is quick, but application servers still running the \
            old code keep selecting and writing the old name and fail from the moment it \
            commits; during a rolling deploy old and new code run side by side, so no order of \
            deploy and migration avoids errors. Rename in steps instead: add the new column, \
            write to both and backfill, switch reads, then drop the old column in a later \
            migration (or keep the old name and alias it in the application).
            """,
        triggering: [
            ContentExample("ALTER TABLE users RENAME COLUMN email TO email_address;\n", expectedLine: 1),
            ContentExample("ALTER TABLE IF EXISTS public.orders\n  RENAME total TO total_cents;\n", expectedLine: 1),
            ContentExample("DO $$ BEGIN\n  ALTER TABLE users RENAME COLUMN name TO full_name;\nEND $$;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ADD COLUMN email_address text;\nUPDATE users SET email_address = email WHERE email_address IS NULL;\n"),
            ContentExample("CREATE TABLE drafts (id bigint, txt text);\nALTER TABLE drafts RENAME COLUMN txt TO body;\n"),
            ContentExample("ALTER TABLE imports RENAME COLUMN raw TO raw_row;\n", newTables: ["imports"]),
            ContentExample("ALTER TABLE users RENAME TO members;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements where statement.type == "RenameStmt" {
                guard let node = statement.node, node.string("renameType") == "OBJECT_COLUMN",
                      node.string("relationType") == "OBJECT_TABLE" else { continue }
                let table = node.string("relation", "relname") ?? "?"
                if text.isNew(table: table, before: statement, in: part) { continue }
                let old = node.string("subname") ?? "?", new = node.string("newname") ?? "?"
                hits.append(text.hit(part, statement,
                                     message: "Renaming column `\(old)` of `\(table)` to `\(new)` breaks clients that still use the old name.",
                                     help: "Add the new column, write both and backfill, move reads over, then drop the old column later."))
            }
        }
        return hits
    }
}

/// squawk's `ban-set-schema`, except for tables that are new (created earlier in the same
/// part or by a pending migration).
struct BanSetSchema: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-set-schema",
        summary: "Moving an object to another schema breaks clients that name it by its old schema.",
        rationale: """
            `ALTER … SET SCHEMA` moves a table, view, sequence, type or function at once: \
            clients that qualify it (`billing.invoices`) or find it through a `search_path` \
            without the new schema fail from the moment it commits, and grants given on the \
            old schema no longer apply. Move clients first: add the new schema to their \
            `search_path` or create a view or wrapper in the new place, switch the code, then \
            move the object in a later migration.
            """,
        triggering: [
            ContentExample("ALTER TABLE invoices SET SCHEMA billing;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER FUNCTION calc_tax(numeric) SET SCHEMA billing;\n", expectedLine: 2),
            ContentExample("ALTER TYPE mood SET SCHEMA shared;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("CREATE TABLE staging_rows (id bigint);\nALTER TABLE staging_rows SET SCHEMA staging;\n"),
            ContentExample("ALTER TABLE import_rows SET SCHEMA staging;\n", newTables: ["import_rows"]),
            ContentExample("ALTER TABLE invoices OWNER TO billing_app;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements where statement.type == "AlterObjectSchemaStmt" {
                guard let node = statement.node else { continue }
                let name = node.string("relation", "relname") ?? node["object"].flatMap(ObjectName.of(droppedObject:))
                if let name, text.isNew(object: name, before: statement, in: part) { continue }
                hits.append(text.hit(part, statement,
                                     message: "Moving `\(name ?? "?")` to schema `\(node.string("newschema") ?? "?")` breaks clients that name it by its old schema.",
                                     help: "Make clients find the object in the new schema first (search_path, a view), then move it in a later migration."))
            }
        }
        return hits
    }
}

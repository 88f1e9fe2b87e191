/// squawk's `ban-drop-database`.
struct BanDropDatabase: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-database",
        summary: "Dropping a database loses everything in it.",
        rationale: """
            `DROP DATABASE` removes every schema, table and row of the database at once and \
            cannot run inside a transaction, so nothing rolls it back; a migration that runs it \
            against the wrong environment (a copied connection string, a shared server) is a \
            disaster only a backup restore undoes. Databases belong to provisioning, not to \
            schema migrations: drop them by hand or from infrastructure code, after a backup.
            """,
        triggering: [
            ContentExample("DROP DATABASE analytics;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP DATABASE IF EXISTS staging_copy WITH (FORCE);\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE TABLE analytics_events (id bigint PRIMARY KEY);\n"),
            ContentExample("DROP SCHEMA IF EXISTS analytics_tmp;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements where statement.type == "DropdbStmt" {
                hits.append(text.hit(part, statement,
                                     message: "Dropping database `\(statement.node?.string("dbname") ?? "?")` loses everything in it, with no rollback.",
                                     help: "Drop databases by hand or from infrastructure code, after a backup, not in a schema migration."))
            }
        }
        return hits
    }
}

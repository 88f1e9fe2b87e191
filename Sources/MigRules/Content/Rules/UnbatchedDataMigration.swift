/// An UPDATE or DELETE with no WHERE clause on a table that already has rows.
struct UnbatchedDataMigration: ContentRule {
    static let description = ContentRuleDescription(
        id: "unbatched-data-migration",
        summary: "An UPDATE or DELETE of a whole table in one statement holds row locks and bloats the table.",
        rationale: """
            An UPDATE or DELETE without a WHERE clause touches every row in one transaction: it \
            holds a row lock on each until it commits, blocking every writer of those rows, writes \
            a dead tuple per row that vacuum must clean up later, and floods the WAL that replicas \
            must replay. Backfill in batches instead, each its own transaction, with a WHERE that \
            bounds the rows (`WHERE id BETWEEN $1 AND $2`, or `WHERE id IN (SELECT id … LIMIT \
            1000)`), repeated until no row is left. The rule fires on a statement with no WHERE \
            clause at all, as any WHERE may bound the rows; a table created earlier in the file or \
            by a migration no environment has run is empty and left alone.
            """,
        triggering: [
            ContentExample("UPDATE users SET status = 'active';\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE events ADD COLUMN archived boolean;
                DELETE FROM events;
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("UPDATE users SET status = 'active' WHERE id BETWEEN 1 AND 10000;\n"),
            ContentExample("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE created_at < '2020-01-01' LIMIT 1000);\n"),
            ContentExample("UPDATE plans SET name = lower(name);\n", newTables: ["plans"]),
            ContentExample("""
                CREATE TABLE plans (id bigint PRIMARY KEY, name text);
                UPDATE plans SET name = 'free';
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements {
                guard statement.type == "UpdateStmt" || statement.type == "DeleteStmt", let node = statement.node,
                      node["whereClause"] == nil, let table = node.string("relation", "relname"),
                      !text.isNew(table: table, before: statement, in: part) else { continue }
                let verb = statement.type == "UpdateStmt" ? "UPDATE" : "DELETE"
                hits.append(text.hit(part, statement,
                                     message: "This \(verb) changes every row of `\(table)` in one transaction.",
                                     help: "Backfill in batches, each with a WHERE that bounds its rows (an id range or a LIMITed subquery)."))
            }
        }
        return hits
    }
}

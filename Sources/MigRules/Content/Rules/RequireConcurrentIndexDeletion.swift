import MigSQL

/// squawk's `require-concurrent-index-deletion`. DROP INDEX does not name the table, so the
/// rule cannot tell a new table's index from a live one's; it is quiet only for indexes the
/// file itself created earlier.
struct RequireConcurrentIndexDeletion: ContentRule {
    static let description = ContentRuleDescription(
        id: "require-concurrent-index-deletion",
        summary: "DROP INDEX without CONCURRENTLY blocks reads and writes on the table.",
        rationale: """
            DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: it is quick once it \
            has the lock, but waits behind any running query on the table, and every read and \
            write that arrives meanwhile queues behind it. DROP INDEX CONCURRENTLY waits for \
            those queries without blocking anyone. It cannot run inside a transaction block, so \
            the migration must run without the tool's transaction. An index the same file \
            created earlier is not reported.
            """,
        triggering: [
            ContentExample("DROP INDEX users_email_idx;\n", expectedLine: 1),
            ContentExample("""
                CREATE INDEX CONCURRENTLY users_email_lower_idx ON users (lower(email));
                DROP INDEX IF EXISTS users_email_idx;
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\n"),
            ContentExample("""
                CREATE INDEX users_tmp_idx ON users_tmp (id);
                DROP INDEX users_tmp_idx;
                """),
            ContentExample("DROP TABLE IF EXISTS users_tmp;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        var created: Set<String> = []
        SquawkLocks.forEach(in: text, of: ["IndexStmt", "DropStmt"]) { part, statement, _ in
            guard let node = statement.node else { return }
            if statement.type == "IndexStmt" {
                if let name = node.string("idxname") { created.insert(name.lowercased()) }
                return
            }
            guard node.string("removeType") == "OBJECT_INDEX", node.bool("concurrent") != true else { return }
            let names = (node.elements("objects") ?? []).map { SquawkLocks.lastName($0["List"]?["items"])?.lowercased() ?? "" }
            guard !names.allSatisfy(created.contains) else { return }
            hits.append(text.hit(part, statement,
                                 message: "DROP INDEX locks its table against reads and writes, and waits behind running queries while holding the queue.",
                                 help: "Use DROP INDEX CONCURRENTLY, in a migration the tool runs outside a transaction."))
        }
        return hits
    }
}

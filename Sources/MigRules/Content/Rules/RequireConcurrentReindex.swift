import MigSQL

/// squawk's `require-concurrent-reindex`: REINDEX of an index, table, schema or database
/// without CONCURRENTLY (REINDEX SYSTEM cannot be concurrent). Quiet for a table that is new.
struct RequireConcurrentReindex: ContentRule {
    static let description = ContentRuleDescription(
        id: "require-concurrent-reindex",
        summary: "REINDEX without CONCURRENTLY blocks writes for the whole rebuild.",
        rationale: """
            REINDEX takes a SHARE lock on the table, blocking every write while the index is \
            rebuilt, and an ACCESS EXCLUSIVE lock on the index itself, so queries that would use \
            it wait too. REINDEX … CONCURRENTLY (PostgreSQL 12+) builds a new copy next to the old \
            one and swaps them, letting reads and writes through; it cannot run inside a \
            transaction block. REINDEX SYSTEM has no concurrent form and is not reported, nor is \
            a table created by a pending migration or earlier in the file.
            """,
        triggering: [
            ContentExample("REINDEX INDEX users_email_idx;\n", expectedLine: 1),
            ContentExample("""
                REINDEX (VERBOSE) TABLE users;
                """, expectedLine: 1),
            ContentExample("REINDEX SCHEMA public;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("REINDEX INDEX CONCURRENTLY users_email_idx;\nREINDEX (CONCURRENTLY) TABLE users;\n"),
            ContentExample("REINDEX SYSTEM app;\n"),
            ContentExample("""
                CREATE TABLE imports (id bigint PRIMARY KEY);
                REINDEX TABLE imports;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["ReindexStmt"]) { part, statement, tables in
            guard let node = statement.node, node.string("kind") != "REINDEX_OBJECT_SYSTEM",
                  !SquawkLocks.isOn("concurrently", in: node["params"]),
                  node.string("kind") != "REINDEX_OBJECT_TABLE" || tables.isLive(node) else { return }
            hits.append(text.hit(part, statement,
                                 message: "REINDEX without CONCURRENTLY blocks writes to the table, and queries that use the index, until the rebuild ends.",
                                 help: "Use REINDEX … CONCURRENTLY (PostgreSQL 12+), outside any transaction."))
        }
        return hits
    }
}

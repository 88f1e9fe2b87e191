import MigSQL

/// squawk's `require-concurrent-index-creation`, quiet on tables that are new (created by a
/// pending migration or earlier in the file) and on `ON ONLY` indexes of a partitioned table,
/// which are catalog entries built without reading rows.
struct RequireConcurrentIndexCreation: ContentRule {
    static let description = ContentRuleDescription(
        id: "require-concurrent-index-creation",
        summary: "CREATE INDEX without CONCURRENTLY blocks writes for the whole build.",
        rationale: """
            CREATE INDEX takes a SHARE lock on the table: reads go on, but every INSERT, UPDATE \
            and DELETE waits until the index is built, which on a large table takes minutes. \
            CREATE INDEX CONCURRENTLY takes a SHARE UPDATE EXCLUSIVE lock that lets writes \
            through, at the price of two table scans; it cannot run inside a transaction block, \
            so the migration must run without the tool's transaction (Rails \
            `disable_ddl_transaction!`, Django `atomic = False`, dbmate `transaction:false`). \
            A table created by a pending migration or earlier in the same file has no rows nor \
            users yet and is left alone.
            """,
        triggering: [
            ContentExample("CREATE INDEX users_email_idx ON users (email);\n", expectedLine: 1),
            ContentExample("""
                -- lookups by account
                CREATE UNIQUE INDEX IF NOT EXISTS orders_account_idx
                    ON orders (account_id, created_at);
                """, expectedLine: 2),
            ContentExample("""
                DO $$
                BEGIN
                    CREATE INDEX events_kind_idx ON events (kind);
                END
                $$;
                """, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"),
            ContentExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint NOT NULL);
                CREATE INDEX invoices_account_idx ON invoices (account_id);
                """),
            ContentExample("CREATE INDEX invoices_account_idx ON invoices (account_id);\n", newTables: ["invoices"]),
            ContentExample("CREATE INDEX measurements_day_idx ON ONLY measurements (day);\n"),
            ContentExample("-- CREATE INDEX users_email_idx ON users (email);\nSELECT 1;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["IndexStmt"]) { part, statement, tables in
            guard let node = statement.node, node.bool("concurrent") != true,
                  node.bool("relation", "inh") == true, tables.isLive(node) else { return }
            hits.append(text.hit(part, statement,
                                 message: "Building this index blocks every write to `\(node.string("relation", "relname") ?? "the table")` until it is done.",
                                 help: "Use CREATE INDEX CONCURRENTLY, in a migration the tool runs outside a transaction."))
        }
        return hits
    }
}

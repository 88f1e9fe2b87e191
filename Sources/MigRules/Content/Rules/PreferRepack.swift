import MigSQL

/// squawk's `prefer-repack` (which squawk enables from PostgreSQL 19, where `REPACK
/// CONCURRENTLY` exists): VACUUM FULL and CLUSTER on live tables, pointing to pg_repack for the
/// servers migrations run on today.
struct PreferRepack: ContentRule {
    static let description = ContentRuleDescription(
        id: "prefer-repack",
        summary: "VACUUM FULL and CLUSTER lock the table for the whole rewrite; use pg_repack.",
        rationale: """
            VACUUM FULL and CLUSTER rewrite the table into new files while holding an ACCESS \
            EXCLUSIVE lock: no read or write gets through until the copy and every index rebuild \
            are done, and the disk needs room for a second copy. pg_repack (or REPACK \
            CONCURRENTLY on PostgreSQL 19) does the same rewrite holding the strong lock only for \
            a moment at the start and the end. A table created by a pending migration or earlier \
            in the file is left alone; plain VACUUM and ANALYZE do not rewrite and are fine.
            """,
        triggering: [
            ContentExample("VACUUM FULL events;\n", expectedLine: 1),
            ContentExample("""
                VACUUM (ANALYZE) events;
                CLUSTER events USING events_created_at_idx;
                """, expectedLine: 2),
            ContentExample("VACUUM (FULL, VERBOSE) events, sessions;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("VACUUM (ANALYZE) events;\nVACUUM (FULL false) sessions;\n"),
            ContentExample("""
                CREATE TABLE events_copy (id bigint PRIMARY KEY);
                CLUSTER events_copy USING events_copy_pkey;
                """),
            ContentExample("VACUUM FULL events_copy;\n", newTables: ["events_copy"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["VacuumStmt", "ClusterStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            let command: String
            if statement.type == "VacuumStmt" {
                let relations = (node.elements("rels") ?? []).compactMap { $0.string("VacuumRelation", "relation", "relname") }
                guard node.bool("is_vacuumcmd") == true, SquawkLocks.isOn("full", in: node["options"]),
                      relations.isEmpty || relations.contains(where: { tables.isLive($0) }) else { return }
                command = "VACUUM FULL"
            } else {
                guard tables.isLive(node) else { return }
                command = "CLUSTER"
            }
            hits.append(text.hit(part, statement,
                                 message: "\(command) rewrites the table while blocking every read and write on it.",
                                 help: "Use pg_repack (REPACK CONCURRENTLY on PostgreSQL 19), which holds the exclusive lock only briefly."))
        }
        return hits
    }
}

import MigSQL

/// squawk's `require-concurrent-partition-detach`: DETACH PARTITION without CONCURRENTLY on a
/// live partitioned table. Quiet on tables that are new.
struct RequireConcurrentPartitionDetach: ContentRule {
    static let description = ContentRuleDescription(
        id: "require-concurrent-partition-detach",
        summary: "DETACH PARTITION without CONCURRENTLY locks the parent table.",
        rationale: """
            ALTER TABLE … DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the partitioned \
            table, so every read and write of every partition waits, first for the running \
            queries the lock queues behind, then for the detach. Since PostgreSQL 14, DETACH \
            PARTITION … CONCURRENTLY takes only a SHARE UPDATE EXCLUSIVE lock and waits for \
            running queries instead of blocking new ones. It cannot run inside a transaction \
            block nor when the table has a default partition; if it is interrupted, finish it \
            with DETACH PARTITION … FINALIZE. A table created by a pending migration or earlier \
            in the file is left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE measurements DETACH PARTITION measurements_2023;\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE IF EXISTS measurements
                    DETACH PARTITION measurements_2022;
                """, expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY;\n"),
            ContentExample("ALTER TABLE measurements DETACH PARTITION measurements_2023 FINALIZE;\n"),
            ContentExample("ALTER TABLE measurements DETACH PARTITION measurements_2023;\n", newTables: ["measurements"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["AlterTableStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            for command in SquawkLocks.commands(node) where command.string("subtype") == "AT_DetachPartition" {
                guard let partition = command["def"]?["PartitionCmd"], partition.bool("concurrent") != true,
                      tables.isLive(node) else { continue }
                let child = partition.string("name", "relname") ?? "the partition"
                let table = node.string("relation", "relname") ?? "the table"
                hits.append(text.hit(part, statement,
                                     message: "Detaching `\(child)` blocks reads and writes on all of `\(table)`.",
                                     help: "Use DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), outside any transaction."))
            }
        }
        return hits
    }
}

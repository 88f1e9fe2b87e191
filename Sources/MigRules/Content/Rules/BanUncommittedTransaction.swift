import MigSQL

/// squawk's `ban-uncommitted-transaction`. Quiet when the tool wraps the file in a
/// transaction, since the tool's own COMMIT then ends whatever is open.
struct BanUncommittedTransaction: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-uncommitted-transaction",
        summary: "A BEGIN without a matching COMMIT leaves the migration's transaction open.",
        rationale: """
            A BEGIN that no COMMIT, END or ROLLBACK follows leaves its transaction open when the \
            file ends: depending on the tool the changes are rolled back when the connection \
            closes, or the session stays idle in transaction holding every lock the migration \
            took, blocking the tables it touched until someone kills it. End every explicit \
            transaction in the same file; when the tool manages the transaction, leave BEGIN out.
            """,
        triggering: [
            ContentExample("""
                BEGIN;
                ALTER TABLE users ADD COLUMN flags integer;
                """, expectedLine: 1),
            ContentExample("""
                BEGIN;
                ALTER TABLE users ADD COLUMN flags integer;
                COMMIT;

                START TRANSACTION;
                ALTER TABLE users ADD COLUMN roles text[];
                """, expectedLine: 5),
        ],
        nonTriggering: [
            ContentExample("""
                BEGIN;
                ALTER TABLE users ADD COLUMN flags integer;
                COMMIT;
                """),
            ContentExample("""
                BEGIN;
                ALTER TABLE users ADD COLUMN flags integer;
                ROLLBACK;
                """),
            ContentExample("ALTER TABLE users ADD COLUMN flags integer;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres, !text.runsInTransaction else { return [] }
        var hits: [RuleHit] = []
        // Up and down run apart, each part of a direction in the same session.
        for parts in [text.upParts, text.downParts] {
            var open: (part: SQLPart, statement: LintStatement)?
            for part in parts {
                let statements = part.statements
                for index in statements.indices where statements[index].type == "TransactionStmt" {
                    let statement = statements[index]
                    switch SquawkLocks.TransactionKind(statement) {
                    case .begin: open = (part, statement)
                    case .end: open = nil
                    case nil: break
                    }
                }
            }
            if let open {
                hits.append(text.hit(open.part, open.statement,
                                     message: "This transaction is never committed or rolled back.",
                                     help: "End it with COMMIT (or ROLLBACK) in the same migration."))
            }
        }
        return hits
    }
}

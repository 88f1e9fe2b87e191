/// squawk's `ban-truncate-cascade`.
struct BanTruncateCascade: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-truncate-cascade",
        summary: "TRUNCATE ... CASCADE empties every table that references this one.",
        rationale: """
            `TRUNCATE … CASCADE` also truncates every table with a foreign key to the named \
            ones, and every table referencing those in turn, under ACCESS EXCLUSIVE locks: the \
            statement names one table but can empty half the schema, and what it reaches grows \
            silently as foreign keys are added. Name every table to truncate explicitly (without \
            `CASCADE` PostgreSQL refuses if one is left out), or delete the rows you mean to \
            delete.
            """,
        triggering: [
            ContentExample("TRUNCATE TABLE users CASCADE;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nTRUNCATE ONLY sessions, tokens RESTART IDENTITY CASCADE;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("TRUNCATE TABLE sessions, session_events;\n"),
            ContentExample("TRUNCATE import_rows RESTRICT;\n"),
            ContentExample("DELETE FROM sessions WHERE expires_at < now();\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements where statement.type == "TruncateStmt" {
                guard statement.node?.string("behavior") == "DROP_CASCADE" else { continue }
                hits.append(text.hit(part, statement,
                                     message: "TRUNCATE … CASCADE also empties every table that references these, transitively.",
                                     help: "List every table to truncate explicitly and drop CASCADE."))
            }
        }
        return hits
    }
}

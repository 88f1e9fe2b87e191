/// A statement PostgreSQL would reject. Unlike squawk's `syntax-error`, which stops at the first
/// one, each statement is parsed on its own, so the rest of the file is still linted.
struct SQLSyntaxError: ContentRule {
    static let description = ContentRuleDescription(
        id: "sql-syntax-error",
        summary: "A statement does not parse as SQL of the set's dialect.",
        rationale: """
            A migration that does not parse fails when it runs, usually halfway through a deploy, \
            after the statements before it have already changed the database (unless the tool \
            wraps the file in a transaction). The message and position are PostgreSQL's own, \
            from its parser; the other statements of the file are still linted.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN email text;\nALTER TABLE users ADD COLUMN;\n", expectedLine: 2),
            ContentExample("CREATE TABLE accounts (id bigint PRIMARY KEY,);\n", expectedLine: 1),
            ContentExample("UPDATE users SET name = 'unterminated;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ADD COLUMN email text;\n"),
            ContentExample("""
                CREATE FUNCTION touch() RETURNS trigger AS $$
                BEGIN NEW.updated_at := now(); RETURN NEW; END;
                $$ LANGUAGE plpgsql;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        for part in text.parts {
            for statement in part.statements {
                guard let error = statement.statement.error else { continue }
                hits.append(text.hit(part, at: error.location?.offset ?? statement.statement.range.lowerBound,
                                     message: "PostgreSQL cannot parse this statement: \(error.message).",
                                     help: "Fix the statement; run it against a scratch database to see it apply."))
            }
        }
        return hits
    }
}

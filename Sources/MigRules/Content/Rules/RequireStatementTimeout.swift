import MigSQL

/// Half of squawk's `require-timeout-settings` (squawk's own `require-statement-timeout`):
/// once per file, at the first statement that takes a lock others wait for with no
/// `statement_timeout` set, counting the same statements as `require-lock-timeout`.
struct RequireStatementTimeout: ContentRule {
    static let description = ContentRuleDescription(
        id: "require-statement-timeout",
        summary: "A migration has no statement_timeout, so a slow statement holds its locks indefinitely.",
        rationale: """
            A statement that turns out slower than expected (a rewrite, a validation scan, an \
            index build on a table bigger than in staging) keeps its locks until it finishes, \
            and nothing stops it: the application waits as long as it runs. \
            `SET statement_timeout = '5min'` (or `SET LOCAL` inside the transaction, or \
            `set_config('statement_timeout', …)`) before it bounds the damage: the statement is \
            cancelled, its locks released, and the migration can be reworked. Reported once per \
            file, at the first statement that locks an existing table or object.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN flags integer;\n", expectedLine: 1),
            ContentExample("""
                SET lock_timeout = '2s';
                CREATE TABLE audits (id bigint PRIMARY KEY);
                ALTER TABLE accounts VALIDATE CONSTRAINT accounts_owner_fk;
                """, expectedLine: 3),
            ContentExample("""
                BEGIN;
                SET LOCAL statement_timeout = '1min';
                COMMIT;
                DROP INDEX CONCURRENTLY users_email_idx;
                """, expectedLine: 4),
        ],
        nonTriggering: [
            ContentExample("""
                SET statement_timeout = '5min';
                ALTER TABLE users ADD COLUMN flags integer;
                """),
            ContentExample("""
                BEGIN;
                SET LOCAL statement_timeout = '1min';
                ALTER TABLE users ADD COLUMN flags integer;
                COMMIT;
                """),
            ContentExample("""
                CREATE TABLE audits (id bigint PRIMARY KEY, note text);
                CREATE FUNCTION audit_note() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres,
              let found = SquawkLocks.firstUnguardedLock(in: text, without: "statement_timeout") else { return [] }
        return [text.hit(found.part, found.statement,
                         message: "This statement takes locks with no statement_timeout, so nothing stops it if it runs long.",
                         help: "Put `SET statement_timeout = '5min';` (a bound that suits the table) before it, SET LOCAL inside a transaction.")]
    }
}

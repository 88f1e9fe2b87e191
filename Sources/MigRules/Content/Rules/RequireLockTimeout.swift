import MigSQL

/// Half of squawk's `require-timeout-settings` (squawk's own `require-lock-timeout`): once per
/// file, at the first statement that takes a lock others wait for with no `lock_timeout` set.
/// Unlike squawk, statements that lock nothing anyone uses (creating a table, a function, an
/// index on a new table) do not count.
struct RequireLockTimeout: ContentRule {
    static let description = ContentRuleDescription(
        id: "require-lock-timeout",
        summary: "A migration that takes locks has no lock_timeout, so it can queue behind a long query and block everyone after it.",
        rationale: """
            Even a fast ALTER TABLE needs an ACCESS EXCLUSIVE lock, and while it waits for a \
            long-running query or an idle-in-transaction session to release the table, every \
            query that arrives after it queues behind it: a one-millisecond change turns into \
            an outage. `SET lock_timeout = '2s'` (or `SET LOCAL` inside the transaction, or \
            `set_config('lock_timeout', …)`) before the first such statement makes it give up \
            instead, so the migration can be retried at a quieter moment. Reported once per \
            file, at the first statement that locks an existing table or object.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN flags integer;\n", expectedLine: 1),
            ContentExample("""
                SET statement_timeout = '5min';
                CREATE TABLE audits (id bigint PRIMARY KEY);
                CREATE INDEX users_email_idx ON users (email);
                """, expectedLine: 3),
            ContentExample("""
                SET lock_timeout = 0;
                DROP TABLE legacy_sessions;
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                SET lock_timeout = '2s';
                ALTER TABLE users ADD COLUMN flags integer;
                """),
            ContentExample("""
                BEGIN;
                SET LOCAL lock_timeout = '1s';
                ALTER TABLE users ADD COLUMN flags integer;
                COMMIT;
                """),
            ContentExample("""
                SELECT set_config('lock_timeout', '3s', false);
                ALTER TABLE users ADD COLUMN flags integer;
                """),
            ContentExample("""
                CREATE TABLE audits (id bigint PRIMARY KEY, note text);
                CREATE INDEX audits_note_idx ON audits (note);
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres,
              let found = SquawkLocks.firstUnguardedLock(in: text, without: "lock_timeout") else { return [] }
        return [text.hit(found.part, found.statement,
                         message: "This statement waits for its lock with no lock_timeout, and every query on the table queues behind it meanwhile.",
                         help: "Put `SET lock_timeout = '2s';` before it (SET LOCAL inside a transaction) and retry the migration when it times out.")]
    }
}

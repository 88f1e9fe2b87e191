/// squawk's `prefer-timestamp-tz` (also spelled `prefer-timestamptz` there): `timestamp` and
/// `timestamp without time zone`, arrays of them included.
struct PreferTimestampTz: ContentRule {
    static let description = ContentRuleDescription(
        id: "prefer-timestamp-tz",
        summary: "timestamp without time zone loses the offset; use timestamptz.",
        rationale: """
            `timestamp` (without time zone) stores a wall-clock reading with no offset: values \
            written by servers or sessions in different time zones silently mean different \
            instants, comparisons with `now()` shift with the session's `TimeZone`, and daylight \
            saving makes some readings ambiguous. `timestamptz` stores an instant (as UTC) in \
            the same 8 bytes and converts on the way out; switching later is a type change under \
            an ACCESS EXCLUSIVE lock that rewrites the table (unless the session's time zone is \
            UTC, on PostgreSQL 12+). Use `timestamptz` from the start.
            """,
        triggering: [
            ContentExample("CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  happened_at timestamp NOT NULL\n);\n", expectedLine: 3),
            ContentExample("ALTER TABLE users ADD COLUMN last_seen timestamp(3) without time zone;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  happened_at timestamptz NOT NULL\n);\n"),
            ContentExample("ALTER TABLE users ADD COLUMN last_seen timestamp with time zone;\n"),
            ContentExample("SELECT now()::timestamp;\n"),
        ])

    /// libpg_query's names for the type, written or through its aliases.
    static let names = ["timestamp"]

    func check(_ text: MigrationText) -> [RuleHit] {
        text.columnTypeHits(where: { $0.isBuiltin(Self.names) },
                            message: { _ in "A timestamp without time zone stores no offset, so the instant it means depends on who wrote it." },
                            help: "Use timestamptz (timestamp with time zone).")
    }
}

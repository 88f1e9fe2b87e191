/// squawk's `prefer-text-field`: `varchar(n)` and `character varying(n)`. Unbounded `varchar`
/// is `text` under another name and is left alone.
struct PreferTextField: ContentRule {
    static let description = ContentRuleDescription(
        id: "prefer-text-field",
        summary: "varchar(n) limits are painful to change; use text with a CHECK constraint.",
        rationale: """
            A `varchar(n)` limit is part of the column's type, and changing the type takes an \
            ACCESS EXCLUSIVE lock: raising the limit only holds it briefly, but lowering it \
            rewrites the whole table under it. `text` stores the same bytes at the same speed; \
            put the limit in a `CHECK (char_length(col) <= n)` constraint instead, which can be \
            replaced without blocking: add the new one `NOT VALID`, `VALIDATE` it (reads and \
            writes go on), drop the old one.
            """,
        triggering: [
            ContentExample("CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email varchar(255) NOT NULL\n);\n", expectedLine: 3),
            ContentExample("ALTER TABLE users ADD COLUMN nickname character varying(40);\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER TABLE users ALTER COLUMN email TYPE varchar(320);\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
                ALTER TABLE users ADD CONSTRAINT users_email_length CHECK (char_length(email) <= 320) NOT VALID;
                """),
            ContentExample("ALTER TABLE users ADD COLUMN nickname varchar;\n"),
            ContentExample("SELECT 'x'::varchar(10);\n"),
        ])

    /// libpg_query's names for the type, written or through its aliases.
    static let names = ["varchar"]

    func check(_ text: MigrationText) -> [RuleHit] {
        text.columnTypeHits(where: { $0.isBuiltin(Self.names) && $0.hasModifiers },
                            message: { _ in "A varchar(n) limit can only be changed by altering the column's type, under an ACCESS EXCLUSIVE lock." },
                            help: "Use text with a CHECK (char_length(column) <= n) constraint.")
    }
}

import MigSQL

/// squawk's `disallowed-unique-constraint`: a UNIQUE constraint that builds its own index on a
/// live table, as a table constraint or with a column. Quiet on tables that are new, also for
/// the column form, which squawk reports whatever the table.
struct DisallowedUniqueConstraint: ContentRule {
    static let description = ContentRuleDescription(
        id: "disallowed-unique-constraint",
        summary: "Adding a UNIQUE constraint builds its index under an exclusive lock; build the index concurrently first.",
        rationale: """
            ADD CONSTRAINT … UNIQUE (or ADD COLUMN … UNIQUE) builds a unique index while holding \
            an ACCESS EXCLUSIVE lock on the table: every read and write waits for the whole \
            build. Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, which lets reads \
            and writes through, then attach it with ADD CONSTRAINT … UNIQUE USING INDEX, which \
            only touches the catalog. A table created by a pending migration or earlier in the \
            file is left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE users
                    ADD COLUMN handle text UNIQUE;
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);
                ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;
                """),
            ContentExample("""
                CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL);
                ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE (sku);
                """),
            ContentExample("ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE (sku);\n", newTables: ["products"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        return SquawkLocks.indexBuildingConstraints(
            in: text, contype: "CONSTR_UNIQUE",
            message: { "This UNIQUE constraint builds its index while blocking reads and writes on `\($0)`." },
            help: "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … UNIQUE USING INDEX.")
    }
}

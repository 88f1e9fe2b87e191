import MigSQL

/// squawk's `adding-serial-primary-key-field`: a primary key that builds its own index on a
/// live table, with a new column (serial or not) or as a table constraint. Quiet on tables
/// that are new.
struct AddingSerialPrimaryKeyField: ContentRule {
    static let description = ContentRuleDescription(
        id: "adding-serial-primary-key-field",
        summary: "Adding a serial primary key rewrites the table and builds its index under an exclusive lock.",
        rationale: """
            ADD PRIMARY KEY, or ADD COLUMN … PRIMARY KEY, builds a unique index (and proves its \
            columns NOT NULL) while holding an ACCESS EXCLUSIVE lock: no read or write gets \
            through until the build ends; a new serial or identity column rewrites the whole \
            table first to number every row. Build the index with CREATE UNIQUE INDEX \
            CONCURRENTLY on columns that are already filled and NOT NULL, then attach it with \
            ADD CONSTRAINT … PRIMARY KEY USING INDEX, which only touches the catalog. A table \
            created by a pending migration or earlier in the file is left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE items ADD COLUMN id bigserial PRIMARY KEY;\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE items
                    ADD PRIMARY KEY (id);
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                CREATE UNIQUE INDEX CONCURRENTLY items_pkey_idx ON items (id);
                ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_pkey_idx;
                """),
            ContentExample("""
                CREATE TABLE items (name text);
                ALTER TABLE items ADD COLUMN id bigserial PRIMARY KEY;
                """),
            ContentExample("ALTER TABLE items ADD PRIMARY KEY (id);\n", newTables: ["items"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        return SquawkLocks.indexBuildingConstraints(
            in: text, contype: "CONSTR_PRIMARY",
            message: { "This primary key builds its index while blocking reads and writes on `\($0)`." },
            help: "CREATE UNIQUE INDEX CONCURRENTLY on filled NOT NULL columns, then ADD CONSTRAINT … PRIMARY KEY USING INDEX.")
    }
}

import MigSQL

/// squawk's `adding-required-field`, quiet on tables that are new (created by a pending
/// migration or earlier in the file) and on columns that fill themselves: serial, identity and
/// generated columns.
struct AddingRequiredField: ContentRule {
    static let description = ContentRuleDescription(
        id: "adding-required-field",
        summary: "ADD COLUMN ... NOT NULL without a default fails on a table that has rows.",
        rationale: """
            A column added with NOT NULL and no DEFAULT would hold NULL in every existing row, so \
            PostgreSQL refuses it as soon as the table has one row: the migration passes on an \
            empty development database and fails in production, in the middle of a deploy. Add \
            the column with a constant DEFAULT (free since PostgreSQL 11, no rewrite), or add it \
            nullable, backfill it in batches, then add a CHECK (column IS NOT NULL) NOT VALID, \
            VALIDATE it and SET NOT NULL. A table created by a pending migration or earlier in \
            the same file is empty and left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE orders
                    ADD COLUMN note text,
                    ADD COLUMN currency char(3) NOT NULL;
                """, expectedLine: 3),
            ContentExample("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                                   WHERE table_name = 'users' AND column_name = 'tenant_id') THEN
                        ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;
                    END IF;
                END
                $$;
                """, expectedLine: 5),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 1;\n"),
            ContentExample("""
                ALTER TABLE users ADD COLUMN tenant_id bigint;
                ALTER TABLE users ADD CONSTRAINT users_tenant_id_not_null CHECK (tenant_id IS NOT NULL) NOT VALID;
                """),
            ContentExample("""
                CREATE TABLE payments (id bigint PRIMARY KEY);
                ALTER TABLE payments ADD COLUMN amount numeric NOT NULL;
                """),
            ContentExample("ALTER TABLE payments ADD COLUMN amount numeric NOT NULL;\n", newTables: ["payments"]),
            ContentExample("ALTER TABLE events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL;\n"),
        ])

    /// Types whose columns get a sequence default of their own.
    static let serialTypes: Set<String> = ["serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"]

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["AlterTableStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            for command in SquawkLocks.commands(node) where command.string("subtype") == "AT_AddColumn" {
                guard let column = command["def"]?["ColumnDef"], Self.isRequiredWithoutValue(column), tables.isLive(node) else { continue }
                let name = column.string("colname") ?? "the column"
                hits.append(text.hit(part, statement, node: column,
                                     message: "Adding NOT NULL column `\(name)` without a default fails as soon as the table has a row.",
                                     help: "Give `\(name)` a constant DEFAULT, or add it nullable, backfill it, and set NOT NULL through a validated CHECK constraint."))
            }
        }
        return hits
    }

    static func isRequiredWithoutValue(_ column: PGNode) -> Bool {
        if serialTypes.contains(SquawkLocks.lastName(column["typeName"]?["names"]) ?? "") { return false }
        var notNull = false
        for constraint in SquawkLocks.constraints(column) {
            switch constraint.string("contype") {
            case "CONSTR_NOTNULL", "CONSTR_PRIMARY": notNull = true
            case "CONSTR_DEFAULT", "CONSTR_GENERATED", "CONSTR_IDENTITY": return false
            default: break
            }
        }
        return notNull
    }
}

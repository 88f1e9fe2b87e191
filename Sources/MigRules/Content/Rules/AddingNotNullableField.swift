import MigSQL

/// squawk's `adding-not-nullable-field`, read for PostgreSQL 12 and later: SET NOT NULL is quiet
/// when the file has already validated a `CHECK (column IS NOT NULL)` on the column, since the
/// server then skips the scan, and on tables that are new.
struct AddingNotNullableField: ContentRule {
    static let description = ContentRuleDescription(
        id: "adding-not-nullable-field",
        summary: "SET NOT NULL scans the whole table under an exclusive lock.",
        rationale: """
            ALTER COLUMN … SET NOT NULL takes an ACCESS EXCLUSIVE lock, which blocks reads and \
            writes, and keeps it while it reads every row to prove none is NULL: minutes on a \
            large table, with every query queued behind it. Since PostgreSQL 12 the scan is \
            skipped when a validated CHECK constraint already proves the column is not null, so \
            the safe recipe is: ADD CONSTRAINT … CHECK (column IS NOT NULL) NOT VALID (instant), \
            VALIDATE CONSTRAINT in its own transaction (a SHARE UPDATE EXCLUSIVE lock that lets \
            reads and writes through), then SET NOT NULL and drop the CHECK. A table created by a \
            pending migration or earlier in the file is left alone. When an earlier migration \
            validated the CHECK, suppress the finding and say so.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
                ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                """, expectedLine: 2),
            ContentExample("""
                ALTER TABLE users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID;
                ALTER TABLE users VALIDATE CONSTRAINT users_name_not_null;
                ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                """, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("""
                ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
                ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
                ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                ALTER TABLE users DROP CONSTRAINT users_email_not_null;
                """),
            ContentExample("""
                CREATE TABLE accounts (id bigint PRIMARY KEY, email text);
                ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
                """),
            ContentExample("ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\n", newTables: ["accounts"]),
            ContentExample("ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        // Keyed `table.column`; they outlive a part, as a framework's SQL strings share a session.
        var unvalidated: [String: String] = [:]
        var proven: Set<String> = []
        SquawkLocks.forEach(in: text, of: ["AlterTableStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            var table: String { (node.string("relation", "relname") ?? "").lowercased() }
            for command in SquawkLocks.commands(node) {
                switch command.string("subtype") {
                case "AT_AddConstraint":
                    guard let constraint = command["def"]?["Constraint"], let column = Self.notNullColumn(constraint) else { continue }
                    let key = table + "." + column
                    if constraint.bool("skip_validation") == true {
                        if let name = constraint.string("conname") { unvalidated[table + "." + name] = key }
                    } else {
                        proven.insert(key)
                    }
                case "AT_ValidateConstraint":
                    if let key = unvalidated[table + "." + (command.string("name") ?? "")] { proven.insert(key) }
                case "AT_SetNotNull":
                    let column = command.string("name") ?? ""
                    guard !proven.contains(table + "." + column), tables.isLive(node) else { continue }
                    hits.append(text.hit(part, statement,
                                         message: "SET NOT NULL on `\(column)` locks `\(table)` against reads and writes while it scans every row.",
                                         help: "First add CHECK (\(column) IS NOT NULL) NOT VALID and VALIDATE it in its own transaction; SET NOT NULL then skips the scan."))
                default:
                    break
                }
            }
        }
        return hits
    }

    /// The column a CHECK proves not null: `CHECK (c IS NOT NULL)`, alone or in an AND.
    static func notNullColumn(_ constraint: PGNode) -> String? {
        guard constraint.string("contype") == "CONSTR_CHECK", let expression = constraint["raw_expr"] else { return nil }
        let tests = expression["BoolExpr"].map { bool in
            bool.string("boolop") == "AND_EXPR" ? (bool.elements("args") ?? []) : []
        } ?? [expression]
        for test in tests {
            guard let nullTest = test["NullTest"], nullTest.string("nulltesttype") == "IS_NOT_NULL",
                  let fields = nullTest["arg"]?["ColumnRef"]?["fields"] else { continue }
            return SquawkLocks.lastName(fields)
        }
        return nil
    }
}

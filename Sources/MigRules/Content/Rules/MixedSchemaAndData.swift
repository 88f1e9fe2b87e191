import MigSQL

/// DDL and DML in the same up migration. Seeding a table the migration itself creates is part of
/// creating it, so those rows do not count as data.
struct MixedSchemaAndData: ContentRule {
    static let description = ContentRuleDescription(
        id: "mixed-schema-and-data",
        summary: "One migration both changes the schema and modifies data.",
        rationale: """
            Schema changes take ACCESS EXCLUSIVE locks; an UPDATE, DELETE, INSERT or COPY FROM in \
            the same migration runs while those locks are held when the tool wraps the file in a \
            transaction, so a long data change stretches a short lock into an outage, and a failing \
            data change rolls back (or, without a transaction, half-applies) the schema change. \
            MySQL commits each DDL statement on its own, so there a failing data change always \
            leaves the schema half changed. Data migrations are also rerun, batched and reviewed \
            differently. Put the schema change in one migration and the data change in the next \
            (or in a data migration directory). Rows inserted into a table that the same migration \
            creates (a lookup table's seed) are part of creating it and do not count.
            """,
        triggering: [
            ContentExample("""
                ALTER TABLE users ADD COLUMN status text;
                UPDATE users SET status = 'active' WHERE status IS NULL;
                """, expectedLine: 2),
            ContentExample("""
                DELETE FROM sessions WHERE expires_at < now();
                CREATE INDEX CONCURRENTLY idx_sessions_user_id ON sessions (user_id);
                """, expectedLine: 2),
            ContentExample("""
                CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL);
                INSERT INTO plans (id, name) VALUES (1, 'free');
                INSERT INTO accounts_plans (account_id, plan_id) SELECT id, 1 FROM accounts;
                """, expectedLine: 3),
            ContentExample("""
                ALTER TABLE users ADD COLUMN plan_id BIGINT NULL, ALGORITHM=INSTANT;
                UPDATE users SET plan_id = 1 WHERE id < 1000;
                """, dialect: .mysql, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL);
                INSERT INTO plans (id, name) VALUES (1, 'free'), (2, 'pro');
                """),
            ContentExample("UPDATE users SET status = 'active' WHERE status IS NULL;\n"),
            ContentExample("""
                -- migrate:up
                ALTER TABLE users ADD COLUMN status text;
                -- migrate:down
                UPDATE users SET status = NULL;
                ALTER TABLE users DROP COLUMN status;
                """, format: .dbmate),
            ContentExample("""
                CREATE TABLE plans (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL);
                INSERT IGNORE INTO `plans` (id, name) VALUES (1, 'free');
                -- UPDATE users SET plan_id = 1;
                SELECT 'UPDATE users SET plan_id = 1';
                """, dialect: .mysql),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        switch text.dialect {
        case .postgres: checkPostgres(text)
        case .mysql: checkMySQL(text)
        case .sqlite: []
        }
    }

    private func checkPostgres(_ text: MigrationText) -> [RuleHit] {
        var created: Set<String> = []
        var changesSchema = false
        var changesData = false
        for part in text.upParts {
            for statement in part.statements {
                guard let type = statement.type, let node = statement.node else { continue }
                switch type {
                case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt":
                    if type == "CopyStmt", node.bool("is_from") != true { continue }
                    let table = node.string("relation", "relname")?.lowercased()
                    if type == "InsertStmt" || type == "CopyStmt", let table, created.contains(table) { continue }
                    changesData = true
                default:
                    guard Self.isSchemaChange(type) else { continue }
                    if type == "CreateStmt", let table = node.string("relation", "relname") { created.insert(table.lowercased()) }
                    changesSchema = true
                }
                if changesSchema, changesData {
                    return [text.hit(part, statement, message: "This migration changes both the schema and the data in it.",
                                     help: "Move the data change into its own migration after the schema change.")]
                }
            }
        }
        return []
    }

    private func checkMySQL(_ text: MigrationText) -> [RuleHit] {
        var created: Set<String> = []
        var changesSchema = false
        var changesData = false
        for part in text.upParts {
            for statement in part.mysqlStatements {
                if statement.isKeyword(0, oneOf: ["INSERT", "REPLACE", "LOAD", "UPDATE", "DELETE"]) {
                    if let table = Self.insertedTable(statement), created.contains(table) { continue }
                    changesData = true
                } else if statement.isKeyword(0, oneOf: ["CREATE", "ALTER", "DROP", "RENAME"]) {
                    if let command = MySQLCommand(statement), case .createTable = command.kind { created.insert(command.table) }
                    changesSchema = true
                } else {
                    continue
                }
                if changesSchema, changesData {
                    return [text.hit(part, at: statement.range.lowerBound, message: "This migration changes both the schema and the data in it.",
                                     help: "Move the data change into its own migration after the schema change.")]
                }
            }
        }
        return []
    }

    /// The table of `INSERT|REPLACE [modifiers] [INTO] t` or `LOAD DATA … INTO TABLE t`.
    private static func insertedTable(_ statement: MySQLStatement) -> String? {
        var index = 1
        if statement.isKeyword(0, "LOAD") {
            guard let table = statement.tokens.indices.first(where: { statement.isKeyword($0, "TABLE") }) else { return nil }
            index = table + 1
        } else if statement.isKeyword(0, "INSERT") || statement.isKeyword(0, "REPLACE") {
            while statement.isKeyword(index, oneOf: ["LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"]) { index += 1 }
        } else {
            return nil
        }
        return statement.qualifiedName(at: index)?.name
    }

    /// Statements that define or change database objects.
    static func isSchemaChange(_ type: String) -> Bool {
        type.hasPrefix("Create") || type.hasPrefix("Alter") || type.hasPrefix("Drop")
            || type == "IndexStmt" || type == "RenameStmt" || type == "ViewStmt" || type == "DefineStmt"
            || type == "CompositeTypeStmt"
    }
}

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
            Data migrations are also rerun, batched and reviewed differently. Put the schema change \
            in one migration and the data change in the next (or in a data migration directory). \
            Rows inserted into a table that the same migration creates (a lookup table's seed) are \
            part of creating it and do not count.
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
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var created: Set<String> = []
        var changesSchema = false
        var changesData = false
        for part in text.upParts {
            for statement in part.statements {
                guard let type = statement.type, let node = statement.node else { continue }
                switch type {
                case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt":
                    if type == "CopyStmt", node["is_from"]?.bool != true { continue }
                    let table = node["relation"]?["relname"]?.string?.lowercased()
                    if type == "InsertStmt" || type == "CopyStmt", let table, created.contains(table) { continue }
                    changesData = true
                default:
                    guard Self.isSchemaChange(type) else { continue }
                    if type == "CreateStmt", let table = node["relation"]?["relname"]?.string { created.insert(table.lowercased()) }
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

    /// Statements that define or change database objects.
    static func isSchemaChange(_ type: String) -> Bool {
        type.hasPrefix("Create") || type.hasPrefix("Alter") || type.hasPrefix("Drop")
            || type == "IndexStmt" || type == "RenameStmt" || type == "ViewStmt" || type == "DefineStmt"
            || type == "CompositeTypeStmt"
    }
}

/// `ALTER TABLE … DROP [COLUMN]` on a live MySQL table.
struct MySQLBanDropColumn: ContentRule {
    static let description = ContentRuleDescription(
        id: "mysql-ban-drop-column",
        summary: "Dropping a column breaks clients that still read it, loses its data and rebuilds the table.",
        rationale: """
            Application servers still running the previous release select and insert the column \
            until the deploy finishes, and fail once it is gone; its data is gone with it, so the \
            down migration cannot bring it back. Before MySQL 8.0.29 dropping a column also \
            rebuilds the whole table, blocking writes on older versions and tools. Stop reading and \
            writing the column in one release (ignore it in the ORM), then drop it in a later \
            migration, after a backup if the data may matter. A table created earlier in the file \
            or by a migration no environment has run has no clients yet and is left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE users DROP COLUMN legacy_flag;\n", dialect: .mysql, expectedLine: 1),
            ContentExample("""
                ALTER TABLE `users`
                  DROP INDEX idx_users_legacy_flag,
                  DROP legacy_flag;
                """, dialect: .mysql, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("""
                -- ALTER TABLE users DROP COLUMN legacy_flag;
                ALTER TABLE users DROP INDEX idx_users_legacy_flag, DROP FOREIGN KEY users_plan_fk, DROP PRIMARY KEY;
                """, dialect: .mysql),
            ContentExample("UPDATE notes SET body = 'ALTER TABLE users DROP COLUMN legacy_flag;' WHERE id = 1;\n", dialect: .mysql),
            ContentExample("""
                CREATE TABLE drafts (id BIGINT PRIMARY KEY, tmp INT);
                ALTER TABLE drafts DROP COLUMN tmp;
                """, dialect: .mysql),
            ContentExample("ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\n", dialect: .mysql),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        text.forEachMySQLCommand { part, statement, command, isNew in
            guard case .alterTable(let clauses) = command.kind, !isNew(command.table) else { return }
            for clause in clauses where statement.isKeyword(clause.lowerBound, "DROP") {
                var column = clause.lowerBound + 1
                if statement.isKeyword(column, "COLUMN") {
                    column += 1
                } else if statement.isKeyword(column, oneOf: ["INDEX", "KEY", "PRIMARY", "FOREIGN", "CHECK", "CONSTRAINT",
                                                              "PARTITION", "SYSTEM"]) {
                    continue
                }
                guard let name = statement.name(at: column) else { continue }
                hits.append(text.hit(part, statement, token: clause.lowerBound,
                                     message: "Dropping `\(command.table).\(name)` breaks clients that still read it and loses its data.",
                                     help: "Stop using the column in one release, then drop it in a later migration."))
            }
        }
        return hits
    }
}

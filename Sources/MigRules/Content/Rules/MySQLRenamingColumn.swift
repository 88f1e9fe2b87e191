/// A column of a live MySQL table renamed in place.
struct MySQLRenamingColumn: ContentRule {
    static let description = ContentRuleDescription(
        id: "mysql-renaming-column",
        summary: "Renaming a column breaks clients that still use the old name.",
        rationale: """
            The rename itself is quick (INSTANT or INPLACE in MySQL 8), but application servers \
            still running the previous release keep using the old name until the deploy \
            finishes, and their queries fail. Add the new column, write to both, backfill, move \
            reads over, then drop the old column in a later migration; or keep the old name in the \
            database and map it in the ORM. Covers `RENAME COLUMN a TO b` and `CHANGE [COLUMN] a b \
            …` with a different name; tables created earlier in the file or by a migration no \
            environment has run have no clients yet and are left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE users RENAME COLUMN name TO full_name;\n", dialect: .mysql, expectedLine: 1),
            ContentExample("""
                ALTER TABLE users
                  CHANGE COLUMN `email` `email_address` VARCHAR(255) NOT NULL;
                """, dialect: .mysql, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users CHANGE `email` `Email` VARCHAR(320) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;\n",
                           dialect: .mysql),
            ContentExample("""
                -- ALTER TABLE users RENAME COLUMN name TO full_name;
                SELECT 'ALTER TABLE users RENAME COLUMN name TO full_name;';
                """, dialect: .mysql),
            ContentExample("""
                CREATE TABLE drafts (id BIGINT PRIMARY KEY, titel TEXT);
                ALTER TABLE drafts RENAME COLUMN titel TO title;
                """, dialect: .mysql),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        text.forEachMySQLCommand { part, statement, command, isNew in
            guard case .alterTable(let clauses) = command.kind, !isNew(command.table) else { return }
            for clause in clauses {
                let first = clause.lowerBound
                let old: String?, new: String?
                if statement.isKeyword(first, "RENAME"), statement.isKeyword(first + 1, "COLUMN") {
                    (old, new) = (statement.name(at: first + 2), statement.name(at: first + 4))
                } else if statement.isKeyword(first, "CHANGE") {
                    let name = statement.isKeyword(first + 1, "COLUMN") ? first + 2 : first + 1
                    (old, new) = (statement.name(at: name), statement.name(at: name + 1))
                } else {
                    continue
                }
                guard let old, let new, old != new else { continue }
                hits.append(text.hit(part, statement, token: first,
                                     message: "Renaming `\(command.table).\(old)` to `\(new)` breaks clients that still use the old name.",
                                     help: "Add the new column, copy and dual-write, move readers over, then drop the old one later."))
            }
        }
        return hits
    }
}

import MigSQL

/// A NOT NULL column without a default added to a live MySQL table.
struct MySQLAddingRequiredField: ContentRule {
    static let description = ContentRuleDescription(
        id: "mysql-adding-required-field",
        summary: "ADD COLUMN ... NOT NULL without a default fills existing rows with implicit zero values.",
        rationale: """
            Unlike PostgreSQL, MySQL accepts `ADD COLUMN … NOT NULL` without a DEFAULT on a table \
            that has rows: it fills them with the type's implicit default (0, '', \
            '0000-00-00' or the first enum value), values no one chose that then look like real \
            data, while application code still running the old version inserts rows without the \
            column and fails in strict mode. Give the column an explicit DEFAULT, or add it \
            nullable, backfill it in batches, and make it NOT NULL once every row has a value. \
            Generated and AUTO_INCREMENT columns compute their values and are left alone, as are \
            tables created earlier in the file or by a migration no environment has run.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN status VARCHAR(20) NOT NULL;\n", dialect: .mysql, expectedLine: 1),
            ContentExample("""
                ALTER TABLE users
                  ADD COLUMN nickname VARCHAR(40) NULL,
                  ADD (plan_id BIGINT NOT NULL, score INT NOT NULL DEFAULT 0);
                """, dialect: .mysql, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'active';\n", dialect: .mysql),
            ContentExample("""
                ALTER TABLE users ADD COLUMN full_name VARCHAR(200) AS (CONCAT(first_name, ' ', last_name)) STORED NOT NULL;
                ALTER TABLE users ADD COLUMN note TEXT CHECK (note IS NOT NULL);
                """, dialect: .mysql),
            ContentExample("""
                CREATE TABLE plans (id BIGINT PRIMARY KEY);
                ALTER TABLE plans ADD COLUMN name VARCHAR(40) NOT NULL;
                """, dialect: .mysql),
            ContentExample("ALTER TABLE users ADD COLUMN status VARCHAR(20) NOT NULL;\n", dialect: .mysql, newTables: ["users"]),
            ContentExample("""
                -- ALTER TABLE users ADD COLUMN status VARCHAR(20) NOT NULL;
                INSERT INTO audit (note) VALUES ('ALTER TABLE users ADD COLUMN status VARCHAR(20) NOT NULL');
                ALTER TABLE users ADD COLUMN `key` INT NULL, ADD KEY idx_users_key (`key`);
                """, dialect: .mysql),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        text.forEachMySQLCommand { part, statement, command, isNew in
            guard case .alterTable(let clauses) = command.kind, !isNew(command.table) else { return }
            for clause in clauses {
                for column in Self.addedColumns(statement, clause) where Self.isRequired(statement, column) {
                    let name = statement.name(at: column.lowerBound) ?? "?"
                    let message = "`\(name)` is added NOT NULL without a default, so existing rows of "
                        + "`\(command.table)` get implicit zero values."
                    hits.append(text.hit(part, statement, token: column.lowerBound, message: message,
                                         help: "Give `\(name)` an explicit DEFAULT, or add it nullable, backfill, then make it NOT NULL."))
                }
            }
        }
        return hits
    }

    /// The column definitions an `ADD [COLUMN] …` clause adds, each starting at its name.
    static func addedColumns(_ statement: MySQLStatement, _ clause: Range<Int>) -> [Range<Int>] {
        guard statement.isKeyword(clause.lowerBound, "ADD") else { return [] }
        var start = clause.lowerBound + 1
        if statement.isKeyword(start, "COLUMN") {
            start += 1
        } else if statement.isKeyword(start, oneOf: ["INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL", "CONSTRAINT", "PRIMARY",
                                                     "FOREIGN", "CHECK", "PARTITION"]) {
            return []
        }
        guard statement.isPunctuation(start, "(") else { return start < clause.upperBound ? [start..<clause.upperBound] : [] }
        let end = statement.isPunctuation(clause.upperBound - 1, ")") ? clause.upperBound - 1 : clause.upperBound
        return statement.commaSeparated(start + 1..<end)
    }

    static func isRequired(_ statement: MySQLStatement, _ column: Range<Int>) -> Bool {
        statement.contains("NOT", "NULL", in: column) && !statement.contains("DEFAULT", in: column)
            && !statement.contains("AUTO_INCREMENT", in: column) && !statement.contains("AS", in: column)
            && !statement.contains("GENERATED", in: column)
    }
}

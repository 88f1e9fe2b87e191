/// `MODIFY` or `CHANGE` of a column of a live MySQL table, which may copy the table.
struct MySQLChangingColumnType: ContentRule {
    static let description = ContentRuleDescription(
        id: "mysql-changing-column-type",
        summary: "Changing a column's type copies the table with ALGORITHM=COPY and blocks writes.",
        rationale: """
            `MODIFY COLUMN` and `CHANGE COLUMN` restate the column's whole definition, and most \
            changes to it (type, length past 255 bytes, charset, NULL to NOT NULL) make MySQL copy \
            the table with ALGORITHM=COPY, blocking writes for as long as the copy takes. The rule \
            does not work out which changes MySQL could do INSTANT or INPLACE, as the column's old \
            definition is not in the file: it fires on every MODIFY and CHANGE of a live table, \
            unless the statement asks for `ALGORITHM=INPLACE` or `ALGORITHM=INSTANT`, with which \
            MySQL refuses a change it would have to copy for. Use an online schema change tool \
            (gh-ost, pt-online-schema-change), or add a new column, backfill it and switch over. \
            Tables created earlier in the file or by a migration no environment has run are left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE orders MODIFY COLUMN total DECIMAL(12, 2) NOT NULL;\n", dialect: .mysql, expectedLine: 1),
            ContentExample("""
                ALTER TABLE orders
                  ADD COLUMN note TEXT,
                  CHANGE state status VARCHAR(32) NOT NULL,
                  LOCK=NONE;
                """, dialect: .mysql, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE orders MODIFY total DECIMAL(12, 2) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;\n", dialect: .mysql),
            ContentExample("""
                -- ALTER TABLE orders MODIFY COLUMN total BIGINT;
                INSERT INTO audit (note) VALUES ('ALTER TABLE orders MODIFY COLUMN total BIGINT');
                """, dialect: .mysql),
            ContentExample("ALTER TABLE orders MODIFY COLUMN total BIGINT;\n", dialect: .mysql, newTables: ["orders"]),
            ContentExample("ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0;\n", dialect: .mysql),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        text.forEachMySQLCommand { part, statement, command, isNew in
            guard case .alterTable(let clauses) = command.kind, !isNew(command.table) else { return }
            let algorithm = statement.alterOption("ALGORITHM", clauses: clauses)
            guard algorithm != "inplace", algorithm != "instant" else { return }
            for clause in clauses where statement.isKeyword(clause.lowerBound, oneOf: ["MODIFY", "CHANGE"]) {
                var name = clause.lowerBound + 1
                if statement.isKeyword(name, "COLUMN") { name += 1 }
                let column = statement.name(at: name) ?? "?"
                hits.append(text.hit(part, statement, token: clause.lowerBound,
                                     message: "Redefining `\(command.table).\(column)` may copy the table and block writes while it does.",
                                     help: "Use gh-ost or pt-online-schema-change, or state ALGORITHM=INPLACE so MySQL refuses to copy."))
            }
        }
        return hits
    }
}

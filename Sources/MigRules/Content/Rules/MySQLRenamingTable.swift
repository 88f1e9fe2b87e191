/// A live MySQL table renamed in place.
struct MySQLRenamingTable: ContentRule {
    static let description = ContentRuleDescription(
        id: "mysql-renaming-table",
        summary: "Renaming a table breaks clients that still use the old name.",
        rationale: """
            `RENAME TABLE` is a quick metadata change, but application servers still running the \
            previous release keep querying the old name until the deploy finishes, and fail. Create \
            the new table (or a view under one of the names), write to both, move readers over, \
            and drop the old one in a later migration. Covers `RENAME TABLE a TO b, …` and `ALTER \
            TABLE a RENAME [TO | AS] b`; a table created earlier in the file or by a migration no \
            environment has run has no clients yet and is left alone.
            """,
        triggering: [
            ContentExample("RENAME TABLE orders TO purchases;\n", dialect: .mysql, expectedLine: 1),
            ContentExample("""
                ALTER TABLE invoices ADD COLUMN note TEXT;
                ALTER TABLE `shop`.`invoices` RENAME AS bills;
                """, dialect: .mysql, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                # RENAME TABLE orders TO purchases;
                INSERT INTO audit (note) VALUES ("RENAME TABLE orders TO purchases");
                """, dialect: .mysql),
            ContentExample("""
                ALTER TABLE orders RENAME COLUMN total TO amount, RENAME INDEX idx_a TO idx_orders_amount;
                """, dialect: .mysql),
            ContentExample("""
                CREATE TABLE orders_new LIKE orders;
                RENAME TABLE orders_new TO orders_v2;
                """, dialect: .mysql),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        text.forEachMySQLCommand { part, statement, command, isNew in
            var renamed: [(table: String, token: Int)] = []
            switch command.kind {
            case .renameTable(let others):
                renamed = [(command.table, command.tableToken)] + others
            case .alterTable(let clauses):
                for clause in clauses where statement.isKeyword(clause.lowerBound, "RENAME")
                    && !statement.isKeyword(clause.lowerBound + 1, oneOf: ["COLUMN", "INDEX", "KEY"]) {
                    renamed.append((command.table, clause.lowerBound))
                }
            default:
                return
            }
            for (table, token) in renamed where !isNew(table) {
                hits.append(text.hit(part, statement, token: token,
                                     message: "Renaming `\(table)` breaks clients that still use the old name.",
                                     help: "Create the new table or a view, move clients over, then drop the old name in a later migration."))
            }
        }
        return hits
    }
}

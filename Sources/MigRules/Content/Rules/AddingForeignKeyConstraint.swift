import MigSQL

/// squawk's `adding-foreign-key-constraint`: a validated foreign key added to a live table,
/// as a table constraint or with a column. Quiet on tables that are new.
struct AddingForeignKeyConstraint: ContentRule {
    static let description = ContentRuleDescription(
        id: "adding-foreign-key-constraint",
        summary: "Adding a validated foreign key locks both tables while every row is checked.",
        rationale: """
            Adding a foreign key takes a SHARE ROW EXCLUSIVE lock on the table and on the table it \
            references, which blocks writes to both, and keeps it while every existing row is \
            looked up in the referenced table. Add the constraint with NOT VALID (new rows are \
            checked at once, the lock is brief), then run VALIDATE CONSTRAINT in a separate \
            transaction: it checks the old rows under a SHARE UPDATE EXCLUSIVE lock that lets \
            writes through. A column added with REFERENCES cannot be NOT VALID: add the column \
            first, then the constraint. A table created by a pending migration or earlier in the \
            file has no rows and is left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE emails ADD CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE emails
                    ADD COLUMN account_id bigint REFERENCES accounts (id);
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                ALTER TABLE emails ADD COLUMN account_id bigint;
                ALTER TABLE emails ADD CONSTRAINT emails_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
                """),
            ContentExample("""
                CREATE TABLE emails (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
                ALTER TABLE emails ADD CONSTRAINT emails_owner_fk FOREIGN KEY (user_id) REFERENCES users (id);
                """),
            ContentExample("ALTER TABLE emails ADD CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n",
                           newTables: ["emails"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["AlterTableStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            for command in SquawkLocks.commands(node) {
                for constraint in SquawkLocks.addedConstraints(command)
                where constraint.string("contype") == "CONSTR_FOREIGN" && constraint.bool("skip_validation") != true {
                    guard tables.isLive(node) else { return }
                    let table = node.string("relation", "relname") ?? "the table"
                    let referenced = constraint.string("pktable", "relname") ?? "the referenced table"
                    hits.append(text.hit(part, statement, node: constraint,
                                         message: "This foreign key blocks writes to `\(table)` and `\(referenced)` while every row of `\(table)` is checked.",
                                         help: "Add the foreign key with NOT VALID, then VALIDATE CONSTRAINT in a separate transaction."))
                }
            }
        }
        return hits
    }
}

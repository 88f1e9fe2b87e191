import MigSQL

/// A MySQL index build on a live table that does not insist on the online algorithm.
struct MySQLIndexWithoutInplaceLockNone: ContentRule {
    static let description = ContentRuleDescription(
        id: "mysql-index-without-inplace-lock-none",
        summary: "CREATE or ADD INDEX without ALGORITHM=INPLACE, LOCK=NONE may copy the table or block writes.",
        rationale: """
            InnoDB builds most secondary indexes online, but only when it can: without \
            `ALGORITHM=INPLACE, LOCK=NONE` MySQL silently falls back to copying the table or to a \
            shared lock (a FULLTEXT or SPATIAL index, a column it must rebuild, an old version), and \
            writes to the table wait for the whole build. Spelling both out makes MySQL refuse \
            the statement instead of blocking, so the deploy fails fast and you can reach for \
            gh-ost or pt-online-schema-change. Covers `CREATE [UNIQUE] INDEX` and `ALTER TABLE … \
            ADD INDEX | KEY | UNIQUE | FULLTEXT | SPATIAL | CONSTRAINT … UNIQUE`; a table created \
            earlier in the file or by a migration no environment has run is empty and left alone.
            """,
        triggering: [
            ContentExample("CREATE INDEX idx_orders_account_id ON orders (account_id);\n", dialect: .mysql, expectedLine: 1),
            ContentExample("""
                -- ALTER TABLE orders ADD INDEX idx_orders_state (state), ALGORITHM=INPLACE, LOCK=NONE;
                ALTER TABLE orders
                  ADD UNIQUE KEY uidx_orders_number (number), ALGORITHM=INPLACE;
                """, dialect: .mysql, expectedLine: 3),
            ContentExample("ALTER TABLE `shop`.`orders` ADD KEY idx_orders_state (state), LOCK=NONE;\n", dialect: .mysql,
                           expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("CREATE INDEX idx_orders_account_id ON orders (account_id) ALGORITHM=INPLACE LOCK=NONE;\n", dialect: .mysql),
            ContentExample("ALTER TABLE orders ADD INDEX idx_orders_state (state), ALGORITHM = INPLACE, LOCK = NONE;\n", dialect: .mysql),
            ContentExample("""
                CREATE TABLE invoices (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL);
                CREATE INDEX idx_invoices_account_id ON invoices (account_id);
                """, dialect: .mysql),
            ContentExample("INSERT INTO audit (note) VALUES ('CREATE INDEX i ON orders (a);');\n", dialect: .mysql),
            ContentExample("CREATE INDEX idx_orders_account_id ON orders (account_id);\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        text.forEachMySQLCommand { part, statement, command, isNew in
            guard !isNew(command.table) else { return }
            let algorithm: String?, lock: String?, place: Int
            switch command.kind {
            case .createIndex(let optionsFrom):
                algorithm = statement.option("ALGORITHM", in: optionsFrom..<statement.tokens.count)
                lock = statement.option("LOCK", in: optionsFrom..<statement.tokens.count)
                place = 0
            case .alterTable(let clauses):
                guard let index = clauses.first(where: { Self.addsIndex(statement, $0) }) else { return }
                algorithm = statement.alterOption("ALGORITHM", clauses: clauses)
                lock = statement.alterOption("LOCK", clauses: clauses)
                place = index.lowerBound
            default:
                return
            }
            guard algorithm != "inplace" || lock != "none" else { return }
            hits.append(text.hit(part, statement, token: place,
                                 message: "This index build on `\(command.table)` may copy the table or block writes until it ends.",
                                 help: "Add `ALGORITHM=INPLACE, LOCK=NONE` so MySQL builds it online or refuses."))
        }
        return hits
    }

    /// `ADD INDEX | KEY | UNIQUE | FULLTEXT | SPATIAL …` or `ADD CONSTRAINT [name] UNIQUE …`.
    static func addsIndex(_ statement: MySQLStatement, _ clause: Range<Int>) -> Bool {
        let first = clause.lowerBound
        guard statement.isKeyword(first, "ADD") else { return false }
        if statement.isKeyword(first + 1, oneOf: ["INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL"]) { return true }
        return statement.isKeyword(first + 1, "CONSTRAINT")
            && (statement.isKeyword(first + 2, "UNIQUE") || statement.isKeyword(first + 3, "UNIQUE"))
    }
}

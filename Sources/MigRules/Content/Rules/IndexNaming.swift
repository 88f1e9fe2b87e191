/// An index named otherwise than `idx_<table>_<columns>`.
struct IndexNaming: ContentRule {
    static let description = ContentRuleDescription(
        id: "index-naming",
        summary: "An index name does not follow `idx_<table>_<columns>`.",
        rationale: """
            Index names show up in lock waits, `pg_stat_user_indexes`, query plans and error \
            messages (`duplicate key value violates unique constraint …`); when a name says which \
            table and columns it covers, whoever reads it at 3 a.m. needs no catalogue lookup, and \
            two migrations cannot create the same index twice under different names unnoticed. An \
            index without a name gets one PostgreSQL makes up. Accepted forms: `idx_<table>_<c1>_<c2>…` \
            with the key columns in index order; `uidx_<table>_<columns>` or the `idx_` form for a \
            UNIQUE index; any suffix after `idx_<table>_` when a key is an expression; and \
            `_<anything>` after the columns for a partial index (`WHERE …`). Names compare without \
            case and without the table's schema.
            """,
        triggering: [
            ContentExample("CREATE INDEX CONCURRENTLY users_email_index ON users (email);\n", expectedLine: 1),
            ContentExample("""
                CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, created_at timestamptz);
                CREATE INDEX ON orders (account_id);
                """, expectedLine: 2),
            ContentExample("CREATE INDEX CONCURRENTLY idx_orders_created_at_account_id ON orders (account_id, created_at);\n",
                           expectedLine: 1),
            ContentExample("CREATE INDEX CONCURRENTLY uidx_orders_number ON orders (number);\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("CREATE INDEX CONCURRENTLY idx_orders_account_id_created_at ON public.orders (account_id, created_at);\n"),
            ContentExample("CREATE UNIQUE INDEX CONCURRENTLY uidx_users_email ON users (email);\n"),
            ContentExample("CREATE UNIQUE INDEX CONCURRENTLY idx_users_email ON users (email);\n"),
            ContentExample("CREATE INDEX CONCURRENTLY idx_users_lower_email ON users (lower(email));\n"),
            ContentExample("CREATE INDEX CONCURRENTLY idx_jobs_run_at_pending ON jobs (run_at) WHERE state = 'pending';\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements {
                guard statement.type == "IndexStmt", let node = statement.node,
                      let table = node.string("relation", "relname")?.lowercased() else { continue }
                var columns: [String] = []
                var hasExpression = false
                for element in node.elements("indexParams") ?? [] {
                    if let column = element.string("IndexElem", "name") {
                        columns.append(column.lowercased())
                    } else {
                        hasExpression = true
                    }
                }
                let expected = "idx_\(table)_" + columns.joined(separator: "_")
                guard let name = node.string("idxname") else {
                    hits.append(text.hit(part, statement, message: "This index has no name, so PostgreSQL makes one up.",
                                         help: "Name it `\(expected)`."))
                    continue
                }
                if Self.accepts(name.lowercased(), table: table, columns: columns, unique: node.bool("unique") == true,
                                hasExpression: hasExpression, isPartial: node["whereClause"] != nil) { continue }
                hits.append(text.hit(part, statement, message: "The index `\(name)` does not follow `idx_<table>_<columns>`.",
                                     help: "Name it `\(expected)`\(hasExpression ? "…" : "")."))
            }
        }
        return hits
    }

    static func accepts(_ name: String, table: String, columns: [String], unique: Bool, hasExpression: Bool,
                        isPartial: Bool) -> Bool {
        let prefixes = unique ? ["idx_", "uidx_"] : ["idx_"]
        return prefixes.contains { prefix in
            let tablePrefix = prefix + table + "_"
            guard name.hasPrefix(tablePrefix) else { return false }
            if hasExpression { return name.count > tablePrefix.count }
            let exact = tablePrefix + columns.joined(separator: "_")
            return name == exact || (isPartial && name.hasPrefix(exact + "_"))
        }
    }
}

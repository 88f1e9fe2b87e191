import MigSQL

/// A foreign key whose columns lead no index, primary key or unique constraint of the same file.
struct UnindexedForeignKey: ContentRule {
    static let description = ContentRuleDescription(
        id: "unindexed-foreign-key",
        summary: "A foreign key column has no index, so deletes on the parent table scan the child.",
        rationale: """
            PostgreSQL indexes the referenced side of a foreign key, never the referencing one. \
            Each DELETE of a parent row, or UPDATE of its key, then scans the whole child table to \
            check for (or cascade to) referencing rows, holding its locks meanwhile, and joins from \
            parent to child scan too. Create an index whose leading columns are the foreign key's \
            columns (`CREATE INDEX CONCURRENTLY idx_<table>_<columns> ON <table> (<columns>)`) in \
            the same migration. The rule sees only the file: an index, primary key or unique \
            constraint created anywhere in its up part, whose first columns are the foreign key's \
            in any order, covers it; an index made by an earlier migration cannot be seen, so \
            suppress the finding with a reason naming it.
            """,
        triggering: [
            ContentExample("""
                CREATE TABLE order_items (
                  id bigint PRIMARY KEY,
                  order_id bigint NOT NULL REFERENCES orders (id)
                );
                """, expectedLine: 3),
            ContentExample("""
                ALTER TABLE invoices ADD CONSTRAINT invoices_account_fk
                  FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
                CREATE INDEX CONCURRENTLY idx_invoices_created_at_account_id ON invoices (created_at, account_id);
                """, expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("""
                CREATE TABLE order_items (
                  id bigint PRIMARY KEY,
                  order_id bigint NOT NULL REFERENCES orders (id)
                );
                CREATE INDEX idx_order_items_order_id ON order_items (order_id);
                """),
            ContentExample("""
                CREATE TABLE memberships (
                  team_id bigint REFERENCES teams (id),
                  user_id bigint REFERENCES users (id),
                  PRIMARY KEY (user_id, team_id)
                );
                CREATE INDEX idx_memberships_team_id ON memberships (team_id);
                """),
            ContentExample("""
                CREATE INDEX CONCURRENTLY idx_invoices_account_id_created_at ON invoices (account_id, created_at);
                ALTER TABLE invoices ADD CONSTRAINT invoices_account_fk
                  FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        /// Each foreign key, by its part's index and its offset; names come folded.
        var keys: [(part: Int, offset: Int, table: String, columns: [String])] = []
        /// Per table, the columns of each index, primary key and unique constraint; compared
        /// only for tables that have a foreign key, which keeps files of many indexes cheap.
        var indexed: [String: [[String]]] = [:]
        func index(_ table: String, _ columns: [String]) {
            indexed[table, default: []].append(columns)
        }
        let parts = text.upParts
        for (partIndex, part) in parts.enumerated() {
            for statement in part.statements {
                guard let node = statement.node else { continue }
                switch statement.type {
                case "IndexStmt":
                    guard let table = node.string("relation", "relname") else { continue }
                    index(table, (node.elements("indexParams") ?? []).map { $0.string("IndexElem", "name") ?? "" })
                case "CreateStmt", "AlterTableStmt":
                    guard statement.mentions("references", in: part) || statement.mentions("primary", in: part)
                            || statement.mentions("unique", in: part),
                          let table = node.string("relation", "relname") else { continue }
                    /// A constraint of the table, or of the column `column`.
                    func consider(_ constraint: PGNode, column: String?) {
                        let type = constraint.string("contype")
                        let isForeign = type == "CONSTR_FOREIGN"
                        guard isForeign || type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" else { return }
                        let columns = column.map { [$0] }
                            ?? (constraint[isForeign ? "fk_attrs" : "keys"]?.elements ?? []).compactMap { $0.string("String", "sval") }
                        if isForeign {
                            keys.append((partIndex, constraint.location ?? statement.statement.range.lowerBound, table, columns))
                        } else {
                            index(table, columns)
                        }
                    }
                    func consider(constraint: PGNode?, columnDefinition: PGNode?) {
                        if let constraint { consider(constraint, column: nil) }
                        guard let constraints = columnDefinition?.elements("constraints"), !constraints.isEmpty,
                              let column = columnDefinition?.string("colname") else { return }
                        for element in constraints {
                            if let constraint = element["Constraint"] { consider(constraint, column: column) }
                        }
                    }
                    for element in node.elements("tableElts") ?? [] {
                        consider(constraint: element["Constraint"], columnDefinition: element["ColumnDef"])
                    }
                    for command in node.elements("cmds") ?? [] {
                        let definition = command["AlterTableCmd"]?["def"]
                        consider(constraint: definition?["Constraint"], columnDefinition: definition?["ColumnDef"])
                    }
                default:
                    continue
                }
            }
        }
        return keys.compactMap { key in
            let wanted = Set(key.columns)
            guard !key.columns.isEmpty, !(indexed[key.table] ?? []).contains(where: { columns in
                columns.count >= key.columns.count && Set(columns.prefix(key.columns.count)) == wanted
            }) else { return nil }
            let list = key.columns.joined(separator: ", ")
            return text.hit(parts[key.part], at: key.offset,
                            message: "No index in this migration leads with the foreign key's columns (\(list)) on `\(key.table)`.",
                            help: "Create an index on `\(key.table)` (\(list)) in the same migration.")
        }
    }
}

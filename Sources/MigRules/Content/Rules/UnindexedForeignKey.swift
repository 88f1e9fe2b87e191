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
        var keys: [(part: SQLPart, statement: LintStatement, constraint: PGNode, table: String, columns: [String])] = []
        /// Per table, the leading columns of each index, primary key and unique constraint, each
        /// prefix sorted and joined, so a foreign key's lookup is one set query.
        var indexed: [String: Set<String>] = [:]
        func index(_ table: String, _ columns: [String]) {
            for length in columns.indices {
                indexed[table, default: []].insert(columns[...length].sorted().joined(separator: ","))
            }
        }
        for part in text.upParts {
            for statement in part.statements {
                guard let node = statement.node else { continue }
                switch statement.type {
                case "IndexStmt":
                    guard let table = Self.table(node) else { continue }
                    let columns = (node["indexParams"]?.elements ?? []).map { $0["IndexElem"]?["name"]?.string ?? "" }
                    index(table, columns.map { $0.lowercased() })
                case "CreateStmt", "AlterTableStmt":
                    guard let table = Self.table(node) else { continue }
                    var constraints: [(constraint: PGNode, column: String?)] = []
                    for element in node["tableElts"]?.elements ?? [] {
                        constraints += Self.constraints(table: element["Constraint"], column: element["ColumnDef"])
                    }
                    for command in node["cmds"]?.elements ?? [] where command["AlterTableCmd"]?["subtype"]?.string == "AT_AddColumn"
                        || command["AlterTableCmd"]?["subtype"]?.string == "AT_AddConstraint" {
                        let definition = command["AlterTableCmd"]?["def"]
                        constraints += Self.constraints(table: definition?["Constraint"], column: definition?["ColumnDef"])
                    }
                    for (constraint, column) in constraints {
                        let columns = column.map { [$0] }
                            ?? (constraint[constraint["contype"]?.string == "CONSTR_FOREIGN" ? "fk_attrs" : "keys"]?.elements ?? [])
                                .compactMap { $0["String"]?["sval"]?.string?.lowercased() }
                        switch constraint["contype"]?.string {
                        case "CONSTR_FOREIGN":
                            keys.append((part, statement, constraint, table, columns))
                        case "CONSTR_PRIMARY", "CONSTR_UNIQUE":
                            index(table, columns)
                        default:
                            continue
                        }
                    }
                default:
                    continue
                }
            }
        }
        return keys.compactMap { key in
            guard !key.columns.isEmpty,
                  indexed[key.table]?.contains(key.columns.sorted().joined(separator: ",")) != true else { return nil }
            let list = key.columns.joined(separator: ", ")
            return text.hit(key.part, key.statement, node: key.constraint,
                            message: "No index in this migration leads with the foreign key's columns (\(list)) on `\(key.table)`.",
                            help: "Create an index on `\(key.table)` (\(list)) in the same migration.")
        }
    }

    private static func table(_ node: PGNode) -> String? {
        node["relation"]?["relname"]?.string?.lowercased()
    }

    /// A table constraint, or the constraints of a column definition with the column's name.
    private static func constraints(table: PGNode?, column: PGNode?) -> [(constraint: PGNode, column: String?)] {
        if let table { return [(table, nil)] }
        guard let column, let name = column["colname"]?.string?.lowercased() else { return [] }
        return (column["constraints"]?.elements ?? []).compactMap { element in element["Constraint"].map { ($0, name) } }
    }
}

import MigSQL

/// Schema changes to tables that have nothing to do with each other, in one up migration.
struct OneChangePerMigration: ContentRule {
    static let description = ContentRuleDescription(
        id: "one-change-per-migration",
        summary: "One migration makes several unrelated schema changes.",
        rationale: """
            A migration that changes several unrelated tables takes the locks of all of them, \
            often inside one transaction, so a lock queue on any one table stalls the others; when \
            one change fails the whole set rolls back or, without a transaction, stops halfway; \
            and a reviewer, or a rollback, cannot take one change without the others. Make one \
            migration per change. The rule groups the statements that create, alter, index, rename \
            or drop tables by table: indexes, constraints and columns of a table count as that \
            table's change, a foreign key from one table to another links the two (a table \
            created with its child tables is one change), a table renamed is one with its new \
            name, and the tables of one DROP TABLE are one change. Statements on other objects (types, \
            functions, extensions) are not counted.
            """,
        triggering: [
            ContentExample("""
                ALTER TABLE users ADD COLUMN nickname text;
                ALTER TABLE orders ADD COLUMN note text;
                """, expectedLine: 2),
            ContentExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric NOT NULL);
                CREATE INDEX idx_invoices_total ON invoices (total);
                DROP TABLE legacy_reports;
                """, expectedLine: 3),
            ContentExample("""
                ALTER TABLE invoices RENAME TO bills;
                ALTER TABLE bills ADD COLUMN note text;
                DROP TABLE legacy_bills, legacy_bill_lines;
                """, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint NOT NULL);
                CREATE INDEX idx_invoices_account_id ON invoices (account_id);
                ALTER TABLE invoices ADD CONSTRAINT invoices_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
                """),
            ContentExample("""
                ALTER TABLE invoices RENAME TO bills;
                ALTER TABLE bills ADD COLUMN note text;
                """),
            ContentExample("DROP TABLE legacy_bills, legacy_bill_lines;\n"),
            ContentExample("""
                CREATE TABLE orders (id bigint PRIMARY KEY);
                CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
                """),
            ContentExample("""
                CREATE TYPE mood AS ENUM ('happy', 'sad');
                ALTER TABLE users ADD COLUMN mood mood;
                ALTER INDEX users_mood_index RENAME TO idx_users_mood;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var groups = TableGroups()
        /// Each statement on a table, by its part's index and its offset; names come folded.
        var touches: [(part: Int, offset: Int, table: String)] = []
        func link(_ table: String, constraint: PGNode?, column: PGNode?) {
            if let referenced = constraint?.string("pktable", "relname") { groups.join(table, referenced) }
            for element in column?.elements("constraints") ?? [] {
                if let referenced = element.string("Constraint", "pktable", "relname") { groups.join(table, referenced) }
            }
        }
        let parts = text.upParts
        for (partIndex, part) in parts.enumerated() {
            for statement in part.statements {
                guard let type = statement.type, let node = statement.node else { continue }
                let offset = statement.statement.range.lowerBound
                switch type {
                case "CreateStmt", "IndexStmt", "RenameStmt", "AlterTableStmt":
                    if type == "RenameStmt", node.string("renameType") != "OBJECT_TABLE",
                       node.string("relationType") != "OBJECT_TABLE" { continue }
                    if type == "AlterTableStmt", node.string("objtype") != "OBJECT_TABLE" { continue }
                    guard let table = node.string("relation", "relname") else { continue }
                    touches.append((partIndex, offset, table))
                    groups.add(table)
                    if type == "RenameStmt", node.string("renameType") == "OBJECT_TABLE", let newName = node.string("newname") {
                        groups.join(table, newName)
                    }
                    guard statement.mentions("references", in: part) else { continue }
                    for element in node.elements("tableElts") ?? [] {
                        link(table, constraint: element["Constraint"], column: element["ColumnDef"])
                    }
                    for command in node.elements("cmds") ?? [] {
                        let definition = command["AlterTableCmd"]?["def"]
                        link(table, constraint: definition?["Constraint"], column: definition?["ColumnDef"])
                    }
                case "DropStmt":
                    guard node.string("removeType") == "OBJECT_TABLE" else { continue }
                    var first: String?
                    for object in node.elements("objects") ?? [] {
                        guard let table = object.elements("List", "items")?.last?.string("String", "sval") else { continue }
                        touches.append((partIndex, offset, table))
                        groups.add(table)
                        if let first { groups.join(first, table) } else { first = table }
                    }
                default:
                    continue
                }
            }
        }
        guard let first = touches.first else { return [] }
        let root = groups.root(first.table)
        guard let unrelated = touches.first(where: { groups.root($0.table) != root }) else { return [] }
        return [text.hit(parts[unrelated.part], at: unrelated.offset,
                         message: "This migration also changes `\(unrelated.table)`, which is unrelated to `\(first.table)` changed before it.",
                         help: "Move each unrelated table change into a migration of its own.")]
    }
}

/// Tables joined into groups by the foreign keys between them (a union-find over names).
private struct TableGroups {
    private var parent: [String: String] = [:]

    mutating func add(_ table: String) {
        if parent[table] == nil { parent[table] = table }
    }

    mutating func join(_ table: String, _ other: String) {
        add(other)
        let (a, b) = (root(table), root(other))
        if a != b { parent[b] = a }
    }

    /// The group's representative; every table on the way is pointed at it, so chains stay short
    /// however many tables a file links.
    mutating func root(_ table: String) -> String {
        var current = table
        while let next = parent[current], next != current { current = next }
        var step = table
        while let next = parent[step], next != current {
            parent[step] = current
            step = next
        }
        return current
    }
}

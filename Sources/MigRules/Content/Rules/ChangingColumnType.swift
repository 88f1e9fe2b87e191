import MigSQL

/// squawk's `changing-column-type`, without its false alarms: PostgreSQL changes the type in
/// the catalog alone, with no rewrite, for varchar to text, a wider or unbounded varchar, a
/// numeric of more precision and the same scale, and cidr to inet. The column's old type is
/// known when the file added or retyped it earlier; otherwise a string type is taken for one
/// of those widenings, the common case (DESIGN §5), and a numeric or inet one is reported with
/// the old type under which it would not rewrite. Quiet on tables that are new.
struct ChangingColumnType: ContentRule {
    static let description = ContentRuleDescription(
        id: "changing-column-type",
        summary: "Changing a column's type rewrites the table under an exclusive lock and can break clients.",
        rationale: """
            ALTER COLUMN … TYPE takes an ACCESS EXCLUSIVE lock, which blocks reads and writes, and \
            for most changes (int to bigint, text to integer, timestamp to timestamptz, any USING \
            expression that computes) rewrites the table and rebuilds its indexes under it: \
            minutes to hours on a large table. Clients that read the old type may break too. \
            Changes that are only a catalog update are not reported: varchar(n) to text or to a \
            wider or unbounded varchar, numeric(p,s) to a larger precision with the same scale or \
            to unbounded numeric, cidr to inet. For a real change, add a new column, fill it in \
            batches (and keep it in step with a trigger), then switch readers over and drop the \
            old column. A table created by a pending migration or earlier in the file is left \
            alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE events ALTER COLUMN id TYPE bigint;\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE users ADD COLUMN nickname varchar(64);
                ALTER TABLE users ALTER COLUMN nickname TYPE varchar(32);
                """, expectedLine: 2),
            ContentExample("""
                ALTER TABLE users
                    ALTER COLUMN email TYPE text USING lower(email);
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                ALTER TABLE users ALTER COLUMN name TYPE text;
                ALTER TABLE users ALTER COLUMN bio TYPE varchar(500);
                ALTER TABLE users ALTER COLUMN title TYPE varchar USING title::varchar;
                """),
            ContentExample("""
                ALTER TABLE prices ADD COLUMN amount numeric(10, 2), ADD COLUMN client cidr;
                ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12, 2), ALTER COLUMN client TYPE inet;
                """),
            ContentExample("""
                CREATE TABLE counters (id integer PRIMARY KEY);
                ALTER TABLE counters ALTER COLUMN id TYPE bigint;
                """),
            ContentExample("ALTER TABLE counters ALTER COLUMN id TYPE bigint;\n", newTables: ["counters"]),
        ])

    /// A column type as far as rewrites go: its name and integer modifiers.
    struct ColumnType: Equatable {
        let name: String
        let modifiers: [Int]

        init?(_ typeName: PGNode?) {
            guard let typeName, let name = SquawkLocks.lastName(typeName["names"]) else { return nil }
            self.name = typeName["arrayBounds"] == nil ? name : name + "[]"
            modifiers = (typeName.elements("typmods") ?? []).compactMap(SquawkLocks.integer)
        }

        /// The name as migrations write it: `bigint` rather than the catalog's `int8`.
        var spelled: String {
            let names = ["int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real",
                         "float8": "double precision", "bool": "boolean", "bpchar": "char"]
            let isArray = name.hasSuffix("[]")
            let element = isArray ? String(name.dropLast(2)) : name
            let base = names[element] ?? element
            let sized = modifiers.isEmpty ? base : base + "(" + modifiers.map(String.init).joined(separator: ", ") + ")"
            return isArray ? sized + "[]" : sized
        }

        /// Whether PostgreSQL keeps the stored values as they are when the type goes from
        /// `self` to `new`.
        func keepsValues(becoming new: ColumnType) -> Bool {
            if self == new { return true }
            switch (name, new.name) {
            case ("varchar", "text"), ("cidr", "inet"):
                return true
            case ("text", "varchar"):
                return new.modifiers.isEmpty
            case ("varchar", "varchar"), ("varbit", "varbit"):
                return new.modifiers.isEmpty || (modifiers.count == 1 && new.modifiers.count == 1 && new.modifiers[0] >= modifiers[0])
            case ("numeric", "numeric"):
                guard !new.modifiers.isEmpty else { return true }
                guard modifiers.count == 2, new.modifiers.count == 2 else { return false }
                return new.modifiers[1] == modifiers[1] && new.modifiers[0] >= modifiers[0]
            default:
                return false
            }
        }
    }

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        // Types the file gave columns, as `table.column`.
        var known: [String: ColumnType] = [:]
        SquawkLocks.forEach(in: text, of: ["AlterTableStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            var table: String { node.string("relation", "relname") ?? "the table" }
            for command in SquawkLocks.commands(node) {
                switch command.string("subtype") {
                case "AT_AddColumn":
                    let column = command["def"]?["ColumnDef"]
                    if let name = column?.string("colname") {
                        known[table.lowercased() + "." + name] = ColumnType(column?["typeName"])
                    }
                case "AT_AlterColumnType":
                    let name = command.string("name") ?? "the column"
                    guard let definition = command["def"]?["ColumnDef"], let new = ColumnType(definition["typeName"]) else { continue }
                    let key = table.lowercased() + "." + name
                    let old = known[key]
                    known[key] = new
                    guard let problem = Self.problem(from: old, to: new, column: name, using: definition["raw_default"]),
                          tables.isLive(node) else { continue }
                    hits.append(text.hit(part, statement, node: definition,
                                         message: "Changing `\(name)` to \(new.spelled) \(problem.reason) `\(table)` while blocking reads and writes\(problem.caveat).",
                                         help: "Add a new column of the new type, backfill it in batches, switch readers to it, then drop `\(name)`."))
                default:
                    break
                }
            }
        }
        return hits
    }

    /// Why the change rewrites the table, and when it would not, or nil when it is a catalog
    /// update.
    static func problem(from old: ColumnType?, to new: ColumnType, column: String,
                        using: PGNode?) -> (reason: String, caveat: String)? {
        if let using, !isPlainReference(using, to: column) { return ("with a computed USING expression rewrites", "") }
        if let old { return old.keepsValues(becoming: new) ? nil : ("rewrites", "") }
        switch new.name {
        case "text", "varchar": return nil
        case "numeric" where new.modifiers.count == 2:
            return ("rewrites", ", unless the column is already a numeric of scale \(new.modifiers[1]) and no more precision")
        case "numeric": return ("rewrites", ", unless the column is already a numeric")
        case "inet": return ("rewrites", ", unless the column is a cidr")
        default: return ("rewrites", "")
        }
    }

    /// `USING column` or `USING column::type`, which add nothing to the type change itself.
    static func isPlainReference(_ expression: PGNode, to column: String) -> Bool {
        let reference = expression["TypeCast"]?["arg"] ?? expression
        return SquawkLocks.lastName(reference["ColumnRef"]?["fields"]) == column
    }
}

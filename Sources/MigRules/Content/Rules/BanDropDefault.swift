/// squawk's `ban-drop-default`, on live columns only: a column added earlier in the same part
/// (the usual add-with-default, then drop-default backfill) has no client relying on it yet.
struct BanDropDefault: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-default",
        summary: "Dropping a column default breaks clients that insert without the column.",
        rationale: """
            `ALTER COLUMN … DROP DEFAULT` is instant, but every INSERT that leaves the column out \
            relied on the default: on a NOT NULL column it now fails, otherwise it silently \
            stores NULL. Running application servers, background jobs and other services keep \
            inserting the old way until they are redeployed. First deploy code that always sets \
            the column, then drop the default in a later migration.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER TABLE orders ALTER COLUMN currency DROP DEFAULT,\n  ALTER COLUMN note DROP DEFAULT;\n", expectedLine: 2),
            ContentExample("ALTER DOMAIN order_state DROP DEFAULT;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active';\n"),
            ContentExample("""
                ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
                ALTER TABLE users ALTER COLUMN plan DROP DEFAULT;
                """),
            ContentExample("ALTER TABLE imports ALTER COLUMN state DROP DEFAULT;\n", newTables: ["imports"]),
            ContentExample("""
                -- migrate:up
                ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active';
                -- migrate:down
                ALTER TABLE users ALTER COLUMN status DROP DEFAULT;
                """, path: "db/migrations/20240105093000_status_default.sql", format: .dbmate),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits = text.liveTableCommands("AT_ColumnDefault").compactMap { found -> RuleHit? in
            guard found.command["def"] == nil, let column = found.command.string("name"),
                  !Self.isAdded(column: column, of: found.table, before: found.statement, in: found.part) else { return nil }
            return text.hit(found.part, found.statement,
                            message: "Dropping the default of `\(found.table).\(column)` breaks clients that insert without it.",
                            help: "Deploy code that always sets the column first, then drop the default in a later migration.")
        }
        // A domain's default is the default of every column of that domain.
        for part in text.upParts {
            for statement in part.statements where statement.type == "AlterDomainStmt" {
                guard let node = statement.node, node.string("subtype") == "T", node["def"] == nil else { continue }
                let domain = node.elements("typeName")?.last?.string("String", "sval") ?? "?"
                hits.append(text.hit(part, statement,
                                     message: "Dropping the default of domain `\(domain)` breaks clients that insert without its columns.",
                                     help: "Deploy code that always sets those columns first, then drop the default in a later migration."))
            }
        }
        return hits
    }

    /// Whether an ALTER TABLE earlier in the part adds the column.
    static func isAdded(column: String, of table: String, before statement: LintStatement, in part: SQLPart) -> Bool {
        part.statements[...statement.index].contains { earlier in
            guard earlier.type == "AlterTableStmt", earlier.node?.string("relation", "relname") == table else { return false }
            return earlier.node?.elements("cmds")?.contains { command in
                command.string("AlterTableCmd", "subtype") == "AT_AddColumn"
                    && command.string("AlterTableCmd", "def", "ColumnDef", "colname") == column
            } ?? false
        }
    }
}

import MigSQL

/// squawk's `ban-duplicate-column-assignments`: a column set twice in UPDATE … SET (also
/// through `(a, b) = …`) or in ON CONFLICT … DO UPDATE SET, listed twice in an INSERT's
/// columns, or defined twice in CREATE TABLE. Assignments to different fields of one
/// composite column (`c.x = 1, c.y = 2`) are fine. Every part: the statement fails wherever it is.
struct BanDuplicateColumnAssignments: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-duplicate-column-assignments",
        summary: "An UPDATE or INSERT assigns the same column twice and fails.",
        rationale: """
            PostgreSQL rejects a statement that assigns one column twice (`multiple assignments \
            to same column`) or lists it twice, but only when it runs: in a data migration that \
            is usually halfway through a deploy, after the statements before it have changed \
            the database, and a copy-paste slip in a long SET list is easy to miss in review. \
            The same goes for a column defined twice in CREATE TABLE. Assign (and define) each \
            column once; when two expressions were meant, combine them into one.
            """,
        triggering: [
            ContentExample("UPDATE users\nSET status = 'active',\n    status = 'pending'\nWHERE id = 1;\n", expectedLine: 3),
            ContentExample("INSERT INTO users (id, email, email) VALUES (1, 'a@example.com', 'b@example.com');\n", expectedLine: 1),
            ContentExample("UPDATE orders SET (total, tax) = (10, 2), total = 12;\n", expectedLine: 1),
            ContentExample("""
                INSERT INTO counters (name, hits) VALUES ('home', 1)
                ON CONFLICT (name) DO UPDATE SET hits = counters.hits + 1, hits = 0;
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("UPDATE users SET status = 'active', activated_at = now() WHERE id = 1;\n"),
            ContentExample("UPDATE places SET location.x = 1, location.y = 2;\n"),
            ContentExample("INSERT INTO users (id, email) VALUES (1, 'a@example.com');\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.parts {
            for statement in part.statements {
                guard let node = statement.node else { continue }
                let lists: [[PGNode]]
                switch statement.type {
                case "UpdateStmt":
                    lists = [node.elements("targetList") ?? []]
                case "InsertStmt":
                    lists = [node.elements("cols") ?? [], node.elements("onConflictClause", "targetList") ?? []]
                case "CreateStmt":
                    lists = [node.elements("tableElts") ?? []]
                default:
                    continue
                }
                for duplicate in lists.compactMap(Self.duplicate(in:)) {
                    hits.append(text.hit(part, statement, node: duplicate.node,
                                         message: "Column `\(duplicate.name)` is assigned more than once; PostgreSQL rejects the statement.",
                                         help: "Assign each column once."))
                }
            }
        }
        return hits
    }

    /// The first assignment to a column that an earlier one in `targets` already assigns
    /// whole: `ResTarget`s (SET items, INSERT columns) or `ColumnDef`s. Assignments to
    /// different fields or elements of one column (`c.x`, `c.y`) do not clash.
    static func duplicate(in targets: [PGNode]) -> (name: String, node: PGNode)? {
        // Lists are short: arrays beat hashing.
        var whole: [String] = [], partial: [String] = []
        for target in targets {
            if let column = target["ColumnDef"], let name = column.string("colname") {
                if whole.contains(name) { return (name, target) }
                whole.append(name)
            } else if let target = target["ResTarget"], let name = target.string("name") {
                if target["indirection"] != nil {
                    if whole.contains(name) { return (name, target) }
                    partial.append(name)
                } else {
                    if whole.contains(name) || partial.contains(name) { return (name, target) }
                    whole.append(name)
                }
            }
        }
        return nil
    }
}

/// squawk's `require-enum-value-ordering`.
struct RequireEnumValueOrdering: ContentRule {
    static let description = ContentRuleDescription(
        id: "require-enum-value-ordering",
        summary: "ALTER TYPE ... ADD VALUE without BEFORE or AFTER puts the value at an arbitrary place in the sort order.",
        rationale: """
            An enum sorts by declaration order, not alphabetically: `ORDER BY`, `<`, `max()` \
            and range checks like `status >= 'shipped'` all use it. `ADD VALUE` without a \
            position appends the value after every existing one, which is seldom where it \
            belongs among states or levels, and moving it later means recreating the type. \
            State the place with `BEFORE` or `AFTER`, even when the end is right (`AFTER` the \
            current last value), so the choice is deliberate and reviewed.
            """,
        triggering: [
            ContentExample("ALTER TYPE order_status ADD VALUE 'refunded';\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER TYPE severity ADD VALUE IF NOT EXISTS 'critical';\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'delivered';\n"),
            ContentExample("ALTER TYPE severity ADD VALUE IF NOT EXISTS 'notice' BEFORE 'warning';\n"),
            ContentExample("ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements where statement.type == "AlterEnumStmt" {
                guard let node = statement.node, let value = node.string("newVal"), node["oldVal"] == nil,
                      node["newValNeighbor"] == nil else { continue }
                hits.append(text.hit(part, statement,
                                     message: "ADD VALUE '\(value)' without BEFORE or AFTER sorts it after every existing value.",
                                     help: "Say where the value belongs with BEFORE or AFTER an existing value."))
            }
        }
        return hits
    }
}

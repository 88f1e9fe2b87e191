/// squawk's `ban-drop-schema`, for objects that exist before the migration: one created earlier in the
/// same part has no clients yet.
struct BanDropSchema: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-schema",
        summary: "Dropping a schema loses every object in it.",
        rationale: """
            `DROP SCHEMA … CASCADE` drops every table, view, sequence, type and function in the \
            schema, with all their data, in one statement that is easy to misread in review; \
            without `CASCADE` it fails unless the schema is empty. Retire the objects one by one \
            (each drop reviewed on its own), then drop the empty schema without `CASCADE`.
            """,
        triggering: [
            ContentExample("DROP SCHEMA reporting CASCADE;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP SCHEMA IF EXISTS legacy, staging;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE SCHEMA IF NOT EXISTS reporting;\n"),
            ContentExample("CREATE SCHEMA scratch;\nDROP SCHEMA scratch;\n"),
            ContentExample("ALTER SCHEMA reporting OWNER TO app;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_SCHEMA"],
                      message: { "Dropping schema \($0) loses it, and with CASCADE every table, view and function in it." },
                      help: "Move or retire the objects in the schema first, each in its own reviewed migration, then drop the empty schema.")
    }
}

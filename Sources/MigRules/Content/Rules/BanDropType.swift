/// squawk's `ban-drop-type`, for objects that exist before the migration: one created earlier in the
/// same part has no clients yet.
struct BanDropType: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-type",
        summary: "Dropping a type breaks the columns and functions that use it.",
        rationale: """
            `DROP TYPE` fails while columns use the type, and `CASCADE` drops those columns with \
            their data together with the functions that take or return it; clients that cast to \
            the type by name (`$1::mood`) or map it (enum types in ORMs) break at once. Move \
            columns and functions to the replacement type first, then drop the old type in a \
            later migration.
            """,
        triggering: [
            ContentExample("DROP TYPE mood;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP TYPE IF EXISTS order_status CASCADE;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE TYPE mood AS ENUM ('happy', 'sad');\n"),
            ContentExample("CREATE TYPE tmp_pair AS (a int, b int);\nDROP TYPE tmp_pair;\n"),
            ContentExample("DROP DOMAIN IF EXISTS old_email;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_TYPE"],
                      message: { "Dropping type \($0) breaks the columns, functions and clients that use it." },
                      help: "Move columns and functions off the type first, then drop it in a later migration.")
    }
}

/// squawk's `ban-drop-extension`, for objects that exist before the migration: one created earlier in the
/// same part has no clients yet.
struct BanDropExtension: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-extension",
        summary: "Dropping an extension removes the types and functions that depend on it.",
        rationale: """
            `DROP EXTENSION` removes the types, functions, operators and index methods the \
            extension installed; it fails while columns or indexes use them, and `CASCADE` drops \
            those columns and indexes along with their data. Queries that call its functions \
            (`gen_random_uuid`, `similarity`, PostGIS) fail at once. Remove the uses first and \
            drop the extension in a later migration, if at all.
            """,
        triggering: [
            ContentExample("DROP EXTENSION pg_trgm;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP EXTENSION IF EXISTS postgis CASCADE;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"),
            ContentExample("CREATE EXTENSION hstore;\nDROP EXTENSION hstore;\n"),
            ContentExample("DROP INDEX CONCURRENTLY IF EXISTS users_name_trgm_idx;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_EXTENSION"],
                      message: { "Dropping extension \($0) removes its types, functions and operators, and whatever uses them." },
                      help: "Remove every use of the extension first (columns, indexes, functions), then drop it in a later migration.")
    }
}

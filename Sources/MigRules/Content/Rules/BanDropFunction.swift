/// squawk's `ban-drop-function`, for functions that exist before the migration: one created
/// earlier in the same part has no clients yet, and one dropped and created again in a
/// transaction (to change its return type) is replaced, not removed.
struct BanDropFunction: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-function",
        summary: "Dropping a function breaks the callers that still use it.",
        rationale: """
            Application queries, triggers, column defaults, views and other services call \
            functions by name: after `DROP FUNCTION` they fail at their next call (`CASCADE` \
            silently drops the triggers and defaults too). Replace a function in place with \
            `CREATE OR REPLACE FUNCTION` when its signature stays, or add the new one, move the \
            callers over, and drop the old one in a later migration.
            """,
        triggering: [
            ContentExample("DROP FUNCTION set_updated_at();\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP PROCEDURE IF EXISTS archive_orders(int) CASCADE;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE OR REPLACE FUNCTION one() RETURNS int AS 'SELECT 1' LANGUAGE sql;\n"),
            ContentExample("CREATE FUNCTION tmp_fill() RETURNS void AS 'SELECT 1' LANGUAGE sql;\nSELECT tmp_fill();\nDROP FUNCTION tmp_fill();\n"),
            ContentExample("DROP TRIGGER IF EXISTS users_touch ON users;\n"),
            ContentExample("""
                DROP FUNCTION user_count();
                CREATE FUNCTION user_count() RETURNS bigint AS 'SELECT count(*) FROM users' LANGUAGE sql;
                """, path: "db/migrations/V7__user_count_bigint.sql", format: .flyway),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE", "OBJECT_AGGREGATE"], replaceable: true,
                      message: { "Dropping function \($0) breaks the queries, triggers and defaults that call it." },
                      help: "Deploy callers that no longer use the function first, then drop it in a later migration.")
    }
}

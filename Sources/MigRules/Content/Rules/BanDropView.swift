/// squawk's `ban-drop-view`, for views that exist before the migration: one created earlier in
/// the same part has no clients yet, and one dropped and created again in a transaction (how
/// scenic and hand-written migrations change a view's columns) is replaced, not removed.
struct BanDropView: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-view",
        summary: "Dropping a view breaks the clients that query it.",
        rationale: """
            Application queries, reports and other views select from views by name: after \
            `DROP VIEW` they fail (`CASCADE` silently drops the dependent views too), and a \
            materialized view also loses its stored rows. To change a view, use `CREATE OR \
            REPLACE VIEW` when its columns stay compatible, or drop and create it again in one \
            transaction; to retire one, move its readers first and drop it in a later migration.
            """,
        triggering: [
            ContentExample("DROP VIEW active_users;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP MATERIALIZED VIEW IF EXISTS daily_sales CASCADE;\n", expectedLine: 2),
            ContentExample("DROP VIEW active_users;\nCREATE VIEW active_users AS SELECT id, email FROM users WHERE active;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("CREATE OR REPLACE VIEW active_users AS SELECT id FROM users WHERE active;\n"),
            ContentExample("CREATE VIEW tmp_report AS SELECT 1 AS one;\nDROP VIEW tmp_report;\n"),
            ContentExample("DROP TABLE IF EXISTS import_rows;\n", newTables: ["import_rows"]),
            ContentExample("""
                BEGIN;
                DROP VIEW active_users;
                CREATE VIEW active_users AS SELECT id, email FROM users WHERE active;
                COMMIT;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_VIEW", "OBJECT_MATVIEW"], replaceable: true,
                      message: { "Dropping view \($0) breaks the clients and views that query it." },
                      help: "Change a view in place with CREATE OR REPLACE VIEW, or drop it only after no deployed code queries it.")
    }
}

/// squawk's `ban-drop-table`, on live tables only: a table created earlier in the same part,
/// or by a migration no environment has run, has no clients and no data yet.
struct BanDropTable: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-table",
        summary: "Dropping a table breaks clients that still use it and loses its data.",
        rationale: """
            `DROP TABLE` waits for an ACCESS EXCLUSIVE lock, so it queues behind every running \
            query and blocks all that come after it; once it commits, every application server \
            that still queries the table fails and the rows are gone (`CASCADE` also drops the \
            views and foreign keys that depend on it). Retire a table in steps: deploy code that \
            no longer touches it, wait until no old server runs, keep a backup or rename it \
            aside, and drop it in a later migration.
            """,
        triggering: [
            ContentExample("DROP TABLE legacy_sessions;\n", expectedLine: 1),
            ContentExample("CREATE TABLE scratch (id bigint);\nDROP TABLE IF EXISTS scratch, audit_log CASCADE;\n", expectedLine: 2),
            ContentExample("DO $$ BEGIN\n  EXECUTE 'DROP TABLE old_events';\nEND $$;\n", expectedLine: 2),
            ContentExample("""
                class DropLegacySessions < ActiveRecord::Migration[7.1]
                  def up
                    execute "DROP TABLE legacy_sessions"
                  end
                end
                """, path: "db/migrate/20240105093000_drop_legacy_sessions.rb", format: .rails, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("CREATE TABLE scratch (id bigint);\nINSERT INTO scratch VALUES (1);\nDROP TABLE scratch;\n"),
            ContentExample("DROP TABLE IF EXISTS import_batches;\n", newTables: ["import_batches"]),
            ContentExample("""
                -- migrate:up
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                -- migrate:down
                DROP TABLE invoices;
                """, path: "db/migrations/20240105093000_create_invoices.sql", format: .dbmate),
            ContentExample("DROP VIEW active_users;\nDROP INDEX CONCURRENTLY users_email_idx;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"],
                      message: { "Dropping table \($0) breaks clients that still use it and loses its data." },
                      help: "Deploy code that no longer uses the table first, then drop it in a later migration, after a backup.")
    }
}

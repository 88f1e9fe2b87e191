/// `DROP TABLE` of a live MySQL table.
struct MySQLBanDropTable: ContentRule {
    static let description = ContentRuleDescription(
        id: "mysql-ban-drop-table",
        summary: "Dropping a table breaks clients that still use it and loses its data.",
        rationale: """
            Application servers still running the previous release query the table until the \
            deploy finishes and fail once it is gone; its rows are gone too, and no down migration \
            brings them back. Dropping a large table can also stall the server while InnoDB frees \
            its pages. Stop using the table in one release, keep it (or rename it aside and back it \
            up) for a while, then drop it in a later migration. `DROP TEMPORARY TABLE`, and a table \
            created earlier in the file or by a migration no environment has run, are left alone.
            """,
        triggering: [
            ContentExample("DROP TABLE legacy_reports;\n", dialect: .mysql, expectedLine: 1),
            ContentExample("""
                /* DROP TABLE x; in a comment */ SELECT 1;
                DROP TABLE IF EXISTS `reports`.`daily`, weekly;
                """, dialect: .mysql, expectedLine: 2),
            ContentExample("""
                class DropLegacyReports < ActiveRecord::Migration[7.1]
                  def up
                    execute "DROP TABLE legacy_reports"
                  end
                end
                """, path: "db/migrate/20240105093000_drop_legacy_reports.rb", format: .rails, dialect: .mysql, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("-- DROP TABLE legacy_reports;\n# DROP TABLE legacy_reports;\nSELECT 1;\n", dialect: .mysql),
            ContentExample("INSERT INTO audit (note) VALUES ('DROP TABLE legacy_reports;');\n", dialect: .mysql),
            ContentExample("""
                CREATE TABLE scratch (id INT);
                DROP TABLE scratch;
                DROP TEMPORARY TABLE tmp_ids;
                """, dialect: .mysql),
            ContentExample("""
                -- migrate:up
                CREATE TABLE reports (id BIGINT PRIMARY KEY);
                -- migrate:down
                DROP TABLE reports;
                """, format: .dbmate, dialect: .mysql),
            ContentExample("DROP TABLE legacy_reports;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        text.forEachMySQLCommand { part, statement, command, isNew in
            guard case .dropTable(let others) = command.kind else { return }
            for (table, token) in [(command.table, command.tableToken)] + others where !isNew(table) {
                hits.append(text.hit(part, statement, token: token,
                                     message: "Dropping `\(table)` breaks clients that still use it and loses its data.",
                                     help: "Stop using the table in one release, then drop it in a later migration."))
            }
        }
        return hits
    }
}

import MigFormats
import Testing

@Suite struct VagueNamesTests {
    @Test(arguments: [
        "update", "fix", "migration", "change", "changes", "test", "tmp", "temp", "wip", "misc", "stuff", "new", "data",
        "schema", "UPDATE", "Fix", "updates", "fixed", "migrations",
        // Numbered variants, and names made only of such words.
        "update2", "fix_1", "fix-2", "wip.3", "v2", "fix_update", "update_data", "schema_changes", "changes_v2", "FixStuff",
        "more_fixes", "fix_the_data", "x", "",
        // Django's makemigrations falls back to `auto_<date>_<time>`.
        "auto_20240105_1234",
    ])
    func vague(name: String) {
        #expect(VagueNames.isVague(name))
        #expect(VagueNames.isVague(name, isFirst: true))
    }

    @Test(arguments: [
        "add_status_to_users", "update_user_status", "fix_orders_total", "create_users", "backfill_slugs", "AddStatusToUsers",
        "SQLFixOrders", "drop_legacy_tables", "add.index", "users2", "update_users_v2", "seed_plans",
    ])
    func descriptive(name: String) {
        #expect(!VagueNames.isVague(name))
    }

    /// `init`, `initial` and `baseline` name a set's first migration, and nothing after it.
    @Test func openingNames() {
        for name in ["initial", "init", "0001_initial", "initial_schema", "init_db", "baseline", "Initial"] {
            #expect(!VagueNames.isVague(name, isFirst: true), "\(name)")
            #expect(VagueNames.isVague(name), "\(name)")
        }
        #expect(!VagueNames.isVague("initial_users"))
        #expect(VagueNames.isVague("update", isFirst: true))
    }
}

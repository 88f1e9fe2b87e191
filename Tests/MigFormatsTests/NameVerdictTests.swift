import MigCore
import MigFormats
import Testing

/// File names, as the hook sees them below a set's folder, and what each format makes of them.
@Suite struct NameVerdictTests {
    typealias Table = [(path: RepoPath, verdict: NameVerdict)]

    static func path(_ text: String) -> RepoPath { RepoPath(text) }

    /// `text` with `byte` in place of `?`: names that are not UTF-8.
    static func path(_ text: String, byte: UInt8) -> RepoPath {
        RepoPath(bytes: Array(text.utf8).map { $0 == UInt8(ascii: "?") ? byte : $0 })
    }

    static func migration(_ version: String, _ name: String, down: Bool = false) -> NameVerdict {
        .migration(version: version, name: name, isDown: down)
    }

    static func backup(_ suffix: String) -> NameVerdict {
        .misnamed(reason: "is a `\(suffix)` copy; the tool skips it, so delete it or restore the name")
    }

    func expect(_ kind: MigrationFormatKind, _ table: Table, in folder: RepoPath?,
                sourceLocation: SourceLocation = #_sourceLocation) {
        let format = MigrationFormats.format(for: kind)
        for (path, verdict) in table {
            #expect(format.nameVerdict(ofFileAt: path, in: folder) == verdict, "\(path)", sourceLocation: sourceLocation)
        }
    }

    @Test func rails() {
        let refused = NameVerdict.misnamed(reason: "Rails refuses this name: after `<digits>_` only lowercase letters, digits and `_` may follow")
        let noPrefix = NameVerdict.misnamed(reason: "has no `<digits>_` version prefix; Rails only runs files named `<digits>_<snake_name>.rb`")
        expect(.rails, [
            (Self.path("20240105093000_add_status_to_users.rb"), Self.migration("20240105093000", "add_status_to_users")),
            (Self.path("002_legacy_step.rb"), Self.migration("002", "legacy_step")),
            // Rails globs subfolders too, and allows one `.scope` before `.rb`.
            (Self.path("archive/20220101000000_old_thing.rb"), Self.migration("20220101000000", "old_thing")),
            (Self.path("20240201000000_scoped_name.animals.rb"), Self.migration("20240201000000", "scoped_name")),
            (Self.path("2024_add users.rb"), refused),
            (Self.path("20240102_AddThing.rb"), refused),
            (Self.path("20240101000000_a.b.c.rb"), refused),
            (Self.path("20240103000000_caf?.rb", byte: 0xE9), refused),
            (Self.path("add_users.rb"), noPrefix),
            (Self.path("20240101_foo.rb.orig"), Self.backup(".orig")),
            (Self.path("1_x.rb~"), Self.backup("~")),
            (Self.path("schema.rb.orig"), Self.backup(".orig")),
            (Self.path("schema.rb"), .ignored), (Self.path("seeds.rb"), .ignored), (Self.path("structure.sql"), .ignored),
            (Self.path(".keep"), .ignored), (Self.path("README.md"), .ignored), (Self.path("notes.yml"), .ignored),
            (Self.path("notes.txt.bak"), .ignored),
        ], in: RepoPath("db/migrate"))
    }

    static let djangoNoNumber = NameVerdict.misnamed(reason: "has no `NNNN_` number; name it `<NNNN>_<name>.py` as makemigrations does")
    static let djangoSubfolder = NameVerdict.misnamed(reason: "is in a subfolder of migrations/; Django only loads migrations from the folder itself")

    @Test func djangoApp() {
        expect(.django, [
            (Self.path("0001_initial.py"), Self.migration("0001", "initial")),
            (Self.path("0002_helpers.py"), Self.migration("0002", "helpers")),
            (Self.path("add_thing.py"), Self.djangoNoNumber),
            (Self.path("old/0001_moved.py"), Self.djangoSubfolder),
            (Self.path("0001_ok.py.orig"), Self.backup(".orig")),
            // Django's loader skips modules starting with `_` or `~`.
            (Self.path("_private.py"), .ignored), (Self.path("~0003_draft.py"), .ignored),
            (Self.path("__init__.py"), .ignored), (Self.path("__pycache__/0001_ok.cpython-312.pyc"), .ignored),
            (Self.path("0003_x.sql"), .ignored), (Self.path("README.md"), .ignored),
        ], in: RepoPath("shop/migrations"))
    }

    @Test func djangoProject() {
        expect(.django, [
            (Self.path("shop/migrations/0001_initial.py"), Self.migration("0001", "initial")),
            (Self.path("shop/migrations/add_thing.py"), Self.djangoNoNumber),
            (Self.path("shop/migrations/old/0002_x.py"), Self.djangoSubfolder),
            (Self.path("shop/migrations/0001_initial.py.bak"), Self.backup(".bak")),
            (Self.path("shop/migrations/__init__.py"), .ignored),
            // An app may sit at the project folder itself.
            (Self.path("migrations/0001_initial.py"), Self.migration("0001", "initial")),
            // Project code around the apps is no concern, whatever its name.
            (Self.path("manage.py"), .ignored), (Self.path("0001_top.py"), .ignored), (Self.path("shop/models.py"), .ignored),
            (Self.path("shop/models.py.orig"), .ignored), (Self.path("shop/old/0001_x.py"), .ignored),
        ], in: RepoPath("backend"))
    }

    /// Without the folder, the path's shape stands for it: a file directly in it is in one
    /// app's `migrations/`, any other in a project.
    @Test func djangoWithoutFolder() {
        expect(.django, [
            (Self.path("0001_initial.py"), Self.migration("0001", "initial")),
            (Self.path("shop/migrations/0002_x.py"), Self.migration("0002", "x")),
            (Self.path("manage.py"), Self.djangoNoNumber),
            (Self.path("shop/models.py"), .ignored),
            (Self.path("shop/migrations/old/0002_x.py"), Self.djangoSubfolder),
        ], in: nil)
    }

    @Test func flyway() {
        let uppercase = NameVerdict.misnamed(reason: "Flyway's prefixes are uppercase: `V`, `U` or `R`")
        let skipped = NameVerdict.misnamed(reason: "Flyway skips it: name it `V<version>__<description>.sql` or `R__<description>.sql`")
        let version = NameVerdict.misnamed(reason: "the version must be digits separated by `.` or `_`, as in `V1.2__add_users.sql`")
        expect(.flyway, [
            (Self.path("V1__create_users.sql"), Self.migration("1", "create_users")),
            (Self.path("V1.2.9__add_email.sql"), Self.migration("1.2.9", "add_email")),
            (Self.path("V1_2_10__backfill.sql"), Self.migration("1_2_10", "backfill")),
            (Self.path("2024/V2__nested.sql"), Self.migration("2", "nested")),
            (Self.path("U1.2.9__add_email.sql"), Self.migration("1.2.9", "add_email", down: true)),
            (Self.path("R__users_view.sql"), .repeatable(name: "users_view")),
            (Self.path("V1_add.sql"), .misnamed(reason: "needs `__` (two underscores) between the version and the description")),
            (Self.path("R1__versioned_repeatable.sql"),
             .misnamed(reason: "a repeatable migration has no version: name it `R__<description>.sql`")),
            (Self.path("v2__lower.sql"), uppercase), (Self.path("r__view.sql"), uppercase),
            (Self.path("add_users.sql"), skipped),
            (Self.path("V1a__letters.sql"), version), (Self.path("V__no_version.sql"), version),
            (Self.path(".sql"), .misnamed(reason: "has no name before `.sql`")),
            (Self.path("V1__x.sql.bak"), Self.backup(".bak")),
            // Callbacks, per-script settings and configuration are not migrations.
            (Self.path("afterMigrate.sql"), .ignored), (Self.path("beforeEachMigrate__log.sql"), .ignored),
            (Self.path("V3__ok.sql.conf"), .ignored), (Self.path("flyway.conf"), .ignored), (Self.path("README.md"), .ignored),
        ], in: RepoPath("db/migration"))
    }

    @Test func golangMigrate() {
        let skipped = NameVerdict.misnamed(reason: "golang-migrate skips it: name it `<version>_<title>.up.sql` and `.down.sql`")
        let subfolder = NameVerdict.misnamed(reason: "is in a subfolder; golang-migrate reads only the migrations folder itself")
        expect(.golangMigrate, [
            (Self.path("000001_create_users.up.sql"), Self.migration("000001", "create_users")),
            (Self.path("000001_create_users.down.sql"), Self.migration("000001", "create_users", down: true)),
            (Self.path("000010_add.index.up.sql"), Self.migration("000010", "add.index")),
            (Self.path("6_with space.up.sql"), Self.migration("6", "with space")),
            (Self.path("7_f?.up.sql", byte: 0xE9), Self.migration("7", "f\\xE9")),
            (Self.path("2_no_direction.sql"), skipped), (Self.path("up.sql"), skipped),
            (Self.path("nested/4_deep.up.sql"), subfolder), (Self.path("nested/notes.sql"), subfolder),
            (Self.path("3_x.up.sql.orig"), Self.backup(".orig")),
            (Self.path("nested/notes.yml"), .ignored), (Self.path("migrate.go"), .ignored), (Self.path("README.md"), .ignored),
        ], in: RepoPath("migrations"))
    }

    @Test func dbmate() {
        expect(.dbmate, [
            (Self.path("20240101000000_create_users.sql"), Self.migration("20240101000000", "create_users")),
            (Self.path("create_x.sql"), .misnamed(reason: "dbmate skips it: name it `<version>_<name>.sql`")),
            (Self.path("sub/20240103_nested.sql"), .misnamed(reason: "is in a subfolder; dbmate reads only the migrations folder itself")),
            (Self.path("20240101_ok.sql.orig"), Self.backup(".orig")),
            // `schema.sql` is dbmate's dump.
            (Self.path("schema.sql"), .ignored), (Self.path("sub/schema.sql"), .ignored),
            (Self.path("README.md"), .ignored), (Self.path("notes.yml"), .ignored),
        ], in: RepoPath("db/migrations"))
    }

    @Test func prisma() {
        let onlyScripts = NameVerdict.misnamed(reason: "Prisma applies only `<timestamp>_<name>/migration.sql`")
        expect(.prisma, [
            (Self.path("20240101120000_init/migration.sql"), Self.migration("20240101120000", "init")),
            (Self.path("manual_fix/migration.sql"),
             .misnamed(reason: "its folder needs a `<timestamp>_<name>` name, as `prisma migrate dev` creates")),
            (Self.path("stray.sql"), onlyScripts), (Self.path("20240101120000_init/extra/migration.sql"), onlyScripts),
            (Self.path("20240101120000_init/migration.sql.orig"), Self.backup(".orig")),
            // Companions of a script, and the lock file, are no concern by name.
            (Self.path("20240103120000_add_posts/down.sql"), .ignored), (Self.path("20240105120000_forgot/steps.json"), .ignored),
            (Self.path("20240102120000_seed_roles/README.md"), .ignored), (Self.path("20240104120000_empty/notes.txt.orig"), .ignored),
            (Self.path("migration_lock.toml"), .ignored),
        ], in: RepoPath("prisma/migrations"))
    }

    @Test func plainSQL() {
        let noVersion = NameVerdict.misnamed(reason: "has no version: name it `<timestamp>_<name>.sql`")
        expect(.sql, [
            (Self.path("001_ok.sql"), Self.migration("001", "ok")),
            (Self.path("20240103000000_add_index.up.sql"), Self.migration("20240103000000", "add_index")),
            (Self.path("20240103000000_add_index.down.sql"), Self.migration("20240103000000", "add_index", down: true)),
            (Self.path("20240105000000-dashed-name.sql"), Self.migration("20240105000000", "dashed-name")),
            (Self.path("schema/20240101000000_create_orders.sql"), Self.migration("20240101000000", "create_orders")),
            (Self.path("nested deeper/003_spaced name.sql"), Self.migration("003", "spaced name")),
            (Self.path("add_users.sql"), noVersion), (Self.path("V1__flyway_style.sql"), noVersion),
            (Self.path("001_ok.sql~"), Self.backup("~")),
            // Dumps and seeds kept beside migrations.
            (Self.path("seeds.sql"), .ignored), (Self.path("seed.sql"), .ignored), (Self.path("schema.sql"), .ignored),
            (Self.path("data/structure.sql"), .ignored), (Self.path("README.md"), .ignored), (Self.path("notes.yml"), .ignored),
        ], in: RepoPath("migrations"))
    }

    /// Alembic keeps revision ids in the code: by name every `.py` among the revisions is one,
    /// its version read by the default template `<rev>_<slug>.py`.
    @Test func alembic() {
        let table: Table = [
            (Self.path("versions/ae1027a6acf_add_users.py"), Self.migration("ae1027a6acf", "add_users")),
            (Self.path("versions/sub/b_x.py"), Self.migration("b", "x")),
            // A date-first template hides the revision from the name; `discover` reads it.
            (Self.path("versions/2024_01_02_dddd_with_date.py"), Self.migration("2024", "01_02_dddd_with_date")),
            (Self.path("a.py"), Self.migration("a", "a")),
            (Self.path("helpers.py"), Self.migration("helpers", "helpers")),
            (Self.path("versions/a_ok.py.bak"), Self.backup(".bak")),
            (Self.path("env.py"), .ignored), (Self.path("script.py.mako"), .ignored), (Self.path("README"), .ignored),
            (Self.path("alembic.ini"), .ignored), (Self.path("other/c_x.py"), .ignored),
            (Self.path("versions/__init__.py"), .ignored), (Self.path("versions/.#a_ok.py"), .ignored),
            (Self.path("versions/__pycache__/a_ok.cpython-312.pyc"), .ignored), (Self.path("versions/README"), .ignored),
        ]
        expect(.alembic, table, in: RepoPath("alembic"))
        expect(.alembic, table, in: nil)
        // A folder that is `versions/` itself holds revisions in its subfolders too.
        expect(.alembic, [(Self.path("other/c_x.py"), Self.migration("c", "x"))], in: RepoPath("alembic/versions"))
    }

    /// The ledger's role is the verdict without the folder, down and undo files included.
    @Test func roleFollowsTheVerdict() {
        let flyway = FlywayFormat()
        #expect(flyway.role(ofFileAt: RepoPath("U1__a.sql")) == .migration(version: "1"))
        #expect(flyway.role(ofFileAt: RepoPath("R__v.sql")) == .repeatable)
        #expect(flyway.role(ofFileAt: RepoPath("V1_a.sql")) == .other)
        #expect(flyway.role(ofFileAt: RepoPath("afterMigrate.sql")) == .other)
        // A backup of a golang-migrate file is no migration, whatever its inner `.up.`.
        #expect(GolangMigrateFormat().role(ofFileAt: RepoPath("1_a.up.sql.orig")) == .other)
        // A Django file that is a migration in either kind of folder keeps its role.
        let django = DjangoFormat()
        #expect(django.role(ofFileAt: RepoPath("0001_initial.py")) == .migration(version: "0001"))
        #expect(django.role(ofFileAt: RepoPath("shop/migrations/0002_x.py")) == .migration(version: "0002"))
        #expect(django.role(ofFileAt: RepoPath("manage.py")) == .other)
    }
}

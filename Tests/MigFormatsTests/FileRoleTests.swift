import MigCore
import MigFormats
import Testing

/// The name-only classifier must agree with discovery, which reads the files.
@Suite struct FileRoleTests {
    static let trees: [(MigrationFormatKind, String, [String: String])] = [
        (.rails, "db/migrate", [
            "db/migrate/20240101000000_a.rb": RailsFormatTests.change, "db/migrate/sub/002_b.rb": RailsFormatTests.change,
            "db/migrate/schema.rb": "", "db/migrate/add_users.rb": "", "db/migrate/1_x.rb.orig": "",
        ]),
        (.alembic, "alembic", [
            "alembic/versions/ae10_add.py": AlembicFormatTests.revision("ae10", down: "None"),
            "alembic/env.py": "", "alembic/versions/__init__.py": "", "alembic/versions/README": "",
        ]),
        (.django, "", [
            "shop/migrations/0001_initial.py": DjangoFormatTests.migration(operations: DjangoFormatTests.addField),
            "shop/migrations/__init__.py": "", "shop/migrations/add_thing.py": "", "shop/migrations/old/0002_x.py": "",
        ]),
        (.flyway, "db", [
            "db/V1__a.sql": "CREATE TABLE a (b int);", "db/U1__a.sql": "DROP TABLE a;", "db/R__v.sql": "SELECT 1;",
            "db/afterMigrate.sql": "", "db/V1_bad.sql": "", "db/flyway.conf": "",
        ]),
        (.golangMigrate, "m", [
            "m/1_a.up.sql": "CREATE TABLE a (b int);", "m/1_a.down.sql": "DROP TABLE a;",
            "m/2_b.sql": "", "m/sub/3_c.up.sql": "", "m/README.md": "",
        ]),
        (.dbmate, "m", ["m/20240101_a.sql": "-- migrate:up\nSELECT 1;\n", "m/schema.sql": "", "m/a.sql": "", "m/s/1_b.sql": ""]),
        (.prisma, "p", [
            "p/20240101_a/migration.sql": "SELECT 1;", "p/migration_lock.toml": "", "p/x.sql": "", "p/20240101_a/README.md": "",
        ]),
        (.sql, "m", [
            "m/schema/1_a.up.sql": "CREATE TABLE a (b int);", "m/schema/1_a.down.sql": "DROP TABLE a;",
            "m/data/2_b.sql": "INSERT INTO a VALUES (1);", "m/seeds.sql": "", "m/x.sql": "",
        ]),
    ]

    @Test(arguments: trees)
    func rolesAgreeWithDiscovery(kind: MigrationFormatKind, folder: String, files: [String: String]) throws {
        let format = MigrationFormats.format(for: kind)
        let found = try discover(kind, MemoryTree(files), in: folder)
        let root = RepoPath(folder)
        func role(_ path: RepoPath) -> MigrationFileRole { format.role(ofFileAt: path.relative(to: root)!) }
        #expect(!found.migrations.isEmpty)
        for migration in found.migrations {
            let expected: MigrationFileRole = migration.details.flyway?.isRepeatable == true
                ? .repeatable : .migration(version: migration.version)
            for file in migration.files {
                #expect(role(file.path) == expected, "\(file.path)")
            }
        }
        for path in found.ignored + found.misnamed.map(\.path) {
            #expect(role(path) == .other, "\(path)")
        }
    }
}

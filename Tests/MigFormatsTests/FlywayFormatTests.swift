import MigCore
import MigFormats
import Testing

@Suite struct FlywayFormatTests {
    @Test func versionedUndoAndRepeatable() throws {
        let tree = MemoryTree([
            "db/migration/V1__create_users.sql": "CREATE TABLE users (id bigint);",
            "db/migration/V1.2.9__add_email.sql": "ALTER TABLE users ADD email text;",
            "db/migration/V1_2_10__backfill.sql": "UPDATE users SET email = '';",
            "db/migration/2024/V2__nested.sql": "CREATE INDEX i ON users (email);",
            "db/migration/U1.2.9__add_email.sql": "ALTER TABLE users DROP email;",
            "db/migration/U2__nested.sql": "-- nothing to undo\n",
            "db/migration/R__users_view.sql": "CREATE OR REPLACE VIEW v AS SELECT 1;",
            "db/migration/R__audit_view.sql": "CREATE OR REPLACE VIEW a AS SELECT 1;",
        ])
        let found = try discover(.flyway, tree, in: "db/migration")
        #expect(found.paths == [
            "db/migration/V1__create_users.sql", "db/migration/V1.2.9__add_email.sql", "db/migration/V1_2_10__backfill.sql",
            "db/migration/2024/V2__nested.sql", "db/migration/R__audit_view.sql", "db/migration/R__users_view.sql",
        ])
        let addEmail = try #require(found.migration("db/migration/V1.2.9__add_email.sql"))
        #expect(addEmail.version == "1.2.9")
        #expect(addEmail.name == "add_email")
        let undo = try #require(tree.files(under: RepoPath("db/migration")).first { $0.path == RepoPath("db/migration/U1.2.9__add_email.sql") })
        #expect(addEmail.down == .separateFile(undo))
        #expect(addEmail.details.flyway == FlywayInfo(isRepeatable: false, undo: undo))
        #expect(addEmail.files.map(\.path.description) == ["db/migration/V1.2.9__add_email.sql", "db/migration/U1.2.9__add_email.sql"])
        #expect(found.migration("db/migration/V1_2_10__backfill.sql")?.version == "1_2_10")
        #expect(found.migration("db/migration/V1_2_10__backfill.sql")?.kind == .data)
        #expect(found.migration("db/migration/V1__create_users.sql")?.down == .missing)
        guard case .empty(.file(let emptyUndo))? = found.migration("db/migration/2024/V2__nested.sql")?.down else {
            Issue.record("an undo with only comments is an empty down")
            return
        }
        #expect(emptyUndo.path == RepoPath("db/migration/U2__nested.sql"))
        let view = try #require(found.migration("db/migration/R__users_view.sql"))
        #expect(view.down == .notApplicable)
        #expect(view.details.flyway?.isRepeatable == true)
        #expect(view.version == "")
        #expect(found.problems.isEmpty && found.misnamed.isEmpty && found.ignored.isEmpty)
    }

    @Test func misnamedIgnoredAndProblems() throws {
        let tree = MemoryTree([
            "m/V1__ok.sql": "SELECT 1;",
            "m/V1_add.sql": "", "m/V1__x.sql.bak": "", "m/add_users.sql": "", "m/v2__lower.sql": "",
            "m/V1a__letters.sql": "", "m/R1__versioned_repeatable.sql": "",
            "m/V3__ok.sql.conf": "executeInTransaction=false", "m/afterMigrate.sql": "VACUUM;", "m/flyway.conf": "",
            "m/U9__orphan.sql": "DROP TABLE x;",
        ])
        let found = try discover(.flyway, tree, in: "m")
        #expect(found.paths == ["m/V1__ok.sql"])
        #expect(found.misnamedPaths == [
            "m/R1__versioned_repeatable.sql", "m/V1__x.sql.bak", "m/V1_add.sql", "m/V1a__letters.sql", "m/add_users.sql", "m/v2__lower.sql",
        ])
        #expect(found.misnamed.first { $0.path == RepoPath("m/V1_add.sql") }?.message.contains("two underscores") == true)
        #expect(found.ignoredPaths == ["m/V3__ok.sql.conf", "m/afterMigrate.sql", "m/flyway.conf"])
        #expect(found.problemPaths == ["m/U9__orphan.sql"])
    }

    @Test func nonUTF8ContentIsStillAMigration() throws {
        var tree = MemoryTree()
        tree.add(RepoPath("m/V1__latin.sql"), bytes: Array("INSERT INTO t VALUES ('caf".utf8) + [0xE9] + Array("');".utf8))
        let found = try discover(.flyway, tree, in: "m")
        #expect(found.migrations.first?.kind == .data)
        #expect(found.problems.isEmpty)
    }
}

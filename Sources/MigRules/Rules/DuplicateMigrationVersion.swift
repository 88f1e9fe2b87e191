import MigCore
public struct DuplicateMigrationVersion: Rule {
    public static let description = RuleDescription(
        id: "duplicate-migration-version",
        summary: "Two migrations of one set share a version.",
        rationale: """
            Tools key migrations by version: with two files on one version, one of them is never run \
            (Rails, golang-migrate) or the run fails (Flyway, Django's conflicting leaves). It happens \
            when two branches pick the same number.
            """,
        triggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        change: ["db/migrations/20240101000000_create_orders.sql": "CREATE TABLE orders (id bigint);\n"],
                        expectedPath: "db/migrations/20240101000000_create_orders.sql"),
            RuleExample(format: .flyway, folder: "sql",
                        before: ["sql/V2__add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n"],
                        change: ["sql/V2.0__add_name.sql": "ALTER TABLE users ADD COLUMN name text;\n"],
                        expectedPath: "sql/V2.0__add_name.sql"),
        ],
        nonTriggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        change: ["db/migrations/20240102000000_create_orders.sql": "CREATE TABLE orders (id bigint);\n"]),
            RuleExample(format: .golangMigrate, folder: "migrations",
                        change: ["migrations/000001_create_users.up.sql": "CREATE TABLE users (id bigint);\n",
                                 "migrations/000001_create_users.down.sql": "DROP TABLE users;\n"]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard subject.isNewName, !subject.sameVersion.isEmpty,
              case .migration(let version, _, _) = subject.verdict else { return [] }
        let others = subject.sameVersion.map(\.description).joined(separator: ", ")
        return [RuleHit(message: "Version \(version) is also used by \(others).",
                        help: "Give this migration a version of its own (a new timestamp or the next number).")]
    }
}

import MigCore
import MigFormats

public struct OutOfOrderMigration: Rule {
    public static let description = RuleDescription(
        id: "out-of-order-migration",
        summary: "A new migration is older than the newest one an environment has already run.",
        rationale: """
            Most tools refuse or skip a migration whose version sorts before the newest applied one \
            (Flyway fails validation, Rails and golang-migrate apply it out of order or never): it \
            usually comes from a long-lived branch merged after newer migrations were deployed.
            """,
        triggering: [
            RuleExample(before: ["db/migrations/20240301000000_add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n"],
                        deployed: ["production": ["db/migrations/20240301000000_add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n"]],
                        change: ["db/migrations/20240201000000_add_name.sql": "ALTER TABLE users ADD COLUMN name text;\n"],
                        expectedPath: "db/migrations/20240201000000_add_name.sql"),
            RuleExample(format: .flyway, folder: "sql",
                        before: ["sql/V1.10__add_index.sql": "CREATE INDEX CONCURRENTLY i ON t (c);\n"],
                        deployed: ["staging": ["sql/V1.10__add_index.sql": "CREATE INDEX CONCURRENTLY i ON t (c);\n"]],
                        change: ["sql/V1.9__add_column.sql": "ALTER TABLE t ADD COLUMN d text;\n"],
                        expectedPath: "sql/V1.9__add_column.sql"),
        ],
        nonTriggering: [
            RuleExample(before: ["db/migrations/20240301000000_add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n"],
                        deployed: ["production": ["db/migrations/20240301000000_add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n"]],
                        change: ["db/migrations/20240401000000_add_name.sql": "ALTER TABLE users ADD COLUMN name text;\n"]),
            RuleExample(format: .flyway, folder: "sql",
                        before: ["sql/V1.9__add_column.sql": "ALTER TABLE t ADD COLUMN d text;\n"],
                        deployed: ["staging": ["sql/V1.9__add_column.sql": "ALTER TABLE t ADD COLUMN d text;\n"]],
                        change: ["sql/V1.10__add_index.sql": "CREATE INDEX CONCURRENTLY i ON t (c);\n"]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard subject.isNewName, subject.deployments.isEmpty,
              case .migration(let version, _, _) = subject.verdict else { return [] }
        let key = VersionKey(parsing: version)
        let ahead = subject.newestDeployed.filter { VersionKey(parsing: $0.version) > key }
        guard !ahead.isEmpty else { return [] }
        let list = ahead.map { "\($0.environment) has run \($0.version) (\($0.path.fileName))" }.joined(separator: ", ")
        return [RuleHit(
            message: "Version \(version) sorts before migrations that already ran: \(list).",
            help: "Give the migration a new version after \(ahead.map(\.version).max() ?? version) (rename it with a current timestamp).",
            environments: ahead.map(\.environment))]
    }
}

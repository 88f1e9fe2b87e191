import MigCore
public struct DeletedDeployedMigration: Rule {
    public static let description = RuleDescription(
        id: "deleted-deployed-migration",
        summary: "A migration that an environment has already run was deleted.",
        rationale: """
            The environments that ran it keep its tables and columns, while databases built from the \
            repository no longer get them: schemas drift apart, and the tool's bookkeeping (a \
            `schema_migrations` row, Flyway's checksum table) names a file that no longer exists.
            """,
        triggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        deployed: ["production": ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"]],
                        change: ["db/migrations/20240101000000_create_users.sql": nil],
                        expectedPath: "db/migrations/20240101000000_create_users.sql"),
            RuleExample(format: .golangMigrate, folder: "migrations",
                        before: ["migrations/000001_create_users.up.sql": "CREATE TABLE users (id bigint);\n",
                                 "migrations/000001_create_users.down.sql": "DROP TABLE users;\n"],
                        deployed: ["staging": ["migrations/000001_create_users.down.sql": "DROP TABLE users;\n"]],
                        change: ["migrations/000001_create_users.down.sql": nil],
                        expectedPath: "migrations/000001_create_users.down.sql"),
        ],
        nonTriggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        change: ["db/migrations/20240101000000_create_users.sql": nil]),
            RuleExample(before: ["db/migrations/README.md": "notes\n"],
                        deployed: ["production": ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"]],
                        change: ["db/migrations/README.md": nil]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard subject.change == .deleted, !subject.deployments.isEmpty else { return [] }
        return [RuleHit(
            message: "This migration was deleted although \(subject.deployments.map(\.summary).joined(separator: ", ")) ran it.",
            help: "Restore the file; to undo what it did, write a new migration.",
            environments: subject.deployments.map(\.environment))]
    }
}

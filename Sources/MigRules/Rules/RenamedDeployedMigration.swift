import MigCore
public struct RenamedDeployedMigration: Rule {
    public static let description = RuleDescription(
        id: "renamed-deployed-migration",
        summary: "A migration that an environment has already run was renamed or moved.",
        rationale: """
            Tools key migrations by name or version: under its new name the tool sees a migration it \
            has never run and runs it again (Flyway, dbmate, plain SQL runners), or loses track of the \
            one it ran (Rails, Django), and fresh databases and old ones diverge.
            """,
        triggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        deployed: ["production": ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"]],
                        change: [:],
                        renames: ["db/migrations/20240101000000_create_users.sql": "db/migrations/20240101000000_create_accounts.sql"],
                        expectedPath: "db/migrations/20240101000000_create_accounts.sql"),
            RuleExample(format: .flyway, folder: "sql",
                        before: ["sql/V1__init.sql": "CREATE TABLE users (id bigint);\n"],
                        deployed: ["production": ["sql/V1__init.sql": "CREATE TABLE users (id bigint);\n"]],
                        change: [:], renames: ["sql/V1__init.sql": "sql/v1/V1__init.sql"],
                        expectedPath: "sql/v1/V1__init.sql"),
        ],
        nonTriggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        change: [:],
                        renames: ["db/migrations/20240101000000_create_users.sql": "db/migrations/20240101000000_create_accounts.sql"]),
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        deployed: ["production": ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"]],
                        change: ["db/migrations/20240102000000_add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n"]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard case .renamed(let from) = subject.change, !subject.deployments.isEmpty else { return [] }
        return [RuleHit(
            message: "This migration was renamed from \(from), which \(subject.deployments.map(\.summary).joined(separator: ", ")) ran under that name.",
            help: "Move it back to \(from); a deployed migration keeps its name forever.",
            environments: subject.deployments.map(\.environment))]
    }
}

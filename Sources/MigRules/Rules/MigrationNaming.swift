import MigCore
public struct MigrationNaming: Rule {
    public static let description = RuleDescription(
        id: "migration-naming",
        summary: "A file in a migration folder does not follow its tool's naming pattern.",
        rationale: """
            A file the tool does not recognise is silently skipped (or makes the tool fail at deploy \
            time): the change it holds never reaches the database, and the review that approved it was \
            for nothing.
            """,
        triggering: [
            RuleExample(format: .rails, folder: "db/migrate",
                        change: ["db/migrate/2024_add users.rb": "class AddUsers < ActiveRecord::Migration[7.1]\nend\n"],
                        expectedPath: "db/migrate/2024_add users.rb"),
            RuleExample(format: .flyway, folder: "sql",
                        change: ["sql/V3_add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n"],
                        expectedPath: "sql/V3_add_email.sql"),
        ],
        nonTriggering: [
            RuleExample(format: .rails, folder: "db/migrate",
                        change: ["db/migrate/20240101000000_add_users.rb": "class AddUsers < ActiveRecord::Migration[7.1]\nend\n"]),
            RuleExample(format: .flyway, folder: "sql",
                        change: ["sql/V3__add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n",
                                 "sql/README.md": "How we migrate.\n"]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard subject.isNewName, case .misnamed(let reason) = subject.verdict else { return [] }
        return [RuleHit(message: "The \(subject.set.format.rawValue) tool will not run this file: it \(reason).",
                        help: "Rename it to the tool's pattern, or move it out of \(subject.set.path) if it is not a migration.")]
    }
}

import MigCore
import MigSQL

public struct ModifiedDeployedMigration: Rule {
    public static let description = RuleDescription(
        id: "modified-deployed-migration",
        summary: "A migration that an environment has already run was edited.",
        rationale: """
            Migration tools run each file once: the environments that ran the old bytes never run the \
            new ones, so their schema silently differs from every fresh database built from the edited \
            file. What the policy's `immutability` setting allows (line endings, whitespace, comments) \
            is reported as a note.
            """,
        triggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        deployed: ["production": ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"]],
                        change: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint, email text);\n"],
                        expectedPath: "db/migrations/20240101000000_create_users.sql", expectedLine: 1),
            RuleExample(format: .rails, folder: "db/migrate",
                        before: ["db/migrate/20240101000000_add_status.rb": "class AddStatus < ActiveRecord::Migration[7.1]\n  def change\n    add_column :users, :status, :string\n  end\nend\n"],
                        deployed: ["staging": ["db/migrate/20240101000000_add_status.rb": "class AddStatus < ActiveRecord::Migration[7.1]\n  def change\n    add_column :users, :status, :string\n  end\nend\n"]],
                        change: ["db/migrate/20240101000000_add_status.rb": "class AddStatus < ActiveRecord::Migration[7.1]\n  def change\n    add_column :users, :status, :integer\n  end\nend\n"],
                        immutability: .tokens,
                        expectedPath: "db/migrate/20240101000000_add_status.rb", expectedLine: 3),
        ],
        nonTriggering: [
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        change: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint, email text);\n"]),
            RuleExample(before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
                        deployed: ["production": ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"]],
                        change: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\r\n"],
                        immutability: .lineEndings),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard subject.change == .modified, let contents = subject.contents, !subject.deployments.isEmpty else { return [] }
        var changed: [(Deployment, EditComparison.Change)] = []
        var allowed: [(Deployment, String)] = []
        for deployment in subject.deployments where deployment.contents != contents {
            switch EditComparison.compare(old: deployment.contents, new: contents, mode: subject.immutability,
                                          language: EditComparison.Language(subject.set.format, path: subject.path)) {
            case .identical: continue
            case .allowed(let reason): allowed.append((deployment, reason))
            case .changed(let change): changed.append((deployment, change))
            }
        }
        if let first = changed.first {
            let ran = changed.map(\.0.summary).joined(separator: ", ")
            let fallback = first.1.fallback.map { " (\($0))" } ?? ""
            var (line, column) = (first.1.new.line, first.1.new.column)
            // A change that starts at a line break (lines appended) is read on the next line.
            let offset = first.1.new.offset
            if offset < contents.count, contents[offset] == UInt8(ascii: "\n") || contents[offset] == UInt8(ascii: "\r") {
                (line, column) = (line + 1, 1)
            }
            return [RuleHit(
                message: "This migration was edited after it ran in \(ran); those environments will never run the new bytes\(fallback).",
                help: "Restore the deployed bytes and make the change in a new migration.",
                line: line, column: column, environments: changed.map(\.0.environment))]
        }
        if let first = allowed.first {
            return [RuleHit(
                message: "This deployed migration was edited, but \(first.1), which immutability: \(subject.immutability.rawValue) allows.",
                help: "Nothing to do; the environments' schema is unaffected.",
                environments: allowed.map(\.0.environment), severity: .note)]
        }
        return []
    }
}

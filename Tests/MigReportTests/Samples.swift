import MigCore

/// Findings shared by the format tests: one of each severity, with and without a position.
enum Samples {
    static let modified = Finding(
        rule: "modified-deployed-migration", severity: .error,
        path: RepoPath("db/migrate/20240105093000_add_status_to_users.rb"), line: 4, column: 5,
        message: "This migration was edited after production ran it.",
        help: "Restore the file and add a new migration.",
        environments: ["production", "staging"], commit: "0123456789abcdef0123456789abcdef01234567",
        author: "Ada Lovelace <ada@example.com>")

    static let vagueName = Finding(
        rule: "vague-migration-name", severity: .warning,
        path: RepoPath("db/migrate/20240106000000_update.rb"),
        message: "The name `update` says nothing about the change.",
        help: "Name the migration after what it changes.")

    static let multipleHeads = Finding(
        rule: "multiple-heads", severity: .note,
        message: "Alembic has two heads.", help: "")

    static let all = [modified, vagueName, multipleHeads]
}

public import MigCore
public import MigSQL

extension EditComparison.Language {
    /// Which tokenizer compares a file of this format: SQL for the SQL tools, Ruby for Rails,
    /// Python for Alembic and Django; anything else (`.txt` beside a migration) as plain text.
    public init(_ format: MigrationFormatKind, path: RepoPath) {
        let name = path.fileName.description
        if name.hasSuffix(".sql") {
            self = .sql
        } else if name.hasSuffix(".rb") {
            self = .ruby
        } else if name.hasSuffix(".py") {
            self = .python
        } else {
            self = .other
        }
    }
}

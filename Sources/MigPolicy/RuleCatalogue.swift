public import MigCore

/// The group a rule belongs to, as DESIGN §5 lists them.
public enum RuleFamily: String, Sendable, CaseIterable {
    /// Deployed migrations edited, deleted, renamed, unpromoted or rolled back.
    case ledger
    /// Versions, order, file names and folders.
    case orderAndNaming = "order-naming"
    /// Down migrations.
    case reversibility
    /// PostgreSQL statements, with squawk's rules under squawk's names.
    case contentPostgres = "content-postgres"
    /// MySQL statements.
    case contentMySQL = "content-mysql"
    /// Statement habits no single-statement linter checks.
    case contentBeyond = "content-beyond"
    /// Rails, Alembic and Django migration code.
    case framework
    /// `migledger:ignore` comments.
    case suppression
}

/// What every part of migledger knows about a rule before any policy is read.
public struct RuleDescriptor: Sendable, Hashable {
    /// Kebab-case id, as written in policies, ignore comments and findings.
    public let id: String
    /// The family the rule belongs to.
    public let family: RuleFamily
    /// Severity under the `recommended` preset.
    public let defaultSeverity: Severity
    /// One sentence: what the rule catches.
    public let summary: String
}

/// Every rule id migledger knows. Policies are validated against it, so a rule must be listed
/// here before a policy may name it.
public enum RuleCatalogue {
    /// All rules, grouped by family in DESIGN §5 order.
    public static let all: [RuleDescriptor] = ledger + orderAndNaming + reversibility
        + contentPostgres + contentMySQL + contentBeyond + framework + suppression

    /// The rule with `id`, or nil when there is none.
    public static func rule(_ id: String) -> RuleDescriptor? { byID[id] }

    private static let byID: [String: RuleDescriptor] =
        Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    private static func rules(_ family: RuleFamily,
                              _ entries: [(String, Severity, String)]) -> [RuleDescriptor] {
        entries.map { RuleDescriptor(id: $0.0, family: family, defaultSeverity: $0.1, summary: $0.2) }
    }

    // Breaking the ledger means a database that no longer matches its history, so every
    // ledger rule blocks.
    private static let ledger = rules(.ledger, [
        ("modified-deployed-migration", .error, "A migration an environment has already run was edited."),
        ("deleted-deployed-migration", .error, "A migration an environment has already run was deleted."),
        ("renamed-deployed-migration", .error, "A migration an environment has already run was renamed or moved."),
        ("not-promoted", .error, "A migration would reach an environment before its `after` environments ran it."),
        ("rollback-deploy", .error, "The environment has run migrations that the commit being deployed lacks."),
        // An override is allowed by policy, so it never blocks; `audit` lists it for review.
        ("push-override", .warning, "A push was accepted past the hook's findings with `-o migledger.override`."),
    ])

    // A misnamed migration is silently skipped by Flyway and misordered by the others, so naming
    // blocks; vagueness and layout are review comments.
    private static let orderAndNaming = rules(.orderAndNaming, [
        ("out-of-order-migration", .error, "A new migration sorts before the newest one an environment has already run."),
        ("duplicate-migration-version", .error, "Two migrations of one set share a version."),
        ("migration-naming", .error, "A migration file name does not follow its format's pattern of version plus snake_case name."),
        ("vague-migration-name", .warning, "A migration name such as `update` or `fix` says nothing about the change."),
        ("migration-location", .warning, "A data migration sits outside `data/` or a schema migration outside `schema/` in a split layout."),
        ("multiple-heads", .error, "An Alembic or Django history has more than one head."),
    ])

    // Many teams deploy forward only, so a missing down is advice rather than a block.
    private static let reversibility = rules(.reversibility, [
        ("missing-down-migration", .warning, "A migration has no down (rollback) part."),
        ("empty-down-migration", .warning, "A migration's down part exists but does nothing."),
        ("irreversible-operation", .warning, "The down part cannot restore what the up part removed, and does not say so."),
        // `roundtrip` proves these on a real server, where a wrong down is a fact, not advice.
        ("down-does-not-restore-schema", .error, "Run on PostgreSQL after its up part, a migration's down part leaves a different schema than before."),
        ("up-not-repeatable", .error, "Run again after its down part, a migration's up part fails or builds a different schema."),
        ("migration-failed-to-apply", .error, "A migration's up or down part fails on a real PostgreSQL server."),
    ])

    // squawk's default-on rules under squawk's names (crates/squawk_linter/src/lib.rs, rules not
    // `is_opt_in`). Locks, rewrites, lost data and broken clients are errors; squawk's
    // preferences and the timeout reminders, which fire on nearly every file, are warnings.
    private static let contentPostgres = rules(.contentPostgres, [
        ("adding-field-with-default", .error, "ADD COLUMN with a volatile default rewrites the whole table under an exclusive lock."),
        ("adding-foreign-key-constraint", .error, "Adding a validated foreign key locks both tables while every row is checked."),
        ("adding-not-nullable-field", .error, "SET NOT NULL scans the whole table under an exclusive lock."),
        ("adding-required-field", .error, "ADD COLUMN ... NOT NULL without a default fails on a table that has rows."),
        ("adding-serial-primary-key-field", .error, "Adding a serial primary key rewrites the table and builds its index under an exclusive lock."),
        ("ban-alter-domain-with-add-constraint", .error, "Adding a constraint to a domain checks every column that uses it under a lock."),
        ("ban-alter-identity", .error, "Altering an identity column can rewrite the table and break writers."),
        ("ban-char-field", .warning, "char(n) pads values with spaces; use text or varchar."),
        ("ban-concurrent-index-creation-in-transaction", .error, "CREATE INDEX CONCURRENTLY fails inside a transaction."),
        ("ban-create-domain-with-constraint", .error, "Domains with constraints cannot be changed without long locks later."),
        ("ban-drop-column", .error, "Dropping a column breaks clients that still read it and loses its data."),
        ("ban-drop-constraint", .error, "Dropping a constraint lets bad data in and breaks clients that rely on it."),
        ("ban-drop-database", .error, "Dropping a database loses everything in it."),
        ("ban-drop-default", .error, "Dropping a column default breaks clients that insert without the column."),
        ("ban-drop-domain", .error, "Dropping a domain breaks every column and function that uses it."),
        ("ban-drop-extension", .error, "Dropping an extension removes the types and functions that depend on it."),
        ("ban-drop-function", .error, "Dropping a function breaks the callers that still use it."),
        ("ban-drop-generated-expression", .error, "Dropping a generation expression turns a computed column into stale stored data."),
        ("ban-drop-not-null", .error, "Dropping NOT NULL breaks clients that assume the column always has a value."),
        ("ban-drop-schema", .error, "Dropping a schema loses every object in it."),
        ("ban-drop-sequence", .error, "Dropping a sequence breaks the defaults and clients that draw from it."),
        ("ban-drop-table", .error, "Dropping a table breaks clients that still use it and loses its data."),
        ("ban-drop-type", .error, "Dropping a type breaks the columns and functions that use it."),
        ("ban-drop-view", .error, "Dropping a view breaks the clients that query it."),
        ("ban-duplicate-column-assignments", .error, "An UPDATE or INSERT assigns the same column twice and fails."),
        ("ban-set-schema", .error, "Moving an object to another schema breaks clients that name it by its old schema."),
        ("ban-truncate-cascade", .error, "TRUNCATE ... CASCADE empties every table that references this one."),
        ("ban-uncommitted-transaction", .error, "A BEGIN without a matching COMMIT leaves the migration's transaction open."),
        ("changing-column-type", .error, "Changing a column's type rewrites the table under an exclusive lock and can break clients."),
        ("constraint-missing-not-valid", .error, "Adding a CHECK or foreign key constraint without NOT VALID scans the table under a lock."),
        ("disallowed-unique-constraint", .error, "Adding a UNIQUE constraint builds its index under an exclusive lock; build the index concurrently first."),
        ("identifier-too-long", .error, "PostgreSQL silently truncates identifiers longer than 63 bytes."),
        ("prefer-bigint-over-int", .warning, "int primary keys and counters run out at 2^31; use bigint."),
        ("prefer-bigint-over-smallint", .warning, "smallint runs out at 2^15; use bigint."),
        ("prefer-identity", .warning, "serial columns have ownership and permission pitfalls; use identity columns."),
        ("prefer-repack", .warning, "VACUUM FULL and CLUSTER lock the table for the whole rewrite; use pg_repack."),
        ("prefer-robust-stmts", .warning, "A statement without IF [NOT] EXISTS fails when the migration is retried after a partial run."),
        ("prefer-text-field", .warning, "varchar(n) limits are painful to change; use text with a CHECK constraint."),
        // squawk also accepts the spelling `prefer-timestamptz` for this one.
        ("prefer-timestamp-tz", .warning, "timestamp without time zone loses the offset; use timestamptz."),
        ("renaming-column", .error, "Renaming a column breaks clients that still use the old name."),
        ("renaming-object", .error, "Renaming an object breaks clients that still use the old name."),
        ("renaming-table", .error, "Renaming a table breaks clients that still use the old name."),
        ("require-concurrent-index-creation", .error, "CREATE INDEX without CONCURRENTLY blocks writes for the whole build."),
        ("require-concurrent-index-deletion", .error, "DROP INDEX without CONCURRENTLY blocks reads and writes on the table."),
        ("require-concurrent-partition-detach", .error, "DETACH PARTITION without CONCURRENTLY locks the parent table."),
        ("require-concurrent-reindex", .error, "REINDEX without CONCURRENTLY blocks writes for the whole rebuild."),
        ("require-enum-value-ordering", .warning, "ALTER TYPE ... ADD VALUE without BEFORE or AFTER puts the value at an arbitrary place in the sort order."),
        // squawk's deprecated `require-timeout-settings` is these two together.
        ("require-lock-timeout", .warning, "A migration that takes locks has no lock_timeout, so it can queue behind a long query and block everyone after it."),
        ("require-statement-timeout", .warning, "A migration has no statement_timeout, so a slow statement holds its locks indefinitely."),
        ("transaction-nesting", .error, "BEGIN or COMMIT inside a migration that the tool already wraps in a transaction."),
        // squawk names this `syntax-error`; unlike squawk, the other statements are still linted.
        ("sql-syntax-error", .error, "A statement does not parse as SQL of the set's dialect."),
    ])

    // The postgres rules above carry PostgreSQL lock reasoning and examples; MySQL's online DDL
    // differs enough that its rules have their own ids, examples and help.
    private static let contentMySQL = rules(.contentMySQL, [
        ("mysql-index-without-inplace-lock-none", .error, "CREATE or ADD INDEX without ALGORITHM=INPLACE, LOCK=NONE may copy the table or block writes."),
        ("mysql-adding-required-field", .error, "ADD COLUMN ... NOT NULL without a default fills existing rows with implicit zero values."),
        ("mysql-ban-drop-column", .error, "Dropping a column breaks clients that still read it, loses its data and rebuilds the table."),
        ("mysql-ban-drop-table", .error, "Dropping a table breaks clients that still use it and loses its data."),
        ("mysql-renaming-column", .error, "Renaming a column breaks clients that still use the old name."),
        ("mysql-renaming-table", .error, "Renaming a table breaks clients that still use the old name."),
        ("mysql-changing-column-type", .error, "Changing a column's type copies the table with ALGORITHM=COPY and blocks writes."),
    ])

    // Habits that make migrations safer to run and review, but that teams weigh differently:
    // warnings by default.
    private static let contentBeyond = rules(.contentBeyond, [
        ("mixed-schema-and-data", .warning, "One migration both changes the schema and modifies data."),
        ("one-change-per-migration", .warning, "One migration makes several unrelated schema changes."),
        ("non-idempotent-data-migration", .warning, "An INSERT without ON CONFLICT or NOT EXISTS duplicates rows when the migration is rerun."),
        ("unbatched-data-migration", .warning, "An UPDATE or DELETE of a whole table in one statement holds row locks and bloats the table."),
        ("index-naming", .warning, "An index name does not follow `idx_<table>_<columns>`."),
        ("unindexed-foreign-key", .warning, "A foreign key column has no index, so deletes on the parent table scan the child."),
    ])

    // The same concerns as the content rules, read from framework DSLs rather than SQL.
    private static let framework = rules(.framework, [
        ("rails-add-index-not-concurrently", .error, "`add_index` without `algorithm: :concurrently` blocks writes for the whole build."),
        ("rails-add-required-column", .error, "`add_column` with `null: false` and no default fails on a table that has rows."),
        ("alembic-create-index-not-concurrently", .error, "`op.create_index` without `postgresql_concurrently=True` blocks writes for the whole build."),
        ("alembic-add-required-column", .error, "`op.add_column` with `nullable=False` and no `server_default` fails on a table that has rows."),
        ("django-add-index-not-concurrently", .error, "`AddIndex` instead of `AddIndexConcurrently` blocks writes for the whole build."),
        ("django-add-required-field", .error, "`AddField` of a NOT NULL field without a database default fails on a table that has rows."),
        ("django-run-python-without-reverse-code", .warning, "`RunPython` without `reverse_code` makes the migration irreversible."),
    ])

    private static let suppression = rules(.suppression, [
        ("suppression-without-reason", .warning, "A `migledger:ignore` comment does not say why the finding is acceptable."),
        // Same name as squawk's meta rule.
        ("unused-ignore", .warning, "A `migledger:ignore` comment suppresses no finding."),
    ])
}

import MigSQL

/// squawk's `ban-concurrent-index-creation-in-transaction`, reading the tool's transaction from
/// the migration (Rails, Django, Alembic, dbmate, Flyway) instead of a setting, and covering the
/// other CONCURRENTLY statements PostgreSQL refuses in a transaction block or a DO block.
struct BanConcurrentIndexCreationInTransaction: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-concurrent-index-creation-in-transaction",
        summary: "CREATE INDEX CONCURRENTLY fails inside a transaction.",
        rationale: """
            CREATE INDEX CONCURRENTLY commits several times while it works, so PostgreSQL refuses \
            it inside a transaction block ("cannot run inside a transaction block") and inside a \
            function or DO block; so it does DROP INDEX, REINDEX and DETACH PARTITION \
            CONCURRENTLY. The migration then fails when it runs. Reported inside an explicit \
            BEGIN … COMMIT, inside a DO block, and in a file the tool wraps in a transaction: \
            Rails without `disable_ddl_transaction!`, Django unless `atomic = False`, Alembic \
            outside an `autocommit_block()`, dbmate without `transaction:false`, and Flyway when \
            the file mixes it with other statements. Run it in a migration of its own that the \
            tool runs outside a transaction.
            """,
        triggering: [
            ContentExample("""
                BEGIN;
                CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
                COMMIT;
                """, expectedLine: 2),
            ContentExample("""
                class IndexUsersOnEmail < ActiveRecord::Migration[7.1]
                  def up
                    execute "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)"
                  end
                end
                """, path: "db/migrate/20240105093000_index_users_on_email.rb", format: .rails, expectedLine: 3),
            ContentExample("""
                -- migrate:up
                DROP INDEX CONCURRENTLY users_email_idx;

                -- migrate:down
                """, path: "db/migrations/20240105093000_drop_index.sql", format: .dbmate, expectedLine: 2),
            ContentExample("""
                from alembic import op

                revision = "a1b2c3"
                down_revision = "f0e1d2"


                def upgrade():
                    op.execute("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)")
                    with op.get_context().autocommit_block():
                        op.execute("REINDEX INDEX CONCURRENTLY users_name_idx")
                """, path: "migrations/versions/a1b2c3_index_users_email.py", format: .alembic, expectedLine: 8),
        ],
        nonTriggering: [
            ContentExample("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"),
            ContentExample("""
                class IndexUsersOnEmail < ActiveRecord::Migration[7.1]
                  disable_ddl_transaction!

                  def up
                    execute "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)"
                  end
                end
                """, path: "db/migrate/20240105093000_index_users_on_email.rb", format: .rails),
            ContentExample("""
                -- migrate:up transaction:false
                CREATE INDEX CONCURRENTLY users_email_idx ON users (email);

                -- migrate:down
                """, path: "db/migrations/20240105093000_add_index.sql", format: .dbmate),
            ContentExample("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n",
                           path: "db/migration/V7__index_users_email.sql", format: .flyway),
            ContentExample("""
                from alembic import op

                revision = "a1b2c3"
                down_revision = "f0e1d2"


                def upgrade():
                    with op.get_context().autocommit_block():
                        op.execute("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)")
                """, path: "migrations/versions/a1b2c3_index_users_email.py", format: .alembic),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var transaction = text.format == .flyway
            ? SquawkLocks.Transaction(isOpen: Self.flywayWraps(text.upParts))
            : SquawkLocks.Transaction(text)
        let autocommit = SquawkLocks.autocommitLines(text)
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["TransactionStmt", "IndexStmt", "DropStmt", "ReindexStmt", "AlterTableStmt"]) { part, statement, _ in
            transaction.note(statement)
            guard let operation = SquawkLocks.concurrentOperation(type: statement.type, node: statement.node) else { return }
            let line = part.location(ofOffset: statement.start).line
            if case .doBlock = statement.origin {
                hits.append(text.hit(part, statement,
                                     message: "\(operation) fails inside a DO block, which runs as a function.",
                                     help: "Run it as a statement of its own, outside the DO block and any transaction."))
            } else if transaction.isOpen, !autocommit.contains(where: { $0.contains(line) }) {
                hits.append(text.hit(part, statement,
                                     message: "\(operation) fails here: this runs inside a transaction block.",
                                     help: "Run it outside any transaction: " + SquawkLocks.outsideTransactionAdvice(text.format) + "."))
            }
        }
        return hits
    }

    /// Flyway runs a file outside a transaction when all its statements must run so, and
    /// otherwise wraps it (and refuses the mix unless told `mixed`).
    static func flywayWraps(_ parts: [SQLPart]) -> Bool {
        parts.contains { part in
            part.statements.contains { statement in
                statement.type != nil && statement.type != "VariableSetStmt" && SquawkLocks.concurrentOperation(type: statement.type, node: statement.node) == nil
            }
        }
    }
}

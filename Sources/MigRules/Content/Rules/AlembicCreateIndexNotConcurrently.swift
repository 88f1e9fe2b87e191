/// `op.create_index` in an Alembic revision that builds the index with a plain `CREATE INDEX`,
/// or asks for `CONCURRENTLY` inside the revision's transaction, where PostgreSQL refuses it.
struct AlembicCreateIndexNotConcurrently: ContentRule {
    static let description = ContentRuleDescription(
        id: "alembic-create-index-not-concurrently",
        summary: "`op.create_index` without `postgresql_concurrently=True` blocks writes for the whole build.",
        rationale: """
            `op.create_index` emits `CREATE INDEX`, which holds a SHARE lock on the table until the \
            index is built: every write waits, for minutes on a big table. Pass \
            `postgresql_concurrently=True` for `CREATE INDEX CONCURRENTLY`, and call it inside \
            `with op.get_context().autocommit_block():`, because Alembic runs each revision in a \
            transaction and a concurrent build fails inside one. `batch_op.create_index` in \
            `with op.batch_alter_table(…)` is read the same way. Only `upgrade()` is read; tables \
            created earlier in it with `op.create_table`, or by a revision no environment has run \
            yet, are empty and left alone. PostgreSQL sets only.
            """,
        triggering: [
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.create_index("ix_users_email", "users", ["email"], unique=True)


                def downgrade():
                    op.drop_index("ix_users_email", table_name="users")
                """, path: "alembic/versions/abc123_add_users_email_index.py", format: .alembic, expectedLine: 6),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.create_index(
                        "ix_orders_user_id", "orders", ["user_id"], postgresql_concurrently=True
                    )
                """, path: "alembic/versions/abc123_add_orders_index.py", format: .alembic, expectedLine: 6),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    with op.batch_alter_table("orders") as batch_op:
                        batch_op.add_column(sa.Column("shipped_at", sa.DateTime(), nullable=True))
                        batch_op.create_index("ix_orders_shipped_at", ["shipped_at"])
                """, path: "alembic/versions/abc123_add_shipped_at.py", format: .alembic, expectedLine: 8),
        ],
        nonTriggering: [
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    with op.get_context().autocommit_block():
                        op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)


                def downgrade():
                    op.drop_index("ix_users_email", table_name="users")
                """, path: "alembic/versions/abc123_add_users_email_index.py", format: .alembic),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.create_table("invoices", sa.Column("id", sa.BigInteger, primary_key=True))
                    op.create_index("ix_invoices_id", "invoices", ["id"])
                    # op.create_index("ix_users_email", "users", ["email"])
                    op.create_index(index_name="ix_reports_kind", table_name="reports", columns=["kind"])
                """, path: "alembic/versions/abc123_create_invoices.py", format: .alembic, newTables: ["reports"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres, case .python(let python) = text.code else { return [] }
        let autocommit = python.autocommitBlocks()
        var created: Set<String> = []
        var hits: [RuleHit] = []
        for operation in python.alembicCalls(inFunction: "upgrade") {
            let call = operation.call
            let table = operation.table?.lowercased()
            if operation.operation == "create_table", !operation.isBatch, let table { created.insert(table) }
            guard operation.operation == "create_index" else { continue }
            if call.isSet("postgresql_concurrently") {
                guard !autocommit.contains(where: { $0.contains(call.line) }) else { continue }
                hits.append(text.hit(call, in: python,
                                     message: "`\(call.callee)(…, postgresql_concurrently=True)` inside the revision's transaction fails: PostgreSQL runs `CREATE INDEX CONCURRENTLY` only outside a transaction block.",
                                     help: "Call it inside `with op.get_context().autocommit_block():`."))
                continue
            }
            if let table, text.newTables.contains(table) || created.contains(table) { continue }
            hits.append(text.hit(call, in: python,
                                 message: "`\(call.callee)` on `\(table ?? "the table")` builds the index with a plain `CREATE INDEX`, blocking writes to the table until it is done.",
                                 help: "Pass `postgresql_concurrently=True` inside `with op.get_context().autocommit_block():`."))
        }
        return hits
    }
}

/// `op.add_column` of a `nullable=False` column without `server_default` in an Alembic
/// revision: PostgreSQL cannot fill the existing rows, so the upgrade fails on a table with any.
struct AlembicAddRequiredColumn: ContentRule {
    static let description = ContentRuleDescription(
        id: "alembic-add-required-column",
        summary: "`op.add_column` with `nullable=False` and no `server_default` fails on a table that has rows.",
        rationale: """
            `op.add_column("users", sa.Column("plan", sa.String(), nullable=False))` runs `ALTER \
            TABLE users ADD COLUMN plan varchar NOT NULL`: the rows already there would hold NULL, \
            so PostgreSQL refuses and the upgrade stops. A Python-side `default=` does not help, \
            as SQLAlchemy applies it to new inserts only. Give the column a `server_default` (a \
            constant default is instant since PostgreSQL 11), or add it nullable, backfill, and \
            then `op.alter_column(…, nullable=False)`. A primary-key column counts as NOT NULL, \
            and `batch_op.add_column` in `with op.batch_alter_table(…)` is read the same way. \
            Only `upgrade()` is read; tables created earlier in it, or by a revision no \
            environment has run yet, have no rows and are left alone. MySQL fills such columns \
            with an implicit default, so MySQL sets are not checked.
            """,
        triggering: [
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.add_column("users", sa.Column("plan", sa.String(length=20), nullable=False))


                def downgrade():
                    op.drop_column("users", "plan")
                """, path: "alembic/versions/abc123_add_plan_to_users.py", format: .alembic, expectedLine: 6),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.add_column(
                        "orders",
                        sa.Column("currency", sa.String(3), nullable=False, default="EUR"),
                    )
                    with op.batch_alter_table("invoices") as batch_op:
                        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=False))
                """, path: "alembic/versions/abc123_add_currency.py", format: .alembic, expectedLine: 6),
        ],
        nonTriggering: [
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.add_column("users", sa.Column("plan", sa.String(), nullable=False, server_default="free"))
                    op.add_column("users", sa.Column("nickname", sa.String(), nullable=True))


                def downgrade():
                    op.add_column("users", sa.Column("legacy", sa.String(), nullable=False))
                """, path: "alembic/versions/abc123_add_plan_to_users.py", format: .alembic),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.create_table("teams", sa.Column("id", sa.BigInteger(), primary_key=True))
                    op.add_column("teams", sa.Column("slug", sa.String(), nullable=False))
                    op.add_column("memberships", sa.Column("role", sa.String(), nullable=False))
                    # op.add_column("users", sa.Column("plan", sa.String(), nullable=False))
                """, path: "alembic/versions/abc123_create_teams.py", format: .alembic, newTables: ["memberships"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect != .mysql, case .python(let python) = text.code else { return [] }
        var created: Set<String> = []
        var hits: [RuleHit] = []
        for operation in python.alembicCalls(inFunction: "upgrade") {
            if operation.operation == "create_table", !operation.isBatch, let table = operation.table { created.insert(table.lowercased()) }
            guard operation.operation == "add_column", let table = operation.table?.lowercased(),
                  case .call(let column)? = operation.argument("column", opPosition: 1), column.method == "Column" else { continue }
            let required = column.keywords.first { $0.name == "nullable" }?.value == .bool(false) || column.isSet("primary_key")
            guard required, !column.isSet("server_default"), !text.newTables.contains(table), !created.contains(table) else { continue }
            let name = column.argument("name", position: 0)?.string ?? "the column"
            hits.append(text.hit(operation.call, in: python,
                                 message: "`\(operation.call.callee)` adds `\(table).\(name)` as NOT NULL without a `server_default`; the rows already in `\(table)` make the upgrade fail.",
                                 help: "Give the column a `server_default`, or add it nullable, backfill it, then `op.alter_column(\"\(table)\", \"\(name)\", nullable=False)`."))
        }
        return hits
    }
}

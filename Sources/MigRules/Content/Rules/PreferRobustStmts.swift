import MigSQL

/// squawk's `prefer-robust-stmts`. Like squawk, nothing is reported inside a transaction (the
/// tool's, or BEGIN … COMMIT in the file). Unlike squawk, a CONCURRENTLY statement inside one is
/// not reported either: it cannot run there at all, which
/// `ban-concurrent-index-creation-in-transaction` reports. Also unlike squawk: a file of a
/// single statement is atomic on its own, so it is left alone unless that statement is
/// CONCURRENTLY; statements inside a DO block run as part of it, atomically; and only ALTER
/// TABLE actions that fail on a second run are reported (ADD/DROP COLUMN, ADD/DROP
/// CONSTRAINT), not idempotent ones like SET NOT NULL. Besides squawk's statements it covers
/// every DROP, CREATE SEQUENCE/SCHEMA/EXTENSION and enum ADD VALUE.
struct PreferRobustStmts: ContentRule {
    static let description = ContentRuleDescription(
        id: "prefer-robust-stmts",
        summary: "A statement without IF [NOT] EXISTS fails when the migration is retried after a partial run.",
        rationale: """
            A migration that runs outside a transaction and fails halfway (a lock timeout, a \
            deploy killed, a CONCURRENTLY build that hit a duplicate) leaves the first \
            statements applied; running it again then fails on the first of them, `relation \
            already exists`, and someone has to finish it by hand. Either wrap the migration in \
            a transaction (BEGIN … COMMIT, or the tool's own), or make each statement safe to \
            repeat: `CREATE … IF NOT EXISTS`, `DROP … IF EXISTS`, `ADD COLUMN IF NOT EXISTS`, \
            `DROP CONSTRAINT IF EXISTS` before `ADD CONSTRAINT`. A CONCURRENTLY index build \
            cannot run in a transaction, so it always needs the guard (and a check for an \
            INVALID index left by a failed build).
            """,
        triggering: [
            ContentExample("""
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                ALTER TABLE users ADD COLUMN invoice_id bigint;
                """, expectedLine: 1),
            ContentExample("""
                SET lock_timeout = '2s';
                ALTER TABLE users DROP COLUMN IF EXISTS legacy, ADD COLUMN nickname text;
                """, expectedLine: 2),
            ContentExample("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n", expectedLine: 1),
            ContentExample("""
                SELECT 1;
                DROP TABLE old_sessions;
                """, expectedLine: 2),
            ContentExample("""
                class AddEmailIndex < ActiveRecord::Migration[7.1]
                  disable_ddl_transaction!
                  def up
                    execute "CREATE INDEX CONCURRENTLY index_users_on_email ON users (email)"
                  end
                end
                """, path: "db/migrate/20240105093000_add_email_index.rb", format: .rails, expectedLine: 4),
        ],
        nonTriggering: [
            ContentExample("""
                CREATE TABLE IF NOT EXISTS invoices (id bigint PRIMARY KEY);
                ALTER TABLE users ADD COLUMN IF NOT EXISTS invoice_id bigint;
                CREATE INDEX CONCURRENTLY IF NOT EXISTS users_invoice_id_idx ON users (invoice_id);
                """),
            ContentExample("""
                BEGIN;
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                ALTER TABLE users ADD COLUMN invoice_id bigint;
                COMMIT;
                """),
            ContentExample("""
                ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_total_check;
                ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
                ALTER TABLE orders ALTER COLUMN total SET NOT NULL;
                """),
            ContentExample("ALTER TABLE users ADD COLUMN nickname text;\n"),
            ContentExample("""
                class CreateInvoices < ActiveRecord::Migration[7.1]
                  def up
                    execute "CREATE TABLE invoices (id bigint PRIMARY KEY)"
                    execute "ALTER TABLE users ADD COLUMN invoice_id bigint"
                  end
                end
                """, path: "db/migrate/20240105093000_create_invoices.rb", format: .rails),
            ContentExample("""
                -- migrate:up
                CREATE TABLE invoices (id bigint PRIMARY KEY);
                ALTER TABLE users ADD COLUMN invoice_id bigint;
                """, path: "db/migrations/20240105093000_invoices.sql", format: .dbmate),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres, !text.runsInTransaction else { return [] }
        let parts = text.upParts
        if let only = Self.onlyStatement(of: parts), only.node?.bool("concurrent") != true { return [] }
        var hits: [RuleHit] = []
        var inTransaction = false
        var droppedConstraints: Set<String> = []
        for part in parts {
            for statement in part.statements where statement.statement.origin == .file {
                guard let node = statement.node, let type = statement.type else { continue }
                var missing: String?
                switch type {
                case "TransactionStmt":
                    switch node.string("kind") {
                    case "TRANS_STMT_BEGIN", "TRANS_STMT_START": inTransaction = true
                    case "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE": inTransaction = false
                    default: break
                    }
                case "CreateStmt":
                    let dropsItself = node.string("relation", "relpersistence") == "t" && node.string("oncommit") == "ONCOMMIT_DROP"
                    if node.bool("if_not_exists") != true && !dropsItself { missing = "CREATE TABLE without IF NOT EXISTS" }
                case "IndexStmt":
                    // An unnamed index gets a fresh name on every run: a rerun adds a duplicate, it does not fail.
                    if node["idxname"] != nil && node.bool("if_not_exists") != true {
                        missing = "CREATE INDEX without IF NOT EXISTS"
                    }
                case "CreateSeqStmt", "CreateSchemaStmt", "CreateExtensionStmt":
                    if node.bool("if_not_exists") != true { missing = "CREATE without IF NOT EXISTS" }
                case "DropStmt":
                    if node.bool("missing_ok") != true { missing = "DROP without IF EXISTS" }
                case "AlterEnumStmt":
                    if node["newVal"] != nil && node["oldVal"] == nil && node.bool("skipIfNewValExists") != true {
                        missing = "ADD VALUE without IF NOT EXISTS"
                    }
                case "AlterTableStmt":
                    missing = Self.fragileAction(in: node, droppedConstraints: &droppedConstraints)
                default:
                    break
                }
                guard let missing, !inTransaction else { continue }
                hits.append(text.hit(part, statement,
                                     message: "\(missing): if the migration fails after this statement, rerunning it fails here.",
                                     help: "Run the migration in a transaction, or add IF [NOT] EXISTS so the statement can be repeated."))
            }
        }
        return hits
    }

    /// The statement written in the up parts when there is just one.
    static func onlyStatement(of parts: [SQLPart]) -> LintStatement? {
        var only: LintStatement?
        for part in parts {
            for statement in part.statements where statement.statement.origin == .file && statement.type != nil {
                guard only == nil else { return nil }
                only = statement
            }
        }
        return only
    }

    /// The first action of an ALTER TABLE that fails when repeated, described; constraints
    /// dropped (with IF EXISTS, or reported) may be added back once.
    static func fragileAction(in node: PGNode, droppedConstraints: inout Set<String>) -> String? {
        var found: String?
        for command in node.elements("cmds") ?? [] {
            guard let command = command["AlterTableCmd"] else { continue }
            let guarded = command.bool("missing_ok") == true
            var action: String?
            switch command.string("subtype") {
            case "AT_AddColumn":
                if !guarded { action = "ADD COLUMN without IF NOT EXISTS" }
            case "AT_DropColumn":
                if !guarded { action = "DROP COLUMN without IF EXISTS" }
            case "AT_DropConstraint":
                if let name = command.string("name") { droppedConstraints.insert(name) }
                if !guarded { action = "DROP CONSTRAINT without IF EXISTS" }
            case "AT_AddConstraint":
                let name = command.string("def", "Constraint", "conname")
                if let name, droppedConstraints.remove(name) != nil { continue }
                action = "ADD CONSTRAINT without dropping it IF EXISTS first"
            default:
                continue
            }
            if found == nil { found = action }
        }
        return found
    }
}

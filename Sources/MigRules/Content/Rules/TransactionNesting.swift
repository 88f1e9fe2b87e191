import MigSQL

/// squawk's `transaction-nesting`, reading the tool's transaction from the migration (Rails,
/// Django, Alembic, dbmate, Flyway) instead of squawk's `assume_in_transaction` setting.
struct TransactionNesting: ContentRule {
    static let description = ContentRuleDescription(
        id: "transaction-nesting",
        summary: "BEGIN or COMMIT inside a migration that the tool already wraps in a transaction.",
        rationale: """
            PostgreSQL has no nested transactions: a BEGIN inside an open transaction only warns \
            and changes nothing, and the first COMMIT or ROLLBACK ends the outer transaction. In \
            a file the tool wraps (Rails without `disable_ddl_transaction!`, Django unless \
            `atomic = False`, Alembic, Flyway, dbmate without `transaction:false`), an explicit \
            COMMIT commits half the migration behind the tool's back, so a failure later leaves \
            it half applied while the tool believes it rolled back; a BEGIN inside an explicit \
            BEGIN, or a COMMIT with no transaction open, shows the same confusion. Let the tool \
            manage the transaction, or turn its transaction off and write BEGIN … COMMIT yourself.
            """,
        triggering: [
            ContentExample("""
                class AddFlags < ActiveRecord::Migration[7.1]
                  def up
                    execute "BEGIN"
                    execute "ALTER TABLE users ADD COLUMN flags integer"
                    execute "COMMIT"
                  end
                end
                """, path: "db/migrate/20240105093000_add_flags.rb", format: .rails, expectedLine: 3),
            ContentExample("""
                BEGIN;
                ALTER TABLE users ADD COLUMN flags integer;
                BEGIN;
                ALTER TABLE users ADD COLUMN roles text[];
                COMMIT;
                """, expectedLine: 3),
            ContentExample("""
                ALTER TABLE users ADD COLUMN flags integer;
                COMMIT;
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                BEGIN;
                ALTER TABLE users ADD COLUMN flags integer;
                COMMIT;
                BEGIN;
                ALTER TABLE users ADD COLUMN roles text[];
                COMMIT;
                """),
            ContentExample("""
                class AddFlags < ActiveRecord::Migration[7.1]
                  disable_ddl_transaction!

                  def up
                    execute "BEGIN"
                    execute "ALTER TABLE users ADD COLUMN flags integer"
                    execute "COMMIT"
                  end
                end
                """, path: "db/migrate/20240105093000_add_flags.rb", format: .rails),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        // Up and down run apart, each part of a direction in the same session.
        for parts in [text.upParts, text.downParts] {
            var open = false
            for part in parts {
                let statements = part.statements
                for index in statements.indices where statements[index].type == "TransactionStmt" {
                    let statement = statements[index]
                    guard let kind = SquawkLocks.TransactionKind(statement) else { continue }
                    switch (kind, text.runsInTransaction) {
                    case (.begin, true), (.end, true):
                        let effect = kind == .begin
                            ? "BEGIN is ignored and a later COMMIT ends the tool's transaction" : "ends the tool's transaction halfway"
                        let advice = SquawkLocks.outsideTransactionAdvice(text.format)
                        hits.append(text.hit(part, statement,
                                             message: "The migration tool already runs this file in a transaction; this \(effect).",
                                             help: "Remove it and let the tool manage the transaction, or turn the tool's transaction off: \(advice)."))
                    case (.begin, false) where open:
                        hits.append(text.hit(part, statement,
                                             message: "A transaction is already open: this BEGIN is ignored, and the next COMMIT ends the outer transaction.",
                                             help: "Remove the inner BEGIN, or COMMIT the first transaction before it."))
                    case (.end, false) where !open:
                        hits.append(text.hit(part, statement,
                                             message: "No transaction is open here, so this COMMIT or ROLLBACK does nothing.",
                                             help: "Remove it, or BEGIN the transaction it should end earlier in the migration."))
                    default:
                        break
                    }
                    open = kind == .begin
                }
            }
        }
        return hits
    }
}

import MigSQL

/// squawk's `constraint-missing-not-valid`, limited to the constraints NOT VALID applies to:
/// CHECK and FOREIGN KEY (squawk also names UNIQUE and PRIMARY KEY, which cannot be NOT VALID
/// and have rules of their own). Quiet on tables that are new.
struct ConstraintMissingNotValid: ContentRule {
    static let description = ContentRuleDescription(
        id: "constraint-missing-not-valid",
        summary: "Adding a CHECK or foreign key constraint without NOT VALID scans the table under a lock.",
        rationale: """
            ADD CONSTRAINT … CHECK takes an ACCESS EXCLUSIVE lock and a FOREIGN KEY a SHARE ROW \
            EXCLUSIVE lock on both tables, and either keeps it while every existing row is \
            checked: reads and writes (or writes) queue for the whole scan. Added with NOT VALID, \
            the constraint applies to new rows at once and the lock is brief; VALIDATE CONSTRAINT \
            then checks the old rows under a SHARE UPDATE EXCLUSIVE lock that lets reads and \
            writes through. That only helps when the VALIDATE commits apart from the NOT VALID \
            add: in the same transaction (an explicit BEGIN … COMMIT, or the tool's own) the \
            strong lock is still held while it validates, so that is reported too. A table \
            created by a pending migration or earlier in the file is left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE accounts ADD CONSTRAINT positive_balance CHECK (balance >= 0);\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE emails
                    ADD CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
                """, expectedLine: 2),
            ContentExample("""
                BEGIN;
                ALTER TABLE emails ADD CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
                ALTER TABLE emails VALIDATE CONSTRAINT emails_user_fk;
                COMMIT;
                """, expectedLine: 3),
            ContentExample("""
                class ValidateBalance < ActiveRecord::Migration[7.1]
                  def change
                    execute "ALTER TABLE accounts ADD CONSTRAINT positive_balance CHECK (balance >= 0) NOT VALID"
                    execute "ALTER TABLE accounts VALIDATE CONSTRAINT positive_balance"
                  end
                end
                """, path: "db/migrate/20240105093000_validate_balance.rb", format: .rails, expectedLine: 4),
        ],
        nonTriggering: [
            ContentExample("""
                ALTER TABLE accounts ADD CONSTRAINT positive_balance CHECK (balance >= 0) NOT VALID;
                ALTER TABLE accounts VALIDATE CONSTRAINT positive_balance;
                """),
            ContentExample("""
                BEGIN;
                ALTER TABLE emails ADD CONSTRAINT emails_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
                COMMIT;
                BEGIN;
                ALTER TABLE emails VALIDATE CONSTRAINT emails_user_fk;
                COMMIT;
                """),
            ContentExample("""
                CREATE TABLE members (id bigint PRIMARY KEY, age integer NOT NULL);
                ALTER TABLE members ADD CONSTRAINT adult CHECK (age >= 18);
                """),
            ContentExample("ALTER TABLE members ADD CONSTRAINT adult CHECK (age >= 18);\n", newTables: ["members"]),
            ContentExample("ALTER TABLE emails ADD CONSTRAINT emails_address_key UNIQUE USING INDEX emails_address_idx;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        var transaction = SquawkLocks.Transaction(text)
        // NOT VALID constraints added in the transaction still open, as `table.constraint`.
        var unvalidated: Set<String> = []
        SquawkLocks.forEach(in: text, of: ["AlterTableStmt", "TransactionStmt"]) { part, statement, tables in
            defer { if !transaction.isOpen { unvalidated.removeAll() } }
            guard statement.type == "AlterTableStmt", let node = statement.node else {
                transaction.note(statement)
                return
            }
            let table = (node.string("relation", "relname") ?? "").lowercased()
            for command in SquawkLocks.commands(node) {
                switch command.string("subtype") {
                case "AT_AddConstraint":
                    guard let constraint = command["def"]?["Constraint"],
                          let kind = Self.validatable[constraint.string("contype") ?? ""], tables.isLive(node) else { continue }
                    if constraint.bool("skip_validation") == true {
                        unvalidated.insert(table + "." + (constraint.string("conname") ?? ""))
                        continue
                    }
                    hits.append(text.hit(part, statement, node: constraint,
                                         message: "Adding this \(kind) checks every row of `\(table)` while holding a lock that blocks writes.",
                                         help: "Add the constraint with NOT VALID, then VALIDATE CONSTRAINT in a separate transaction."))
                case "AT_ValidateConstraint":
                    let name = command.string("name") ?? ""
                    guard unvalidated.contains(table + "." + name) else { continue }
                    hits.append(text.hit(part, statement,
                                         message: "VALIDATE CONSTRAINT `\(name)` runs in the transaction that added it, so the add's strong lock is held while it scans `\(table)`.",
                                         help: "Commit after adding the constraint NOT VALID and validate it in a separate transaction or migration."))
                default:
                    break
                }
            }
        }
        return hits
    }

    static let validatable = ["CONSTR_CHECK": "CHECK constraint", "CONSTR_FOREIGN": "foreign key"]
}

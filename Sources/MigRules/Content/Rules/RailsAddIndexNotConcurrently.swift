/// `add_index` in a Rails migration that builds the index with a plain `CREATE INDEX`, or asks
/// for `CONCURRENTLY` inside the transaction Rails wraps the migration in, where PostgreSQL
/// refuses it.
struct RailsAddIndexNotConcurrently: ContentRule {
    static let description = ContentRuleDescription(
        id: "rails-add-index-not-concurrently",
        summary: "`add_index` without `algorithm: :concurrently` blocks writes for the whole build.",
        rationale: """
            `add_index` runs `CREATE INDEX`, which holds a SHARE lock on the table until the index \
            is built: every INSERT, UPDATE and DELETE waits, for minutes on a big table. Pass \
            `algorithm: :concurrently` so PostgreSQL builds it with `CREATE INDEX CONCURRENTLY` \
            (`index: { algorithm: :concurrently }` for `add_reference`, which indexes the new \
            column by default; the same holds in `change_table` blocks), and put \
            `disable_ddl_transaction!` in the class, since a concurrent build cannot run inside \
            the transaction Rails opens for each migration (it fails at once). Tables \
            created in the same migration, or by a migration no environment has run yet, are \
            empty: their indexes are left alone. PostgreSQL sets only.
            """,
        triggering: [
            ContentExample("""
                class AddIndexToUsersEmail < ActiveRecord::Migration[7.1]
                  def change
                    add_index :users, :email, unique: true
                  end
                end
                """, path: "db/migrate/20240105093000_add_index_to_users_email.rb", format: .rails, expectedLine: 3),
            ContentExample("""
                class AddIndexToOrders < ActiveRecord::Migration[7.1]
                  def change
                    add_index :orders, [:user_id, :created_at], algorithm: :concurrently
                  end
                end
                """, path: "db/migrate/20240105093000_add_index_to_orders.rb", format: .rails, expectedLine: 3),
            ContentExample("""
                class AddAccountToProjects < ActiveRecord::Migration[7.1]
                  disable_ddl_transaction!

                  def change
                    add_reference :projects, :account
                    change_table :users do |t|
                      t.index :email, unique: true
                    end
                  end
                end
                """, path: "db/migrate/20240105093000_add_account_to_projects.rb", format: .rails, expectedLine: 5),
            ContentExample("""
                class AddIndexToUsers < ActiveRecord::Migration[6.0]
                  def up
                    add_index(:users, :name,
                              name: "index_users_on_name")
                  end

                  def down
                    remove_index :users, name: "index_users_on_name"
                  end
                end
                """, path: "db/migrate/20240105093000_add_index_to_users.rb", format: .rails, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("""
                class AddIndexToUsersEmail < ActiveRecord::Migration[7.1]
                  disable_ddl_transaction!

                  def change
                    add_index :users, :email, unique: true, algorithm: :concurrently
                    add_reference :orders, :user, index: { algorithm: :concurrently }
                    add_reference :orders, :coupon, index: false
                  end
                end
                """, path: "db/migrate/20240105093000_add_index_to_users_email.rb", format: .rails),
            ContentExample("""
                class CreateInvoices < ActiveRecord::Migration[7.1]
                  def change
                    create_table :invoices do |t|
                      t.references :user
                      t.timestamps
                    end
                    add_index :invoices, :created_at
                  end
                end
                """, path: "db/migrate/20240105093000_create_invoices.rb", format: .rails),
            ContentExample("""
                class AddIndexToReports < ActiveRecord::Migration[7.1]
                  def change
                    # add_index :reports, :created_at
                    say "add_index :reports, :created_at runs in the next release"
                    add_index :reports, :kind
                  end
                end
                """, path: "db/migrate/20240105093000_add_index_to_reports.rb", format: .rails, newTables: ["reports"]),
        ])

    /// Column types of `change_table` blocks whose `index:` option builds an index, as
    /// `add_reference` does by default.
    private static let references: Set<String> = ["references", "belongs_to"]

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres, case .ruby(let ruby) = text.code else { return [] }
        let code = RailsCode(ruby, methods: ["add_index", "add_reference", "add_belongs_to", "change_table", "create_table"])
        var indexes: [(call: RailsCall, table: String?)] = []
        for call in code.calls where call.direction == .up {
            switch call.name {
            case "add_index":
                indexes.append((call, call.name(at: 0)))
            case "add_reference", "add_belongs_to":
                if RailsAddIndexNotConcurrently.buildsIndex(call) { indexes.append((call, call.name(at: 0))) }
            case "change_table":
                for inner in code.blockCalls(in: call, methods: RailsAddIndexNotConcurrently.references.union(["index"]))
                where inner.name == "index" || RailsAddIndexNotConcurrently.buildsIndex(inner) {
                    indexes.append((inner, call.name(at: 0)))
                }
            default:
                break
            }
        }
        var hits: [RuleHit] = []
        for (call, tableName) in indexes {
            let table = tableName?.lowercased()
            if RailsAddIndexNotConcurrently.isConcurrent(call) {
                guard text.runsInTransaction else { continue }
                hits.append(text.hit(at: call.token,
                                     message: "`\(call.name)` with `algorithm: :concurrently` inside the migration's transaction fails: PostgreSQL runs `CREATE INDEX CONCURRENTLY` only outside a transaction block.",
                                     help: "Add `disable_ddl_transaction!` to the migration class."))
                continue
            }
            if let table, text.newTables.contains(table) || code.createdTables(before: call).contains(table) { continue }
            let transaction = text.runsInTransaction ? " and `disable_ddl_transaction!` in the class" : ""
            let option = call.name == "index" || call.name == "add_index" ? "`algorithm: :concurrently`" : "`index: { algorithm: :concurrently }`"
            hits.append(text.hit(at: call.token,
                                 message: "`\(call.name)` on `\(table ?? "the table")` builds an index with a plain `CREATE INDEX`, blocking writes to the table until it is done.",
                                 help: "Pass \(option)\(transaction)."))
        }
        return hits
    }

    /// `add_reference` indexes the column unless told `index: false`.
    private static func buildsIndex(_ call: RailsCall) -> Bool {
        guard let value = call.options["index"] else { return true }
        return !(value.count == 1 && value[0].kind == .keyword && value[0].text == "false")
    }

    /// `algorithm: :concurrently`, or `index: { algorithm: :concurrently }` for a reference.
    private static func isConcurrent(_ call: RailsCall) -> Bool {
        call.word("algorithm") == "concurrently"
            || call.options["index"]?.contains { $0.kind == .symbol && $0.value == "concurrently" } == true
    }
}

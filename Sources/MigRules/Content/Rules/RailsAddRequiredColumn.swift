/// `add_column … null: false` without a default in a Rails migration: PostgreSQL cannot fill
/// the existing rows, so the migration fails on a table that has any.
struct RailsAddRequiredColumn: ContentRule {
    static let description = ContentRuleDescription(
        id: "rails-add-required-column",
        summary: "`add_column` with `null: false` and no default fails on a table that has rows.",
        rationale: """
            `add_column :users, :plan, :string, null: false` runs `ALTER TABLE … ADD COLUMN plan \
            varchar NOT NULL`: the rows already in the table would hold NULL, so PostgreSQL refuses \
            and the deploy stops (SQLite refuses even on an empty table). Give the column a \
            `default:` (a constant default is instant since PostgreSQL 11), or add it nullable, \
            backfill it in batches, and then set `change_column_null … false` once every row has \
            a value. `add_reference … null: false`, `add_timestamps` (NOT NULL by default since \
            Rails 5) and the same columns added in `change_table` blocks are read the same way. \
            Tables created in the \
            same migration, or by a migration no environment has run yet, have no rows and are \
            left alone. MySQL fills such columns with an implicit default, so MySQL sets are not \
            checked.
            """,
        triggering: [
            ContentExample("""
                class AddPlanToUsers < ActiveRecord::Migration[7.1]
                  def change
                    add_column :users, :plan, :string, null: false
                  end
                end
                """, path: "db/migrate/20240105093000_add_plan_to_users.rb", format: .rails, expectedLine: 3),
            ContentExample("""
                class AddAccountToProjects < ActiveRecord::Migration[7.1]
                  def change
                    add_column :projects, :archived, :boolean, default: nil, null: false
                    add_reference :projects, :account, null: false, index: false
                    change_table :projects do |t|
                      t.timestamps
                    end
                  end
                end
                """, path: "db/migrate/20240105093000_add_account_to_projects.rb", format: .rails, expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("""
                class AddPlanToUsers < ActiveRecord::Migration[7.1]
                  def change
                    add_column :users, :plan, :string, null: false, default: "free"
                    add_column :users, :nickname, :string
                    add_timestamps :users, null: true
                    change_table :users do |t|
                      t.string :locale, null: false, default: "en"
                      t.index :locale
                    end
                  end
                end
                """, path: "db/migrate/20240105093000_add_plan_to_users.rb", format: .rails),
            ContentExample("""
                class CreateTeams < ActiveRecord::Migration[7.1]
                  def change
                    create_table :teams do |t|
                      t.string :name
                    end
                    add_column :teams, :slug, :string, null: false
                    add_column :memberships, :role, :string, null: false
                  end
                end
                """, path: "db/migrate/20240105093000_create_teams.rb", format: .rails, newTables: ["memberships"]),
            ContentExample("""
                class AddPlanToUsers < ActiveRecord::Migration[7.1]
                  def up
                    # add_column :users, :plan, :string, null: false
                    add_column :users, :plan, :string
                  end

                  def down
                    remove_column :users, :plan
                  end
                end
                """, path: "db/migrate/20240105093000_add_plan_to_users.rb", format: .rails),
        ])

    /// Methods of a `change_table` block's parameter that add columns.
    private static let columnMethods: Set<String> = [
        "column", "string", "text", "integer", "bigint", "float", "decimal", "numeric", "datetime", "timestamp",
        "timestamptz", "time", "date", "binary", "boolean", "json", "jsonb", "uuid", "inet", "citext", "references",
        "belongs_to", "timestamps",
    ]

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect != .mysql, case .ruby(let ruby) = text.code else { return [] }
        let code = RailsCode(ruby, methods: ["add_column", "add_reference", "add_belongs_to", "add_timestamps", "change_table", "create_table"])
        var additions: [(call: RailsCall, table: String)] = []
        for call in code.calls where call.direction == .up {
            guard let table = call.name(at: 0)?.lowercased(), !text.newTables.contains(table),
                  !code.createdTables(before: call).contains(table) else { continue }
            switch call.name {
            case "add_column", "add_reference", "add_belongs_to", "add_timestamps":
                additions.append((call, table))
            case "change_table":
                additions += code.blockCalls(in: call, methods: RailsAddRequiredColumn.columnMethods).map { ($0, table) }
            default:
                break
            }
        }
        var hits: [RuleHit] = []
        for (call, table) in additions {
            // Since Rails 5, timestamps are NOT NULL unless told otherwise.
            let timestamps = call.name == "add_timestamps" || call.name == "timestamps"
            let required = timestamps ? call.word("null") != "true" : call.word("null") == "false"
            guard required, !call.isSet("default") else { continue }
            let position = call.name.hasPrefix("add_") ? 1 : 0
            let column: String
            if timestamps {
                column = "created_at` and `\(table).updated_at"
            } else if let name = call.name(at: position) {
                column = ["add_reference", "add_belongs_to", "references", "belongs_to"].contains(call.name) ? name + "_id" : name
            } else {
                column = "a column"
            }
            hits.append(text.hit(at: call.token,
                                 message: "`\(call.name)` adds `\(table).\(column)` as NOT NULL without a default; the rows already in `\(table)` make the migration fail.",
                                 help: timestamps
                                     ? "Pass `null: true`, backfill, then `change_column_null`; or give a `default: -> { \"CURRENT_TIMESTAMP\" }`."
                                     : "Give it a `default:`, or add it nullable, backfill it, then `change_column_null :\(table), :\(column), false`."))
        }
        return hits
    }
}

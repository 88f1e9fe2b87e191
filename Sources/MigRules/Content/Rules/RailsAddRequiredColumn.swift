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
            a value. `add_reference … null: false` is read the same way. Tables created in the \
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

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect != .mysql, case .ruby(let ruby) = text.code else { return [] }
        let code = RailsCode(ruby, methods: ["add_column", "add_reference", "add_belongs_to", "create_table"])
        var hits: [RuleHit] = []
        for call in code.calls where call.name != "create_table" && call.direction == .up {
            guard call.word("null") == "false", !call.isSet("default"), let table = call.name(at: 0)?.lowercased(),
                  !text.newTables.contains(table), !code.createdTables(before: call).contains(table) else { continue }
            let column = call.name(at: 1) ?? "the column"
            hits.append(text.hit(at: call.token,
                                 message: "`\(call.name)` adds `\(table).\(column)` as NOT NULL without a default; the rows already in `\(table)` make the migration fail.",
                                 help: "Give it a `default:`, or add it nullable, backfill it, then `change_column_null :\(table), :\(column), false`."))
        }
        return hits
    }
}

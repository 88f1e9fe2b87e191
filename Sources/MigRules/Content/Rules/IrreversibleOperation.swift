import MigCore
import MigFormats

/// An up part that destroys something (a table, a column, every row, a column's type) while the
/// down part neither puts it back nor says the loss is on purpose. Rails `def change` is judged
/// as ActiveRecord reverses it: the calls it refuses to invert are reported.
struct IrreversibleOperation: ContentRule {
    static let description = ContentRuleDescription(
        id: "irreversible-operation",
        summary: "The down part cannot restore what the up part removed, and does not say so.",
        rationale: """
            `DROP TABLE`, `DROP COLUMN`, `TRUNCATE`, `DELETE` without `WHERE` and column type \
            changes destroy what a rollback would need. When the down part does not re-create \
            it (`CREATE TABLE`, `ADD COLUMN`, `INSERT`, the type changed back, or the DSL's \
            `create_table`/`add_column`/`op.create_table`…), the rollback \"succeeds\" and leaves \
            the schema the old code cannot use. Make the down part restore what it can, or \
            declare the loss on purpose: a comment `-- irreversible: <reason>` (SQL, in either \
            part or the down file) or `# irreversible: <reason>` (Ruby, Python), `raise \
            ActiveRecord::IrreversibleMigration` in Rails, a `raise` in Alembic's `downgrade()`. \
            In Rails `def change`, the calls ActiveRecord cannot invert are reported: \
            `drop_table` without a block (with options only, it would re-create a table without \
            its columns), `remove_column` without a type, `remove_columns` without `type:`, \
            `change_column`, `change_column_default` without `from:`/`to:`, `remove_index` \
            without a column, `remove_foreign_key` without the other table, \
            `remove_check_constraint` without its expression, and `execute` outside `reversible` \
            and `up_only` blocks. Missing and empty down parts are `missing-down-migration`'s \
            and `empty-down-migration`'s; a separate down file is compared only when the caller \
            read it.
            """,
        triggering: [
            ContentExample("""
                -- migrate:up
                ALTER TABLE users DROP COLUMN legacy_plan;

                -- migrate:down
                SELECT 1;
                """, path: "db/migrations/20240105093000_drop_legacy_plan.sql", format: .dbmate, expectedLine: 2),
            ContentExample("""
                class DropLegacyPlan < ActiveRecord::Migration[7.1]
                  def change
                    remove_column :users, :legacy_plan
                  end
                end
                """, path: "db/migrate/20240105093000_drop_legacy_plan.rb", format: .rails, expectedLine: 3),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.drop_table("audit_events")


                def downgrade():
                    op.execute("SELECT 1")
                """, path: "alembic/versions/abc123_drop_audit_events.py", format: .alembic, expectedLine: 6),
            ContentExample("TRUNCATE sessions;\n", path: "db/migrations/20240105093000_clear_sessions.up.sql",
                           format: .golangMigrate, downFile: .present("ANALYZE sessions;\n"), expectedLine: 1),
            ContentExample("""
                from django.db import migrations


                class Migration(migrations.Migration):
                    operations = [
                        migrations.RunSQL("DROP TABLE shop_legacy_order", reverse_sql=migrations.RunSQL.noop),
                    ]
                """, path: "shop/migrations/0004_drop_legacy_order.py", format: .django, expectedLine: 6),
        ],
        nonTriggering: [
            ContentExample("""
                -- migrate:up
                ALTER TABLE users DROP COLUMN legacy_plan;

                -- migrate:down
                ALTER TABLE users ADD COLUMN legacy_plan text;
                """, path: "db/migrations/20240105093000_drop_legacy_plan.sql", format: .dbmate),
            ContentExample("""
                class DropLegacyPlan < ActiveRecord::Migration[7.1]
                  def change
                    remove_column :users, :legacy_plan, :string
                    drop_table :audit_events do |t|
                      t.text :payload
                    end
                    reversible do |dir|
                      dir.up { execute "DROP TABLE legacy_events" }
                      dir.down { execute "CREATE TABLE legacy_events (id bigint PRIMARY KEY, payload jsonb)" }
                    end
                  end
                end
                """, path: "db/migrate/20240105093000_drop_legacy_plan.rb", format: .rails),
            ContentExample("""
                revision = "abc123"
                down_revision = "abc122"


                def upgrade():
                    op.execute("DELETE FROM sessions")


                def downgrade():
                    # irreversible: sessions are recreated at the next login
                    op.execute("SELECT 1")
                """, path: "alembic/versions/abc123_clear_sessions.py", format: .alembic),
            ContentExample("""
                class DropAuditEvents < ActiveRecord::Migration[7.1]
                  def up
                    drop_table :audit_events
                  end

                  def down
                    raise ActiveRecord::IrreversibleMigration
                  end
                end
                """, path: "db/migrate/20240105093000_drop_audit_events.rb", format: .rails),
            ContentExample("TRUNCATE sessions;\n", path: "db/migrations/20240105093000_clear_sessions.up.sql",
                           format: .golangMigrate,
                           downFile: .present("-- irreversible: sessions are recreated at the next login\nANALYZE sessions;\n")),
        ])

    /// What an up part destroys, and what a down part can put back.
    private enum Effect: Hashable {
        case table(String)
        case column(String, String)
        case rows(String)
        case type(String, String)

        init(table: String, column: String? = nil, _ make: (String, String) -> Effect) {
            self = make(table.lowercased(), column?.lowercased() ?? "")
        }

        var what: String {
            switch self {
            case .table(let table): "drops table `\(table)`"
            case .column(let table, let column): "drops column `\(table).\(column)`"
            case .rows(let table): "deletes every row of `\(table)`"
            case .type(let table, let column): "changes the type of `\(table).\(column)`"
            }
        }

        var restore: String {
            switch self {
            case .table: "re-create it"
            case .column: "add it back"
            case .rows: "put rows back"
            case .type: "change it back"
            }
        }
    }

    private struct Removal {
        let effect: Effect
        let line: Int
        let column: Int
    }

    private static let railsMethods: Set<String> = [
        "create_table", "drop_table", "add_column", "remove_column", "remove_columns", "change_column",
        "change_column_default", "remove_index", "add_reference", "add_belongs_to", "remove_reference",
        "remove_belongs_to", "remove_foreign_key", "remove_check_constraint", "execute",
    ]

    func check(_ text: MigrationText) -> [RuleHit] {
        let downParts: [SQLPart]
        switch text.down {
        case .section?, .reversibleChange?:
            downParts = text.downParts
        case .empty? where text.format == .django:
            // Every reverse is `noop`: a choice `empty-down-migration` respects, but not one that
            // brings back what the SQL destroyed.
            downParts = text.downParts
        case .separateFile(let file)?:
            guard file.path != text.path, let downFile = text.downFile else { return [] }
            downParts = [downFile]
        default:
            return []
        }
        var removals: [Removal] = []
        var restored: Set<Effect> = []
        for part in text.upParts {
            removals += IrreversibleOperation.removals(in: part)
        }
        for part in downParts {
            restored.formUnion(IrreversibleOperation.restorations(in: part))
        }
        var hits: [RuleHit] = []
        switch text.code {
        case .ruby(let ruby):
            let code = RailsCode(ruby, methods: IrreversibleOperation.railsMethods)
            if case .reversibleChange? = text.down {
                let bare = code.calls.filter { call in
                    call.name == "execute" && call.direction == .up && !IrreversibleOperation.isGuarded(call, in: code)
                }
                removals.removeAll { removal in bare.contains { IrreversibleOperation.covers($0, line: removal.line) } }
                hits += irreversibleChanges(code, text: text)
            }
            removals += railsRemovals(code, text: text, restored: &restored)
        case .python(let python) where text.format == .alembic:
            removals += alembicRemovals(python, text: text, restored: &restored)
        default:
            break
        }
        let unrestored = removals.filter { !restored.contains($0.effect) }
        guard !(hits.isEmpty && unrestored.isEmpty), !text.declaresIrreversible else { return [] }
        let help = IrreversibleOperation.help(for: text.format)
        hits += unrestored.map { removal in
            RuleHit(message: "The up part \(removal.effect.what); the down part does not \(removal.effect.restore), and nothing says the migration is irreversible.",
                    help: help, line: removal.line, column: removal.column)
        }
        return hits.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
    }

    private static func help(for format: MigrationFormatKind) -> String {
        switch format {
        case .rails: "Make `def down` restore it, or `raise ActiveRecord::IrreversibleMigration` there (or add `# irreversible: <reason>`)."
        case .alembic: "Make `downgrade()` restore it, or raise in `downgrade()` (or add `# irreversible: <reason>`)."
        case .django: "Make `reverse_sql` restore it, or add `# irreversible: <reason>` above the operation."
        default: "Make the down part restore it, or add `-- irreversible: <reason>` to say the loss is on purpose."
        }
    }

    // MARK: - SQL

    private static func removals(in part: SQLPart) -> [Removal] {
        var removals: [Removal] = []
        for statement in part.statements {
            guard let node = statement.node else { continue }
            var effects: [Effect] = []
            switch statement.type {
            case "DropStmt" where node.string("removeType") == "OBJECT_TABLE":
                for object in node.elements("objects") ?? [] {
                    if let name = object.elements("List", "items")?.last?.string("String", "sval") {
                        effects.append(Effect(table: name) { table, _ in .table(table) })
                    }
                }
            case "TruncateStmt":
                for relation in node.elements("relations") ?? [] {
                    if let name = relation.string("RangeVar", "relname") { effects.append(Effect(table: name) { table, _ in .rows(table) }) }
                }
            case "DeleteStmt" where node["whereClause"] == nil:
                if let name = node.string("relation", "relname") { effects.append(Effect(table: name) { table, _ in .rows(table) }) }
            case "AlterTableStmt":
                guard let name = node.string("relation", "relname") else { continue }
                for command in node.elements("cmds") ?? [] {
                    guard let cmd = command["AlterTableCmd"], let column = cmd.string("name") else { continue }
                    switch cmd.string("subtype") {
                    case "AT_DropColumn": effects.append(Effect(table: name, column: column) { .column($0, $1) })
                    case "AT_AlterColumnType": effects.append(Effect(table: name, column: column) { .type($0, $1) })
                    default: break
                    }
                }
            default:
                continue
            }
            for effect in effects {
                // A scratch table created earlier in the same part holds nothing to restore. Tables
                // of other pending migrations still count: their own rollback needs them back.
                if case .table(let table) = effect, part.statements[..<statement.index].contains(where: { earlier in
                    earlier.type == "CreateStmt" && earlier.node?.string("relation", "relname")?.lowercased() == table
                }) { continue }
                let place = part.location(ofOffset: statement.statement.range.lowerBound)
                removals.append(Removal(effect: effect, line: place.line, column: place.column))
            }
        }
        return removals
    }

    private static func restorations(in part: SQLPart) -> Set<Effect> {
        var restored: Set<Effect> = []
        for statement in part.statements {
            guard let node = statement.node else { continue }
            switch statement.type {
            case "CreateStmt":
                if let name = node.string("relation", "relname") { restored.insert(Effect(table: name) { table, _ in .table(table) }) }
            case "CreateTableAsStmt":
                if let name = node.string("into", "rel", "relname") { restored.insert(Effect(table: name) { table, _ in .table(table) }) }
            case "InsertStmt", "CopyStmt":
                if let name = node.string("relation", "relname") { restored.insert(Effect(table: name) { table, _ in .rows(table) }) }
            case "AlterTableStmt":
                guard let name = node.string("relation", "relname") else { continue }
                for command in node.elements("cmds") ?? [] {
                    guard let cmd = command["AlterTableCmd"] else { continue }
                    switch cmd.string("subtype") {
                    case "AT_AddColumn":
                        if let column = cmd.string("def", "ColumnDef", "colname") {
                            restored.insert(Effect(table: name, column: column) { .column($0, $1) })
                        }
                    case "AT_AlterColumnType":
                        if let column = cmd.string("name") { restored.insert(Effect(table: name, column: column) { .type($0, $1) }) }
                    default:
                        break
                    }
                }
            default:
                continue
            }
        }
        return restored
    }

    // MARK: - Rails

    /// Calls ActiveRecord cannot invert in `def change`, outside `reversible` and `up_only`.
    private func irreversibleChanges(_ code: RailsCode, text: MigrationText) -> [RuleHit] {
        code.calls.compactMap { call in
            guard call.direction == .up, !IrreversibleOperation.isGuarded(call, in: code),
                  code.source.methods.last(where: { $0.body.contains(call.tokenIndex) })?.name == "change" else { return nil }
            let reason: String
            switch call.name {
            case "drop_table" where call.block == nil:
                reason = "`drop_table` without a block listing the columns: Rails cannot re-create the table"
            case "remove_column" where call.arguments.count < 3:
                reason = "`remove_column` without the column's type as third argument: Rails cannot add it back"
            case "remove_columns" where call.options["type"] == nil:
                reason = "`remove_columns` without `type:`: Rails cannot add them back"
            case "change_column":
                reason = "`change_column`: Rails does not know the column's previous definition"
            case "change_column_default" where call.options["from"] == nil || call.options["to"] == nil:
                reason = "`change_column_default` without `from:` and `to:`: Rails does not know the previous default"
            case "remove_index" where call.arguments.count < 2 && call.options["column"] == nil:
                reason = "`remove_index` without its column: Rails cannot re-create the index"
            case "remove_foreign_key" where call.arguments.count < 2 && call.options["to_table"] == nil:
                reason = "`remove_foreign_key` without the referenced table: Rails cannot re-create the key"
            case "remove_check_constraint" where call.arguments.count < 2:
                reason = "`remove_check_constraint` without its expression: Rails cannot re-create the constraint"
            case "execute":
                reason = "`execute` in `def change`: Rails cannot reverse SQL"
            default:
                return nil
            }
            return text.hit(at: call.token,
                            message: "\(reason), so `db:rollback` raises `ActiveRecord::IrreversibleMigration`.",
                            help: "Give Rails what it needs to reverse the call, move it into `reversible do |dir|` with `dir.down`, or write `def up`/`def down`.")
        }
    }

    /// Inside `reversible do |dir| … end` or `up_only { … }`, whose code Rails does not invert.
    private static func isGuarded(_ call: RailsCall, in code: RailsCode) -> Bool {
        code.isInsideBlock(call.tokenIndex, of: "reversible") || code.isInsideBlock(call.tokenIndex, of: "up_only")
    }

    /// Whether a removal found in SQL lies in the string of this `execute` call.
    private static func covers(_ call: RailsCall, line: Int) -> Bool {
        guard let argument = call.arguments.first?.first else { return false }
        return line >= call.token.line && line <= max(argument.endLine, argument.line)
    }

    /// Removals by DSL calls in `def up` (or `def change`, where ActiveRecord inverts them), and
    /// what `def down` (or `dir.down`) re-creates.
    private func railsRemovals(_ code: RailsCode, text: MigrationText, restored: inout Set<Effect>) -> [Removal] {
        var removals: [Removal] = []
        var created: Set<String> = []
        let isChange: Bool = if case .reversibleChange? = text.down { true } else { false }
        for call in code.calls {
            guard let tableName = call.name(at: 0) else { continue }
            let table = tableName.lowercased()
            var effects: [Effect] = []
            switch call.name {
            case "create_table":
                if call.direction == .down { restored.insert(.table(table)) } else { created.insert(table) }
            case "add_column":
                if call.direction == .down, let column = call.name(at: 1) { restored.insert(Effect(table: table, column: column) { .column($0, $1) }) }
            case "add_reference", "add_belongs_to":
                if call.direction == .down, let column = call.name(at: 1) {
                    restored.insert(Effect(table: table, column: column + "_id") { .column($0, $1) })
                }
            case "change_column":
                if call.direction == .down, let column = call.name(at: 1) {
                    restored.insert(Effect(table: table, column: column) { .type($0, $1) })
                } else if !isChange, let column = call.name(at: 1) {
                    effects.append(Effect(table: table, column: column) { .type($0, $1) })
                }
            case "drop_table" where call.direction == .up && !isChange && !created.contains(table):
                effects.append(.table(table))
            case "remove_column" where call.direction == .up && !isChange:
                if let column = call.name(at: 1) { effects.append(Effect(table: table, column: column) { .column($0, $1) }) }
            case "remove_columns" where call.direction == .up && !isChange:
                effects += (1..<max(call.arguments.count, 1)).compactMap { call.name(at: $0) }
                    .map { column in Effect(table: table, column: column) { .column($0, $1) } }
            case "remove_reference", "remove_belongs_to":
                if call.direction == .up, !isChange, let column = call.name(at: 1) {
                    effects.append(Effect(table: table, column: column + "_id") { .column($0, $1) })
                }
            default:
                break
            }
            let place = text.lineMap.location(of: call.token.range.lowerBound)
            removals += effects.map { Removal(effect: $0, line: place.line, column: place.column) }
        }
        return removals
    }

    // MARK: - Alembic

    private func alembicRemovals(_ python: PythonSource, text: MigrationText, restored: inout Set<Effect>) -> [Removal] {
        for operation in python.alembicCalls(inFunction: "downgrade") {
            guard let table = operation.table else { continue }
            switch operation.operation {
            case "create_table" where !operation.isBatch:
                restored.insert(Effect(table: table) { table, _ in .table(table) })
            case "add_column":
                if case .call(let column)? = operation.argument("column", opPosition: 1),
                   let name = column.argument("name", position: 0)?.string {
                    restored.insert(Effect(table: table, column: name) { .column($0, $1) })
                }
            case "alter_column":
                if operation.call.isSet("type_"), let column = operation.argument("column_name", opPosition: 1)?.string {
                    restored.insert(Effect(table: table, column: column) { .type($0, $1) })
                }
            default:
                break
            }
        }
        var removals: [Removal] = []
        var created: Set<String> = []
        for operation in python.alembicCalls(inFunction: "upgrade") {
            guard let table = operation.table else { continue }
            let effect: Effect
            switch operation.operation {
            case "create_table" where !operation.isBatch:
                created.insert(table.lowercased())
                continue
            case "drop_table" where !operation.isBatch && !created.contains(table.lowercased()):
                effect = Effect(table: table) { table, _ in .table(table) }
            case "drop_column":
                guard let column = operation.argument("column_name", opPosition: 1)?.string else { continue }
                effect = Effect(table: table, column: column) { .column($0, $1) }
            case "alter_column" where operation.call.isSet("type_"):
                guard let column = operation.argument("column_name", opPosition: 1)?.string else { continue }
                effect = Effect(table: table, column: column) { .type($0, $1) }
            default:
                continue
            }
            let column = python.firstToken(of: operation.call).map { text.lineMap.location(of: $0.range.lowerBound).column } ?? 1
            removals.append(Removal(effect: effect, line: operation.call.line, column: column))
        }
        return removals
    }
}

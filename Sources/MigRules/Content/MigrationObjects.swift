import MigSQL

/// A column type written in a migration, where squawk's type preference rules look: a column
/// of CREATE TABLE, ADD COLUMN, or ALTER COLUMN … TYPE.
struct WrittenColumnType {
    /// The `TypeName` node, whose location is where the type is written.
    let type: PGNode
    /// The type's own name (the last part), for messages and matching.
    let name: String?
    /// Unqualified or in `pg_catalog`: a type of another schema is the user's own whatever its name.
    private let isCatalogType: Bool
    /// Whether the type has modifiers, like the length of `varchar(20)`.
    let hasModifiers: Bool

    /// Decodes the names once: six rules ask about every column.
    init(type: PGNode) {
        self.type = type
        let parts = type.elements("names") ?? []
        name = parts.last?.string("String", "sval")
        isCatalogType = parts.count == 1 || parts.first?.string("String", "sval") == "pg_catalog"
        hasModifiers = type["typmods"] != nil
    }

    /// Whether the type is one of `names`, spelled as libpg_query names built-in types without
    /// their `pg_catalog`: `int4` for `integer`, `bpchar` for `char(n)`, `varchar`,
    /// `timestamp`, `serial`.
    func isBuiltin(_ names: [String]) -> Bool {
        isCatalogType && name.map(names.contains) == true
    }

    /// Calls `body` with each column type `statement` writes, if any.
    static func forEach(in statement: LintStatement, _ body: (WrittenColumnType) -> Void) {
        guard let node = statement.node else { return }
        switch statement.type {
        case "CreateStmt":
            for element in node.elements("tableElts") ?? [] {
                if let type = element["ColumnDef"]?["typeName"] { body(WrittenColumnType(type: type)) }
            }
        case "AlterTableStmt":
            for command in node.elements("cmds") ?? [] {
                guard let command = command["AlterTableCmd"], let type = command["def"]?["ColumnDef"]?["typeName"],
                      let subtype = command.string("subtype"), subtype == "AT_AddColumn" || subtype == "AT_AlterColumnType"
                else { continue }
                body(WrittenColumnType(type: type))
            }
        default:
            return
        }
    }
}

/// Names of what statements create, drop and alter, as libpg_query spells them (unquoted names
/// folded to lower case).
enum ObjectName {
    /// The last part of a dropped object's name: `b` of `a.b`, `f` of `f(int)`.
    static func of(droppedObject object: PGNode) -> String? {
        if let name = object.string("String", "sval") { return name }
        if let items = object.elements("List", "items"), let name = items.last?.string("String", "sval") { return name }
        if let names = object.elements("ObjectWithArgs", "objname") { return names.last?.string("String", "sval") }
        if let names = object.elements("TypeName", "names") { return names.last?.string("String", "sval") }
        return nil
    }

    /// The name of what a CREATE statement makes: a table, view, index, sequence, type,
    /// function, schema or extension; nil for other statements.
    static func created(by statement: LintStatement) -> String? {
        guard let node = statement.node else { return nil }
        switch statement.type {
        case "CreateStmt": return node.string("relation", "relname")
        case "ViewStmt": return node.string("view", "relname")
        case "IndexStmt": return node.string("idxname")
        case "CreateTableAsStmt": return node.string("into", "rel", "relname")
        case "CreateSeqStmt": return node.string("sequence", "relname")
        case "CreateEnumStmt", "CreateRangeStmt": return node.elements("typeName")?.last?.string("String", "sval")
        case "CompositeTypeStmt": return node.string("typevar", "relname")
        case "CreateDomainStmt": return node.elements("domainname")?.last?.string("String", "sval")
        case "CreateFunctionStmt": return node.elements("funcname")?.last?.string("String", "sval")
        case "CreateSchemaStmt": return node.string("schemaname")
        case "CreateExtensionStmt": return node.string("extname")
        default: return nil
        }
    }
}

extension MigrationText {
    /// Whether `name` is created earlier in the part than `statement`, or is a table that a
    /// pending migration creates: new, so no client uses it yet.
    func isNew(object name: String, before statement: LintStatement, in part: SQLPart) -> Bool {
        let name = name.lowercased()
        if newTables.contains(name) { return true }
        return part.statements[..<statement.index].contains { ObjectName.created(by: $0)?.lowercased() == name }
    }

    /// A hit for each `DROP` of one of `objectTypes` (libpg_query's `OBJECT_…` names) in the up
    /// parts that removes a live object. Objects created earlier in the same part, and tables
    /// that pending migrations create, are new: dropping them breaks no client. With
    /// `replaceable`, an object created again later in the same part, inside a transaction, is
    /// replaced rather than dropped (scenic's view updates): clients never see it missing.
    /// `message` gets the live objects' names, quoted and listed.
    func dropHits(of objectTypes: Set<String>, replaceable: Bool = false, message: (String) -> String,
                  help: String) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in upParts {
            for statement in part.statements where statement.type == "DropStmt" {
                guard let node = statement.node, let kind = node.string("removeType"), objectTypes.contains(kind) else { continue }
                let names = node.elements("objects")?.map { ObjectName.of(droppedObject: $0) } ?? []
                let live = names.filter { name in
                    guard let name else { return true }
                    if isNew(object: name, before: statement, in: part) { return false }
                    return !(replaceable && isReplaced(name, after: statement, in: part))
                }
                guard !live.isEmpty else { continue }
                let listed = live.map { "`\($0 ?? "?")`" }.joined(separator: ", ")
                hits.append(hit(part, statement, message: message(listed), help: help))
            }
        }
        return hits
    }

    /// Whether `name`, dropped by `statement`, is created again later in the part, and the
    /// drop runs in a transaction: the tool's, or BEGIN/START written earlier in the part.
    private func isReplaced(_ name: String, after statement: LintStatement, in part: SQLPart) -> Bool {
        let name = name.lowercased()
        guard part.statements[(statement.index + 1)...].contains(where: { ObjectName.created(by: $0)?.lowercased() == name })
        else { return false }
        if runsInTransaction { return true }
        let lastTransactionStatement = part.statements[..<statement.index].last { $0.type == "TransactionStmt" }
        let kind = lastTransactionStatement?.node?.string("kind")
        return kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START"
    }
}

/// An ALTER TABLE command on a live table, for the rules about what it removes or renames.
struct LiveTableCommand {
    let part: SQLPart
    let statement: LintStatement
    let table: String
    /// The `AlterTableCmd` node.
    let command: PGNode
}

extension MigrationText {
    /// The up parts' ALTER TABLE commands of `subtype` (`AT_DropColumn`…) on tables that are
    /// live: not created earlier in the same part nor by a pending migration.
    func liveTableCommands(_ subtype: String) -> [LiveTableCommand] {
        var found: [LiveTableCommand] = []
        for part in upParts {
            for statement in part.statements where statement.type == "AlterTableStmt" {
                guard let node = statement.node else { continue }
                var table: (name: String, isNew: Bool)?
                for command in node.elements("cmds") ?? [] {
                    guard let command = command["AlterTableCmd"], command.string("subtype") == subtype else { continue }
                    if table == nil {
                        let kind = node.string("objtype")
                        guard kind == "OBJECT_TABLE" || kind == "OBJECT_FOREIGN_TABLE",
                              let name = node.string("relation", "relname") else { break }
                        table = (name, isNew(table: name, before: statement, in: part))
                    }
                    if let table, !table.isNew {
                        found.append(LiveTableCommand(part: part, statement: statement, table: table.name, command: command))
                    }
                }
            }
        }
        return found
    }
}

extension MigrationText {
    /// A hit at each column type that the up parts write (CREATE TABLE, ADD COLUMN, ALTER
    /// COLUMN … TYPE) and `matches` accepts. Also on new tables: a type is chosen once, so
    /// the time to choose well is when the table is created.
    func columnTypeHits(where matches: (WrittenColumnType) -> Bool, message: (WrittenColumnType) -> String,
                        help: String) -> [RuleHit] {
        caches.writtenColumnTypes(of: self).compactMap { written in
            matches(written.type) ? hit(written.part, written.statement, node: written.type.type, message: message(written.type), help: help) : nil
        }
    }
}

/// What several rules of one file would otherwise each work out again, computed on first use.
/// A file is linted on one thread, so no lock is needed.
final class ContentCaches: @unchecked Sendable {
    private var columnTypes: [(part: SQLPart, statement: LintStatement, type: WrittenColumnType)]?
    private var newTablesProvider: (() -> Set<String>)?
    private var knownNewTables: Set<String>?

    init(newTables: @escaping () -> Set<String>) {
        newTablesProvider = newTables
    }

    func newTables() -> Set<String> {
        if let knownNewTables { return knownNewTables }
        let tables = Set((newTablesProvider?() ?? []).map { $0.lowercased() })
        knownNewTables = tables
        newTablesProvider = nil
        return tables
    }

    /// The column types the up parts write, in file order.
    func writtenColumnTypes(of text: MigrationText) -> [(part: SQLPart, statement: LintStatement, type: WrittenColumnType)] {
        if let columnTypes { return columnTypes }
        var found: [(part: SQLPart, statement: LintStatement, type: WrittenColumnType)] = []
        for part in text.upParts {
            for statement in part.statements where statement.type == "CreateStmt" || statement.type == "AlterTableStmt" {
                WrittenColumnType.forEach(in: statement) { found.append((part, statement, $0)) }
            }
        }
        columnTypes = found
        return found
    }
}

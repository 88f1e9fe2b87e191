import MigCore
import MigSQL

/// What the lock, rewrite and transaction rules (`ContentRuleRegistry.squawkLocks`) read from a
/// file's statements as they walk them once; a namespace of their own keeps other rule families'
/// helpers from clashing with these.
enum SquawkLocks {}

extension SquawkLocks {
    /// Which tables are new: created by a pending migration or earlier in the file. The parts of
    /// a framework migration (its SQL strings) run one after the other in one session, so a
    /// table one of them creates is new for the next ones too. `MigrationText.isNew`'s reading,
    /// kept as a set so that a file of many statements is still read in one pass; the names of
    /// created tables are only read once a rule asks, which most statements never make it do.
    final class Tables {
        private let text: MigrationText
        private var created: Set<String> = []
        private var unread: [PGNode] = []

        init(_ text: MigrationText) {
            self.text = text
        }

        /// Call with every CREATE TABLE, after checking it: its table is new from the next
        /// statement on.
        func note(_ create: PGNode?) {
            if let create { unread.append(create) }
        }

        /// Whether a table has rows and users: neither a pending migration nor the file created it.
        /// An unnamed relation counts as live, so a rule errs on the side of speaking.
        func isLive(_ table: String?) -> Bool {
            guard let name = table?.lowercased() else { return true }
            for create in unread {
                if let created = create.string("relation", "relname") { self.created.insert(created.lowercased()) }
            }
            unread.removeAll(keepingCapacity: true)
            // The file's own tables first: the pending ones are read from the rest of the set.
            return !created.contains(name) && !text.newTables.contains(name)
        }

        /// Whether the statement's `relation` is live.
        func isLive(_ node: PGNode) -> Bool {
            isLive(node.string("relation", "relname"))
        }
    }

    /// Hands `body` each statement of the file's up parts whose type is one of `types`, in order,
    /// with the tables as they stand before it. Rules read only the statements they look at
    /// this way, and only what they read of them: `for statement in part.statements`, and even
    /// `statements[index].type`, copy every statement and retain its storage, which cost more
    /// than the checks themselves (most of 7 µs a statement for the 21 rules on the SQL
    /// benchmark's corpus); reading the type through the buffer copies nothing.
    static func forEach(in text: MigrationText, of types: [String], _ body: (SQLPart, Visit, Tables) -> Void) {
        let tables = Tables(text)
        for part in text.upParts {
            part.statements.withUnsafeBufferPointer { statements in
                for index in statements.indices {
                    guard let type = statements[index].type else { continue }
                    if types.contains(type) {
                        body(part, Visit(type: type, node: statements[index].node, start: statements[index].statement.range.lowerBound,
                                         origin: statements[index].statement.origin), tables)
                    }
                    if type == "CreateStmt" { tables.note(statements[index].node) }
                }
            }
        }
    }

    /// What the rules read of a statement `forEach` hands them.
    struct Visit {
        let type: String?
        let node: PGNode?
        /// Where the statement starts in its part's source.
        let start: Int
        let origin: SQLStatement.Origin
    }

    /// Whether the statements run inside a transaction block, statement by statement: the tool's
    /// own (`MigrationText.runsInTransaction`) until an explicit COMMIT ends it, and explicit
    /// BEGIN … COMMIT blocks. Like `Tables`, it carries on from one up part to the next.
    struct Transaction {
        private(set) var isOpen: Bool

        init(_ text: MigrationText) {
            isOpen = text.runsInTransaction
        }

        init(isOpen: Bool) {
            self.isOpen = isOpen
        }

        /// Call with each statement, before checking the next one.
        mutating func note(_ statement: Visit) {
            switch TransactionKind(type: statement.type, node: statement.node, origin: statement.origin) {
            case .begin: isOpen = true
            case .end: isOpen = false
            case nil: break
            }
        }
    }

    /// BEGIN and START TRANSACTION, or COMMIT, END, ROLLBACK and ABORT, written in the file (a DO
    /// block's body has no transaction control of its own to read).
    enum TransactionKind {
        case begin
        case end

        init?(_ statement: LintStatement) {
            self.init(type: statement.type, node: statement.node, origin: statement.statement.origin)
        }

        init?(type: String?, node: PGNode?, origin: SQLStatement.Origin) {
            guard type == "TransactionStmt", origin == .file else { return nil }
            switch node?.string("kind") {
            case "TRANS_STMT_BEGIN", "TRANS_STMT_START": self = .begin
            case "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK": self = .end
            default: return nil
            }
        }
    }

    /// An ALTER TABLE's commands, unwrapped.
    static func commands(_ node: PGNode) -> Unwrapped {
        Unwrapped(node["cmds"], "AlterTableCmd")
    }

    /// A column definition's, table's or domain's constraints, unwrapped.
    static func constraints(_ node: PGNode) -> Unwrapped {
        Unwrapped(node["constraints"], "Constraint")
    }

    /// The constraints an ALTER TABLE command adds: ADD CONSTRAINT's, or those of ADD COLUMN's
    /// column definition.
    static func addedConstraints(_ command: PGNode) -> Unwrapped {
        switch command.string("subtype") {
        case "AT_AddConstraint": Unwrapped(single: command["def"]?["Constraint"])
        case "AT_AddColumn": command["def"]?["ColumnDef"].map(constraints) ?? Unwrapped(single: nil)
        default: Unwrapped(single: nil)
        }
    }

    /// The nodes of a list, each unwrapped from its type's wrapper (`{"Constraint": {…}}`), read
    /// one by one: `PGNode.elements` builds two arrays, which costs more than the rules' checks
    /// for the short lists of ALTER TABLE commands and column constraints.
    struct Unwrapped: Sequence, IteratorProtocol {
        private let list: PGNode?
        private let wrapper: String
        private var position = 0
        private var single: PGNode?

        init(_ list: PGNode?, _ wrapper: String) {
            self.list = list
            self.wrapper = wrapper
        }

        init(single node: PGNode?) {
            list = nil
            wrapper = ""
            single = node
        }

        mutating func next() -> PGNode? {
            if let node = single {
                single = nil
                return node
            }
            while let element = list?[position] {
                position += 1
                if let node = element[wrapper] { return node }
            }
            return nil
        }
    }

    /// The CONCURRENTLY form of a statement, which PostgreSQL refuses inside a transaction
    /// block or a function (a DO block): nil for any other statement.
    static func concurrentOperation(type: String?, node: PGNode?) -> String? {
        guard let node else { return nil }
        switch type {
        case "IndexStmt":
            return node.bool("concurrent") == true ? "CREATE INDEX CONCURRENTLY" : nil
        case "DropStmt":
            return node.bool("concurrent") == true ? "DROP INDEX CONCURRENTLY" : nil
        case "ReindexStmt":
            return isOn("concurrently", in: node["params"]) ? "REINDEX CONCURRENTLY" : nil
        case "AlterTableStmt":
            let detaches = commands(node).contains { command in
                command.string("subtype") == "AT_DetachPartition" && command.bool("def", "PartitionCmd", "concurrent") == true
            }
            return detaches ? "DETACH PARTITION CONCURRENTLY" : nil
        default:
            return nil
        }
    }

    /// The first statement of the file's up parts that takes a lock on an object others use
    /// while `setting` (`lock_timeout`, `statement_timeout`) is not set: by `SET`, `SET LOCAL`
    /// or `set_config`, earlier in the file (a framework's SQL strings share one session). Zero,
    /// DEFAULT and RESET leave it unset, as they mean no timeout; a local setting lasts until the
    /// explicit transaction it was made in ends.
    static func firstUnguardedLock(in text: MigrationText, without setting: String) -> (part: SQLPart, statement: LintStatement)? {
        let tables = Tables(text)
        var session = false, local = false
        for part in text.upParts {
            let found: LintStatement? = part.statements.withUnsafeBufferPointer { statements in
                for index in statements.indices {
                    guard let type = statements[index].type else { continue }
                    switch type {
                    case "VariableSetStmt", "SelectStmt":
                        guard let change = timeout(setting, in: statements[index]) else { continue }
                        if change.isLocal {
                            local = change.isSet
                        } else {
                            session = change.isSet
                            local = local && change.isSet
                        }
                    case "TransactionStmt":
                        if TransactionKind(statements[index]) == .end { local = false }
                    default:
                        if !session && !local && takesLock(statements[index], tables: tables) { return statements[index] }
                        if type == "CreateStmt" { tables.note(statements[index].node) }
                    }
                }
                return nil
            }
            if let found { return (part, found) }
        }
        return nil
    }

    /// How the statement sets `setting`: to a timeout or to none, for the session or the
    /// transaction; nil when it does not touch it.
    static func timeout(_ setting: String, in statement: LintStatement) -> (isSet: Bool, isLocal: Bool)? {
        guard let node = statement.node else { return nil }
        switch statement.type {
        case "VariableSetStmt":
            guard node.string("name")?.lowercased() == setting else { return nil }
            return (node.string("kind") == "VAR_SET_VALUE" && !isZero(node["args"]?[0]), node.bool("is_local") == true)
        case "SelectStmt":
            for target in node.elements("targetList") ?? [] {
                guard let call = target["ResTarget"]?["val"]?["FuncCall"],
                      lastName(call["funcname"])?.lowercased() == "set_config",
                      let arguments = call.elements("args"), arguments.count == 3,
                      arguments[0].string("A_Const", "sval", "sval")?.lowercased() == setting else { continue }
                return (!isZero(arguments[1]), arguments[2].bool("A_Const", "boolval", "boolval") == true)
            }
            return nil
        default:
            return nil
        }
    }

    /// `0`, `'0'` or `'0ms'`: no timeout. Anything else, a parameter included, counts as one.
    static func isZero(_ value: PGNode?) -> Bool {
        guard let value else { return true }
        if let number = integer(value) { return number == 0 }
        guard let text = value.string("A_Const", "sval", "sval") else { return false }
        return text.drop { $0 == "0" }.allSatisfy(\.isLetter) && text.first == "0"
    }

    /// Whether the statement takes a lock that makes others wait: DDL on an existing table
    /// (squawk counts every CREATE too, but creating a table or a function queues no one),
    /// drops, TRUNCATE, LOCK, VACUUM, CLUSTER, REINDEX, REFRESH, and a CREATE TABLE whose
    /// foreign key locks a live table.
    static func takesLock(_ statement: LintStatement, tables: Tables) -> Bool {
        guard let node = statement.node else { return false }
        switch statement.type {
        case "AlterTableStmt", "IndexStmt", "CreateTrigStmt", "RuleStmt", "CreatePolicyStmt", "AlterPolicyStmt",
             "RefreshMatViewStmt", "ClusterStmt", "ReindexStmt", "RenameStmt", "AlterObjectSchemaStmt":
            return tables.isLive(node)
        case "DropStmt", "TruncateStmt", "LockStmt", "AlterDomainStmt", "AlterEnumStmt", "VacuumStmt", "CommentStmt",
             "AlterSeqStmt", "AlterOwnerStmt", "AlterTableMoveAllStmt":
            return true
        case "ViewStmt":
            return node.bool("replace") == true
        case "CreateStmt":
            return (node.elements("tableElts") ?? []).contains { element in
                let constraints = element["ColumnDef"].map(SquawkLocks.constraints) ?? Unwrapped(single: element["Constraint"])
                return constraints.contains { constraint in
                    constraint.string("contype") == "CONSTR_FOREIGN" && tables.isLive(constraint.string("pktable", "relname"))
                }
            }
        default:
            return false
        }
    }

    /// Whether a statement's option list (VACUUM's, REINDEX's) turns `option` on: named bare or
    /// with a value other than false, off, no or 0.
    static func isOn(_ option: String, in options: PGNode?) -> Bool {
        for element in options?.elements ?? [] {
            guard let definition = element["DefElem"], definition.string("defname") == option else { continue }
            guard let value = definition["arg"] else { return true }
            if let number = value["Integer"] { return (number.int("ival") ?? 0) != 0 }
            guard let word = value.string("String", "sval")?.lowercased() else { return true }
            return !["false", "off", "no", "0"].contains(word)
        }
        return false
    }

    /// The lines of an Alembic migration's `with op.get_context().autocommit_block():` bodies,
    /// where Alembic commits its transaction and runs the statements outside one.
    static func autocommitLines(_ text: MigrationText) -> [ClosedRange<Int>] {
        guard text.format == .alembic, case .python(let python) = text.code else { return [] }
        let tokens = python.tokens
        var blocks: [ClosedRange<Int>] = []
        for start in tokens.indices where tokens[start].kind == .name && tokens[start].text == "autocommit_block" {
            guard let newline = tokens[start...].firstIndex(where: { $0.kind == .newline }),
                  newline + 1 < tokens.count, tokens[newline + 1].kind == .indent else { continue }
            var depth = 0
            var last = newline + 1
            for index in newline + 1..<tokens.count {
                switch tokens[index].kind {
                case .indent: depth += 1
                case .dedent: depth -= 1
                default: last = index
                }
                if depth == 0 { break }
            }
            blocks.append(tokens[newline + 1].line...tokens[last].endLine)
        }
        return blocks
    }

    /// How to keep the tool from wrapping the file in a transaction, in its own terms.
    static func outsideTransactionAdvice(_ format: MigrationFormatKind) -> String {
        switch format {
        case .rails: "add `disable_ddl_transaction!` to the migration"
        case .django: "set `atomic = False` on the migration"
        case .alembic: "run it in `with op.get_context().autocommit_block():`"
        case .dbmate: "mark the section `transaction:false`"
        case .flyway: "put it in a migration of its own, which Flyway then runs outside a transaction"
        case .golangMigrate, .prisma, .sql: "run it on its own, outside BEGIN … COMMIT"
        }
    }

    /// The last part of a qualified name list such as a type's `names` or a function's `funcname`.
    static func lastName(_ list: PGNode?) -> String? {
        list?.elements.last?.string("String", "sval")
    }

    /// An integer constant, as libpg_query writes `ival` (an empty object for 0).
    static func integer(_ node: PGNode) -> Int? {
        guard let value = node["A_Const"]?["ival"] else { return nil }
        return value.int("ival") ?? 0
    }
}

extension MigrationText {
    /// A hit placed where a statement a lock rule visits starts, or at the node's own location.
    func hit(_ part: SQLPart, _ statement: SquawkLocks.Visit, node: PGNode? = nil, message: String, help: String) -> RuleHit {
        hit(part, at: node?.location ?? statement.start, message: message, help: help)
    }
}

extension SquawkLocks {
    /// Hits for ALTER TABLE … ADD CONSTRAINT of `contype` (`CONSTR_PRIMARY`, `CONSTR_UNIQUE`) on a
    /// live table without `USING INDEX`: the constraint builds its index under the table's lock.
    static func indexBuildingConstraints(in text: MigrationText, contype: String, message: (String) -> String,
                                         help: String) -> [RuleHit] {
        var hits: [RuleHit] = []
        forEach(in: text, of: ["AlterTableStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            for command in commands(node) {
                for constraint in addedConstraints(command)
                where constraint.string("contype") == contype && constraint["indexname"] == nil {
                    guard tables.isLive(node) else { return }
                    let table = node.string("relation", "relname") ?? "the table"
                    hits.append(text.hit(part, statement, node: constraint, message: message(table), help: help))
                }
            }
        }
        return hits
    }
}

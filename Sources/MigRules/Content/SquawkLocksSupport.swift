import MigSQL

/// What the lock, rewrite and transaction rules (`ContentRuleRegistry.squawkLocks`) read from
/// a file's up parts as they walk their statements once, in a namespace of their own so that other rule
/// families' helpers cannot clash with these.
enum SquawkLocks {}

extension SquawkLocks {
    /// Which tables are new: created by a pending migration or earlier in the file. The parts of
    /// a framework migration (its SQL strings) run one after the other in one session, so a
    /// table one of them creates is new for the next ones too.
    struct Tables {
        private let pending: Set<String>
        private var created: Set<String> = []

        init(_ text: MigrationText) {
            pending = text.newTables
        }

        /// Call for every statement, after checking it: a table the file creates is new from the
        /// next statement on. `MigrationText.isNew`'s reading, kept as a set so that a file of
        /// many statements is still read in one pass.
        mutating func note(_ statement: LintStatement) {
            if statement.type == "CreateStmt", let name = statement.node?["relation"]?["relname"]?.string {
                created.insert(name.lowercased())
            }
        }

        /// Whether a table has rows and users: neither a pending migration nor the file created it.
        /// An unnamed relation counts as live, so a rule errs on the side of speaking.
        func isLive(_ table: String?) -> Bool {
            guard let name = table?.lowercased() else { return true }
            return !pending.contains(name) && !created.contains(name)
        }

        /// Whether the statement's `relation` is live.
        func isLive(_ node: PGNode) -> Bool {
            isLive(node["relation"]?["relname"]?.string)
        }
    }

    /// Whether the statements run inside a transaction block, statement by statement: the tool's
    /// own (`MigrationText.runsInTransaction`) until an explicit COMMIT ends it, and explicit
    /// BEGIN … COMMIT blocks. Like `Tables`, it carries on from one up part to the next.
    struct Transaction {
        private(set) var isOpen: Bool

        init(_ text: MigrationText) {
            isOpen = text.runsInTransaction
        }

        /// Call for every statement, before checking the next one.
        mutating func note(_ statement: LintStatement) {
            switch TransactionKind(statement) {
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
            guard statement.type == "TransactionStmt", statement.statement.origin == .file else { return nil }
            switch statement.node?["kind"]?.string {
            case "TRANS_STMT_BEGIN", "TRANS_STMT_START": self = .begin
            case "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK": self = .end
            default: return nil
            }
        }
    }

    /// An ALTER TABLE's commands, unwrapped.
    static func commands(_ node: PGNode) -> [PGNode] {
        (node["cmds"]?.elements ?? []).compactMap { $0["AlterTableCmd"] }
    }

    /// A column definition's, table's or domain's constraints, unwrapped.
    static func constraints(_ node: PGNode) -> [PGNode] {
        (node["constraints"]?.elements ?? []).compactMap { $0["Constraint"] }
    }

    /// The constraints an ALTER TABLE command adds: ADD CONSTRAINT's, or those of ADD COLUMN's
    /// column definition.
    static func addedConstraints(_ command: PGNode) -> [PGNode] {
        switch command["subtype"]?.string {
        case "AT_AddConstraint": command["def"]?["Constraint"].map { [$0] } ?? []
        case "AT_AddColumn": command["def"]?["ColumnDef"].map(constraints) ?? []
        default: []
        }
    }

    /// The last part of a qualified name list such as a type's `names` or a function's `funcname`.
    static func lastName(_ list: PGNode?) -> String? {
        list?.elements.last?["String"]?["sval"]?.string
    }

    /// An integer constant, as libpg_query writes `ival` (an empty object for 0).
    static func integer(_ node: PGNode) -> Int? {
        guard let value = node["A_Const"]?["ival"] else { return nil }
        return value["ival"]?.int ?? 0
    }
}

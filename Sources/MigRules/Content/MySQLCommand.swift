import MigSQL

/// What a MySQL statement does to tables, as far as the mysql rules need it; read from tokens,
/// since no MySQL parser is at hand. Statements of other kinds are not commands.
struct MySQLCommand {
    enum Kind {
        /// `ALTER [ONLINE] [IGNORE] TABLE t clause, clause, …`: the clauses as token ranges.
        case alterTable(clauses: [Range<Int>])
        /// `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX i ON t (…) options`: where the options may start.
        case createIndex(optionsFrom: Int)
        /// `CREATE TABLE t …`.
        case createTable
        /// `DROP TABLE [IF EXISTS] t, …` (not TEMPORARY): every table after the first in `others`.
        case dropTable(others: [(table: String, token: Int)])
        /// `RENAME TABLE a TO b, c TO d`: every renamed table after the first in `others`.
        case renameTable(others: [(table: String, token: Int)])
    }

    let kind: Kind
    /// The table the statement is on (lower-cased, schema left out), and the token of its name.
    let table: String
    let tableToken: Int

    init?(_ statement: MySQLStatement) {
        let count = statement.tokens.count
        if statement.isKeyword(0, "ALTER") {
            var index = 1
            while statement.isKeyword(index, oneOf: ["ONLINE", "OFFLINE", "IGNORE"]) { index += 1 }
            guard statement.isKeyword(index, "TABLE"), let name = statement.qualifiedName(at: index + 1) else { return nil }
            self.init(kind: .alterTable(clauses: statement.commaSeparated(name.next..<count)), table: name.name,
                      tableToken: index + 1)
        } else if statement.isKeyword(0, "CREATE") {
            var index = 1
            if statement.isKeyword(1, "OR"), statement.isKeyword(2, "REPLACE") { index = 3 }
            if statement.isKeyword(index, oneOf: ["UNIQUE", "FULLTEXT", "SPATIAL"]) { index += 1 }
            if statement.isKeyword(index, "INDEX") {
                guard let on = (index + 1..<count).first(where: { statement.isKeyword($0, "ON") }),
                      let name = statement.qualifiedName(at: on + 1) else { return nil }
                self.init(kind: .createIndex(optionsFrom: name.next), table: name.name, tableToken: on + 1)
            } else {
                if statement.isKeyword(index, "TEMPORARY") { index += 1 }
                guard statement.isKeyword(index, "TABLE") else { return nil }
                index += 1
                if statement.isKeyword(index, "IF"), statement.isKeyword(index + 1, "NOT"), statement.isKeyword(index + 2, "EXISTS") {
                    index += 3
                }
                guard let name = statement.qualifiedName(at: index) else { return nil }
                self.init(kind: .createTable, table: name.name, tableToken: index)
            }
        } else if statement.isKeyword(0, "DROP"), statement.isKeyword(1, "TABLE") || statement.isKeyword(1, "TABLES") {
            var index = 2
            if statement.isKeyword(index, "IF"), statement.isKeyword(index + 1, "EXISTS") { index += 2 }
            let tables = statement.commaSeparated(index..<count).compactMap { range in
                statement.qualifiedName(at: range.lowerBound).map { (table: $0.name, token: range.lowerBound) }
            }
            guard let first = tables.first else { return nil }
            self.init(kind: .dropTable(others: Array(tables.dropFirst())), table: first.table, tableToken: first.token)
        } else if statement.isKeyword(0, "RENAME"), statement.isKeyword(1, "TABLE") || statement.isKeyword(1, "TABLES") {
            let tables = statement.commaSeparated(2..<count).compactMap { range in
                statement.qualifiedName(at: range.lowerBound).map { (table: $0.name, token: range.lowerBound) }
            }
            guard let first = tables.first else { return nil }
            self.init(kind: .renameTable(others: Array(tables.dropFirst())), table: first.table, tableToken: first.token)
        } else {
            return nil
        }
    }

    private init(kind: Kind, table: String, tableToken: Int) {
        self.kind = kind
        self.table = table
        self.tableToken = tableToken
    }
}

extension MySQLStatement {
    /// The value of an `ALTER TABLE` clause `OPTION [=] value` such as `ALGORITHM=INPLACE`,
    /// lower-cased; nil when no clause sets it.
    func alterOption(_ option: StaticString, clauses: [Range<Int>]) -> String? {
        for clause in clauses {
            if let value = self.option(option, in: clause.lowerBound..<clause.lowerBound + 1) { return value }
        }
        return nil
    }

    /// Whether `range` holds `first second` outside parentheses, such as `NOT NULL`.
    func contains(_ first: StaticString, _ second: StaticString? = nil, in range: Range<Int>) -> Bool {
        var depth = 0
        for index in range {
            if isPunctuation(index, "(") {
                depth += 1
            } else if isPunctuation(index, ")") {
                depth = max(0, depth - 1)
            } else if depth == 0, isKeyword(index, first), second.map({ isKeyword(index + 1, $0) }) ?? true {
                return true
            }
        }
        return false
    }
}

extension MigrationText {
    /// Each command of the up parts of a MySQL migration, with whether a table is new: created
    /// by a migration no environment has run, or earlier in the same part.
    func forEachMySQLCommand(_ body: (SQLPart, MySQLStatement, MySQLCommand, _ isNew: (String) -> Bool) -> Void) {
        guard dialect == .mysql else { return }
        for part in upParts {
            var created: Set<String> = []
            for statement in part.mysqlStatements {
                guard let command = MySQLCommand(statement) else { continue }
                body(part, statement, command) { created.contains($0) || newTables.contains($0) }
                if case .createTable = command.kind { created.insert(command.table) }
            }
        }
    }

    /// A hit at a token of a MySQL statement.
    func hit(_ part: SQLPart, _ statement: MySQLStatement, token: Int, message: String, help: String) -> RuleHit {
        hit(part, at: statement.tokens[token].range.lowerBound, message: message, help: help)
    }
}

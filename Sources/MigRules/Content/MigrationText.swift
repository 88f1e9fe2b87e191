public import MigCore
public import MigFormats
public import MigSQL

/// One migration file as the content rules read it: its SQL split into up and down parts and
/// parsed statement by statement (PostgreSQL), cut into statements of tokens (MySQL) or kept as
/// text (other dialects), its framework code when it is Ruby or Python, and what history says
/// about the tables it touches.
public struct MigrationText: Sendable {
    public let path: RepoPath
    public let format: MigrationFormatKind
    public let dialect: Dialect
    public let bytes: [UInt8]
    public let lineMap: LineMap
    /// Up parts first, each in file order. A SQL file gives one part per section; framework code
    /// gives one part per embedded SQL string.
    public let parts: [SQLPart]
    public let code: FrameworkCode
    /// The tool wraps the file in a transaction: Rails without `disable_ddl_transaction!`,
    /// Alembic, Django unless `atomic = False`, Flyway, dbmate without `transaction:false`.
    public let runsInTransaction: Bool
    /// Lower-cased names of tables that migrations no environment has run yet create: new and
    /// empty, so lock and rewrite rules leave them alone. Worked out on first use, since finding
    /// them reads the set's other pending migrations and most files never ask (a hook judging a
    /// long push would otherwise pay for it on every commit).
    public var newTables: Set<String> { caches.newTables() }
    /// Where the migration's rollback is, as its format's discovery sees it; nil when unknown.
    /// A file read alone cannot see a sibling down file (golang-migrate and sql `.up.sql`,
    /// Flyway `V` files), so there it is nil unless the caller, knowing the whole set, says.
    public let down: DownPart?
    /// The separate down file's SQL (`.down.sql`, Flyway's `U` file) when the caller read it;
    /// its offsets, lines and `source` are that file's, and it is in none of `parts`.
    public let downFile: SQLPart?
    let caches: ContentCaches

    public var upParts: [SQLPart] { parts.filter { $0.direction == .up } }
    public var downParts: [SQLPart] { parts.filter { $0.direction == .down } }

    /// Whether `table` is new at `statement`: created by a pending migration, or earlier in the
    /// same part. Schema qualifiers are ignored, as migrations rarely create two same-named tables.
    public func isNew(table: String, before statement: LintStatement, in part: SQLPart) -> Bool {
        let name = table.lowercased()
        if newTables.contains(name) { return true }
        return part.statements[..<statement.index].contains { earlier in
            earlier.type == "CreateStmt" && earlier.node?.string("relation", "relname")?.lowercased() == name
        }
    }

    /// A hit placed at a byte offset of one of the parts.
    public func hit(_ part: SQLPart, at offset: Int, message: String, help: String) -> RuleHit {
        let place = part.location(ofOffset: offset)
        return RuleHit(message: message, help: help, line: place.line, column: place.column)
    }

    /// A hit placed where a statement starts, or at the node's own location when it has one.
    public func hit(_ part: SQLPart, _ statement: LintStatement, node: PGNode? = nil, message: String,
                    help: String) -> RuleHit {
        hit(part, at: node?.location ?? statement.statement.range.lowerBound, message: message, help: help)
    }
}

/// The code of a framework migration, for rules that read its DSL.
public enum FrameworkCode: Sendable {
    case none
    case ruby(RubySource)
    case python(PythonSource)
}

/// SQL that runs in one direction: a section of a SQL file, a whole up or down file, or a string
/// embedded in framework code (`execute "…"`, `op.execute("…")`, `RunSQL`).
public struct SQLPart: Sendable {
    public enum Direction: Sendable, Hashable {
        case up
        case down
    }

    public enum Placement: Sendable, Hashable {
        /// Offsets are the file's own.
        case file
        /// Offsets are those of a string whose first character is at this line and column of the
        /// file; exact when the literal has no escapes, as SQL strings rarely do.
        case embedded(line: Int, column: Int)
    }

    public let direction: Direction
    /// What offsets refer to: the file's bytes, or the embedded string's.
    public let source: [UInt8]
    /// The part within `source`.
    public let range: Range<Int>
    /// Parsed statements (PostgreSQL only), in order; `LintStatement.index` is the position here.
    public let statements: [LintStatement]
    public let placement: Placement
    /// The statements of a MySQL part, read once for all the rules; empty for other dialects.
    public let mysqlStatements: [MySQLStatement]
    let lineMap: LineMap

    public init(direction: Direction, source: [UInt8], range: Range<Int>, statements: [LintStatement],
                placement: Placement, lineMap: LineMap, mysqlStatements: [MySQLStatement] = []) {
        self.direction = direction
        self.source = source
        self.range = range
        self.statements = statements
        self.placement = placement
        self.mysqlStatements = mysqlStatements
        self.lineMap = lineMap
    }

    /// The part with its text read as a MySQL script.
    func readingMySQL() -> SQLPart {
        SQLPart(direction: direction, source: source, range: range, statements: statements, placement: placement,
                lineMap: lineMap, mysqlStatements: MySQLScript(source, range: range).statements)
    }

    /// The text of the part, for dialects read by a tokenizer rather than libpg_query.
    public var text: String { String(decoding: source[range], as: UTF8.self) }

    /// The file line and column of an offset into `source`.
    public func location(ofOffset offset: Int) -> (line: Int, column: Int) {
        let local = lineMap.location(of: offset)
        switch placement {
        case .file:
            return (local.line, local.column)
        case .embedded(let line, let column):
            return (line + local.line - 1, local.line == 1 ? column + local.column - 1 : local.column)
        }
    }
}

/// A parsed statement with its type looked up once, since every rule asks for it. A class, so
/// the dozens of rules that each walk every statement copy one reference rather than the
/// statement's text, trees and error (half the rules' time went to that retaining).
public final class LintStatement: Sendable {
    public let statement: SQLStatement
    /// The node type, such as `IndexStmt`; nil when the statement did not parse.
    public let type: String?
    /// The node inside the type wrapper: `tree["IndexStmt"]`.
    public let node: PGNode?
    /// Position in the part's statements.
    public let index: Int

    public init(_ statement: SQLStatement, index: Int) {
        self.statement = statement
        type = statement.tree?.type
        node = type.flatMap { statement.tree?[$0] }
        self.index = index
    }
}

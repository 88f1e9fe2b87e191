/// A PostgreSQL migration file read statement by statement with libpg_query, for the content
/// rules: every statement with its syntax tree or its error, in file order, with byte ranges and
/// tree locations in the original file.
///
/// Reading never fails: a statement that does not parse is an entry with PostgreSQL's message
/// and place, and the statements after it are parsed as usual. Statements are split as psql
/// splits a file it runs; psql's meta-commands and the data lines of `COPY … FROM STDIN` are
/// skipped and noted; the body of a PL/pgSQL `DO` block is parsed too, its SQL statements
/// following the block as statements of their own.
public struct SQLDocument: Sendable {
    /// The file as given.
    public let bytes: [UInt8]
    public let lineMap: LineMap
    /// In file order; the statements of a DO block's body come right after the block.
    /// Empty when the document was read statement by statement.
    public let statements: [SQLStatement]
    /// What was skipped and why, in file order.
    public let notes: [SQLNote]

    /// Reads `bytes`, a UTF-8 file with or without a byte order mark. `placeholders` are the
    /// policy's `(text, replacement)` pairs (DESIGN §1), replaced before parsing; any other
    /// `{{ … }}` or `${…}` reads as an identifier.
    public static func parse(_ bytes: [UInt8], placeholders: [(String, String)] = []) -> SQLDocument {
        var statements: [SQLStatement] = []
        let document = parse(bytes, placeholders: placeholders) { statements.append($0) }
        return SQLDocument(bytes: bytes, lineMap: document.lineMap, statements: statements, notes: document.notes)
    }

    /// Reads `bytes` as `parse(_:placeholders:)` does, but hands each statement to `body` as soon
    /// as it is read and keeps none, so memory follows the size of the file rather than that of
    /// its trees, which is some 25 times more (Benchmarks/sql/README.md). The document returned
    /// has its notes and line map, and no statements.
    public static func parse(_ bytes: [UInt8], placeholders: [(String, String)] = [],
                             each body: (SQLStatement) throws -> Void) rethrows -> SQLDocument {
        let rewritten = Placeholders.rewrite(bytes, known: placeholders)
        var text = rewritten.text
        let split = StatementSplitter.split(&text)
        var builder = DocumentBuilder(original: bytes, map: rewritten.map)
        try builder.read(text: text, split: split, each: body)
        return SQLDocument(bytes: bytes, lineMap: builder.lineMap, statements: [], notes: builder.notes)
    }
}

public struct SQLStatement: Sendable {
    public enum Origin: Sendable, Hashable {
        /// Written in the file.
        case file
        /// Part of the body of the DO block at `parent` in the document's `statements` (or in
        /// the order statements were handed over): found in PL/pgSQL as an SQL statement, or as
        /// the constant string of an `EXECUTE`.
        case doBlock(parent: Int)
    }

    /// UTF-8 byte offsets in the original file, from the first token to the last; the `;` and
    /// the comments around the statement are left out.
    public let range: Range<Int>
    /// The original bytes of `range`.
    public let text: String
    /// The statement node, such as `{"CreateStmt": {…}}`; nil when the statement has an error.
    public let tree: PGNode?
    /// Why the statement could not be parsed, placed in the original file. Its cursor position
    /// is PostgreSQL's, counted in the statement as libpg_query was given it.
    public let error: SQLError?
    public let origin: Origin
}

/// Something in the file that was not read as SQL.
public struct SQLNote: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A psql command such as `\set` or `\i`, which only psql understands.
        case psqlMetaCommand
        /// The rows after `COPY … FROM STDIN`, up to `\.`.
        case copyData
        /// Bytes that are not UTF-8 outside any statement, in a comment for instance. Inside a
        /// statement they are the statement's error, as a UTF-8 server rejects them.
        case invalidEncoding
    }

    public let kind: Kind
    /// UTF-8 byte offsets in the original file.
    public let range: Range<Int>
    public let message: String
}

/// One token of PostgreSQL text, as the server's own scanner reads it.
public struct SQLToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Any word the grammar knows, reserved or not (`SELECT`, `text` is not one, `status` is).
        case keyword
        /// An unquoted name; PostgreSQL folds it to lower case.
        case identifier
        /// A `"quoted"` or `U&"quoted"` name, kept exactly as written.
        case quotedIdentifier
        /// Every string form: `'…'`, `E'…'`, `$tag$…$tag$`, `U&'…'`, `B'…'`, `X'…'`.
        case string
        case number
        /// `$1`.
        case parameter
        /// `( ) [ ] , ; . :`
        case punctuation
        /// `+`, `::`, `<=`, `->>` and every other operator.
        case `operator`
        /// `-- …` up to the end of the line, the line break excluded.
        case lineComment
        /// `/* … */`, nesting included.
        case blockComment
        /// A character the scanner passes through alone, such as `{` in templated SQL.
        case other
    }

    /// How reserved a keyword is (PostgreSQL's keyword categories); `none` for other tokens.
    public enum KeywordKind: Int32, Sendable, Hashable {
        case none = 0
        case unreserved = 1
        case columnName = 2
        case typeOrFunctionName = 3
        case reserved = 4
    }

    public let kind: Kind
    public let keywordKind: KeywordKind
    /// libpg_query's token number (the `Token` enum of `pg_query.proto`), for callers that
    /// need to tell keywords apart without comparing text.
    public let rawToken: Int32
    /// UTF-8 byte offsets in the scanned text.
    public let range: Range<Int>

    init(kind: Kind, keywordKind: KeywordKind, rawToken: Int32, range: Range<Int>) {
        self.kind = kind
        self.keywordKind = keywordKind
        self.rawToken = rawToken
        self.range = range
    }

    public var isComment: Bool { kind == .lineComment || kind == .blockComment }
}

/// A failure talking to PostgreSQL, with the server's (or libpq's) own message.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No connection: the server is down, the address or credentials are wrong.
        case connection
        /// The server refused a statement; `sqlState` and `position` say which and where.
        case statement
        /// A PostgreSQL program (initdb, postgres, pg_dump) failed or is missing.
        case tool
    }

    public let kind: Kind
    /// The server's primary message (or libpq's / the tool's, for the other kinds).
    public let message: String
    public let sqlState: String?
    public let detail: String?
    public let hint: String?
    /// 1-based character position in the statement text where the server located the error.
    public let position: Int?

    public init(kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
                position: Int? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.position = position
    }

    /// The message with its SQLSTATE, detail and hint, on one line.
    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += "; \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        return text
    }
}

public import MigCore

/// A light, dialect-agnostic reading of SQL: statements split at `;`, their words, and the
/// comments, with strings, quoted identifiers, dollar quotes and block comments skipped.
///
/// This is what formats need to find `-- migrate:down` markers, tell data from schema
/// migrations and spot dialect clues; real parsing belongs to MigSQL.
public struct SQLScan: Sendable, Hashable {
    public struct Statement: Sendable, Hashable {
        /// Uppercased bare words and single punctuation characters, in order; string
        /// literals and quoted identifiers are left out.
        public let tokens: [String]
        public let startLine: Int
        public let endLine: Int

        public var keyword: String { tokens.first ?? "" }
    }

    public struct Comment: Sendable, Hashable {
        /// The text after `--`, or between `/*` and `*/`.
        public let text: String
        public let line: Int
        public let endLine: Int
    }

    public private(set) var statements: [Statement] = []
    public private(set) var comments: [Comment] = []
    /// Whether a `` `name` `` identifier appears: MySQL's quoting.
    public private(set) var hasBacktickIdentifiers = false
    public let lineCount: Int

    public init(_ text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.run()
        statements = scanner.statements
        comments = scanner.comments
        hasBacktickIdentifiers = scanner.sawBacktick
        lineCount = text.utf8.last == UInt8(ascii: "\n") ? scanner.line - 1 : scanner.line
    }

    /// Data when every statement that does something moves rows (INSERT, UPDATE, DELETE,
    /// COPY, MERGE, or a WITH feeding one) and at least one does; transaction control, SET
    /// and SELECT are neutral; anything else is schema.
    public func kind(lines: ClosedRange<Int>? = nil) -> MigrationKind {
        classify(lines: lines) ?? .schema
    }

    /// Like `kind`, but nil when no statement is data or schema (empty, or only neutral ones).
    public func classify(lines: ClosedRange<Int>? = nil) -> MigrationKind? {
        var sawData = false
        for statement in statements where lines.map({ $0.contains(statement.startLine) }) ?? true {
            switch SQLScan.role(of: statement) {
            case .schema: return .schema
            case .data: sawData = true
            case .neutral: break
            }
        }
        return sawData ? .data : nil
    }

    /// Whether any statement starts inside `lines`.
    public func hasStatements(in lines: ClosedRange<Int>) -> Bool {
        statements.contains { lines.contains($0.startLine) }
    }

    /// The last line inside `lines` that holds a statement or a comment.
    func lastContentLine(in lines: ClosedRange<Int>) -> Int? {
        let ends = statements.filter { lines.contains($0.startLine) }.map { min($0.endLine, lines.upperBound) }
            + comments.filter { lines.contains($0.line) }.map { min($0.endLine, lines.upperBound) }
        return ends.max()
    }

    enum Role { case schema, data, neutral }

    private static let dataKeywords: Set<String> = ["INSERT", "UPDATE", "DELETE", "COPY", "MERGE", "UPSERT", "REPLACE"]
    private static let neutralKeywords: Set<String> = [
        "BEGIN", "COMMIT", "END", "ROLLBACK", "START", "SAVEPOINT", "RELEASE", "SET", "RESET", "SELECT",
        "ANALYZE", "VACUUM", "SHOW", "USE",
    ]

    static func role(of statement: Statement) -> Role {
        let keyword = statement.keyword
        if dataKeywords.contains(keyword) { return .data }
        if keyword == "WITH" {
            return statement.tokens.contains(where: dataKeywords.contains) ? .data : .neutral
        }
        if neutralKeywords.contains(keyword) || keyword.isEmpty { return .neutral }
        return .schema
    }
}

private struct Scanner {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var statements: [SQLScan.Statement] = []
    var comments: [SQLScan.Comment] = []
    var sawBacktick = false
    private var tokens: [String] = []
    private var statementStart: Int?
    private var statementEnd = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func run() {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                lineComment()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                blockComment()
            case UInt8(ascii: "'"):
                touch()
                quoted(UInt8(ascii: "'"), backslashEscapes: escapeStringPrefix())
            case UInt8(ascii: "\""):
                touch()
                quoted(UInt8(ascii: "\""), backslashEscapes: false)
            case UInt8(ascii: "`"):
                touch()
                sawBacktick = true
                quoted(UInt8(ascii: "`"), backslashEscapes: false)
            case UInt8(ascii: "$") where dollarTag() != nil:
                touch()
                dollarQuoted(dollarTag()!)
            case UInt8(ascii: ";"):
                finishStatement()
                index += 1
            default:
                if isWordByte(byte) {
                    word()
                } else {
                    touch()
                    tokens.append(String(UnicodeScalar(byte)))
                    index += 1
                }
            }
        }
        finishStatement()
    }

    private func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || FileName.isDigit(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private mutating func touch() {
        if statementStart == nil { statementStart = line }
        statementEnd = line
    }

    private mutating func word() {
        touch()
        let start = index
        while index < bytes.count, isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "$") { index += 1 }
        tokens.append(String(decoding: bytes[start..<index], as: UTF8.self).uppercased())
    }

    /// `E'…'` strings take backslash escapes; plain ones do not (standard_conforming_strings).
    private func escapeStringPrefix() -> Bool {
        guard index > 0, bytes[index - 1] == UInt8(ascii: "E") || bytes[index - 1] == UInt8(ascii: "e") else { return false }
        return index < 2 || !isWordByte(bytes[index - 2])
    }

    private mutating func lineComment() {
        let start = index + 2
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        comments.append(SQLScan.Comment(text: String(decoding: bytes[start..<index], as: UTF8.self), line: line, endLine: line))
    }

    /// PostgreSQL block comments nest.
    private mutating func blockComment() {
        let startLine = line
        let start = index + 2
        var depth = 0
        var end = bytes.count
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 {
                    end = index - 2
                    break
                }
            } else {
                if bytes[index] == UInt8(ascii: "\n") { line += 1 }
                index += 1
            }
        }
        let text = String(decoding: bytes[start..<max(start, min(end, bytes.count))], as: UTF8.self)
        comments.append(SQLScan.Comment(text: text, line: startLine, endLine: line))
    }

    /// A quoted run, where a doubled quote stands for itself.
    private mutating func quoted(_ quote: UInt8, backslashEscapes: Bool) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if backslashEscapes, byte == UInt8(ascii: "\\") {
                if peek(1) == UInt8(ascii: "\n") { line += 1 }
                index += 2
                continue
            }
            index += 1
            if byte == quote {
                if index < bytes.count, bytes[index] == quote {
                    index += 1
                    continue
                }
                break
            }
        }
        statementEnd = line
    }

    /// `$$` or `$tag$` at the current position; `$1` parameters are not tags.
    private func dollarTag() -> [UInt8]? {
        var end = index + 1
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else { return nil }
        if end > index + 1, FileName.isDigit(bytes[index + 1]) { return nil }
        return Array(bytes[index...end])
    }

    private mutating func dollarQuoted(_ tag: [UInt8]) {
        index += tag.count
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "$"), bytes[index...].starts(with: tag) {
                index += tag.count
                break
            }
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        statementEnd = line
    }

    private mutating func finishStatement() {
        if let start = statementStart {
            statements.append(SQLScan.Statement(tokens: tokens, startLine: start, endLine: max(statementEnd, start)))
        }
        tokens = []
        statementStart = nil
    }
}

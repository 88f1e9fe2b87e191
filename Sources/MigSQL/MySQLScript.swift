/// A MySQL script cut into statements the way the `mysql` client runs a file: at the delimiter
/// (`;` until a `DELIMITER` line changes it) outside quotes and comments, so a trigger or
/// procedure body between `DELIMITER $$` and `$$` stays one statement. Without `DELIMITER`, a
/// `BEGIN … END` body is cut at its inner `;`, as the client cuts it.
///
/// Reading never fails and decodes nothing; offsets are those of the bytes given, so a part of a
/// file keeps the file's positions.
public struct MySQLScript: Sendable {
    public let statements: [MySQLStatement]
    /// The `DELIMITER` lines, which only the client reads.
    public let delimiterCommands: [Range<Int>]

    /// Reads `source[range]`.
    public init(_ source: [UInt8], range: Range<Int>) {
        var statements: [MySQLStatement] = []
        var commands: [Range<Int>] = []
        source.withUnsafeBufferPointer { bytes in
            var tokenizer = MySQLTokenizer(bytes, end: range.upperBound)
            var tokens: [MySQLToken] = []
            var lineStart = range.lowerBound
            var index = range.lowerBound
            func endStatement() {
                if let first = tokens.first, let last = tokens.last {
                    statements.append(MySQLStatement(source: source, range: first.range.lowerBound..<last.range.upperBound,
                                                     tokens: tokens))
                }
                tokens.removeAll(keepingCapacity: true)
            }
            while index < range.upperBound {
                let start = tokenizer.skipBlanks(from: index)
                if let lastBreak = (index..<start).last(where: { bytes[$0] == UInt8(ascii: "\n") }) {
                    lineStart = lastBreak + 1
                }
                index = start
                guard index < range.upperBound else { break }
                if tokens.isEmpty, !tokenizer.inVersionedComment, lineStart == index || Self.onlyBlanks(bytes, lineStart..<index),
                   let command = Self.delimiterCommand(bytes, at: index, end: range.upperBound) {
                    commands.append(index..<command.end)
                    if let delimiter = command.delimiter { tokenizer.delimiter = delimiter }
                    index = command.end
                    continue
                }
                let delimiterLength = tokenizer.delimiterLength(at: index)
                if delimiterLength > 0 {
                    endStatement()
                    index += delimiterLength
                    continue
                }
                let token = tokenizer.token(at: index)
                if token.kind != .comment { tokens.append(token) }
                index = token.range.upperBound
            }
            endStatement()
        }
        self.statements = statements
        delimiterCommands = commands
    }

    private static func onlyBlanks(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.allSatisfy { MySQLTokenizer.isBlank(bytes[$0]) }
    }

    /// `DELIMITER x` at `start`, up to its line break: the new delimiter is the first word after
    /// the command (nil when there is none, which the client refuses and ignores).
    private static func delimiterCommand(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, end: Int)
        -> (delimiter: [UInt8]?, end: Int)? {
        let name = "delimiter".utf8
        guard start + name.count < end,
              zip(bytes[start..<start + name.count], name).allSatisfy({ $0 | 0x20 == $1 }),
              MySQLTokenizer.isBlank(bytes[start + name.count]) else { return nil }
        var lineEnd = start + name.count
        while lineEnd < end, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var argumentStart = start + name.count
        while argumentStart < lineEnd, MySQLTokenizer.isBlank(bytes[argumentStart]) { argumentStart += 1 }
        var argumentEnd = argumentStart
        while argumentEnd < lineEnd, !MySQLTokenizer.isBlank(bytes[argumentEnd]) { argumentEnd += 1 }
        return (argumentEnd > argumentStart ? Array(bytes[argumentStart..<argumentEnd]) : nil, lineEnd)
    }
}

/// One statement of a MySQL script: its code tokens, comments left out and the content of
/// versioned comments kept.
public struct MySQLStatement: Sendable {
    /// The bytes the offsets refer to.
    public let source: [UInt8]
    /// From the first code token to the last, the delimiter left out.
    public let range: Range<Int>
    public let tokens: [MySQLToken]

    public init(source: [UInt8], range: Range<Int>, tokens: [MySQLToken]) {
        self.source = source
        self.range = range
        self.tokens = tokens
    }

    /// Whether token `index` is the unquoted word `keyword`, which is given in upper case.
    public func isKeyword(_ index: Int, _ keyword: StaticString) -> Bool {
        guard index < tokens.count, tokens[index].kind == .word else { return false }
        let range = tokens[index].range
        guard range.count == keyword.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: keyword.utf8Start, count: keyword.utf8CodeUnitCount)
        return zip(source[range], expected).allSatisfy { $0 & 0xDF == $1 }
    }

    /// Whether token `index` is one of `keywords`.
    public func isKeyword(_ index: Int, oneOf keywords: [StaticString]) -> Bool {
        keywords.contains { isKeyword(index, $0) }
    }

    /// The name token `index` spells, lower-cased (MySQL compares column names without case, and
    /// table names too on the case-insensitive file systems most teams use); nil for other tokens.
    public func name(at index: Int) -> String? {
        guard index < tokens.count else { return nil }
        let range = tokens[index].range
        switch tokens[index].kind {
        case .word:
            return String(decoding: source[range], as: UTF8.self).lowercased()
        case .quotedIdentifier:
            var inner: [UInt8] = []
            var index = range.lowerBound + 1
            while index < range.upperBound {
                let byte = source[index]
                if byte == UInt8(ascii: "`") {
                    guard index + 1 < range.upperBound, source[index + 1] == byte else { break }
                    index += 1
                }
                inner.append(byte)
                index += 1
            }
            return String(decoding: inner, as: UTF8.self).lowercased()
        default:
            return nil
        }
    }

    /// A possibly qualified name starting at token `index` (`db`.`table`): the last part, and the
    /// index of the token after the name.
    public func qualifiedName(at index: Int) -> (name: String, next: Int)? {
        guard var name = name(at: index) else { return nil }
        var next = index + 1
        while next + 1 < tokens.count, isPunctuation(next, "."), let part = self.name(at: next + 1) {
            name = part
            next += 2
        }
        return (name, next)
    }

    public func isPunctuation(_ index: Int, _ character: Unicode.Scalar) -> Bool {
        index < tokens.count && tokens[index].kind == .punctuation && source[tokens[index].range.lowerBound] == UInt8(ascii: character)
    }

    /// The token indices of `range` cut at its commas outside parentheses: the clauses of an
    /// `ALTER TABLE` or the tables of a `DROP TABLE`.
    public func commaSeparated(_ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var depth = 0
        var start = range.lowerBound
        for index in range {
            if isPunctuation(index, "(") {
                depth += 1
            } else if isPunctuation(index, ")") {
                depth = max(0, depth - 1)
            } else if depth == 0, isPunctuation(index, ",") {
                result.append(start..<index)
                start = index + 1
            }
        }
        result.append(start..<range.upperBound)
        return result.filter { !$0.isEmpty }
    }

    /// The word after `OPTION [=]` among `range` at parenthesis depth 0, such as `INPLACE` for
    /// `ALGORITHM`; lower-cased.
    public func option(_ option: StaticString, in range: Range<Int>) -> String? {
        var depth = 0
        for index in range {
            if isPunctuation(index, "(") {
                depth += 1
            } else if isPunctuation(index, ")") {
                depth = max(0, depth - 1)
            } else if depth == 0, isKeyword(index, option) {
                let value = tokens.indices.contains(index + 1) && tokens[index + 1].kind == .operator
                    && source[tokens[index + 1].range.lowerBound] == UInt8(ascii: "=") ? index + 2 : index + 1
                return name(at: value)
            }
        }
        return nil
    }
}

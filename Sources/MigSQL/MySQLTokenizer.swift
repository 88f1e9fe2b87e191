/// One token of MySQL text, as the server's lexer and the `mysql` client read it.
public struct MySQLToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A keyword or an unquoted name (MySQL allows names that start with a digit).
        case word
        /// A `` `quoted` `` name, a doubled backtick standing for one.
        case quotedIdentifier
        /// `'…'` or `"…"` (a string unless the server runs with ANSI_QUOTES), with backslash
        /// escapes and doubled quotes.
        case string
        case number
        /// `( ) , . ;` — `;` only when it is not the statement delimiter.
        case punctuation
        /// Any other symbol, one character per token: `=`, `@`, `<`, …
        case `operator`
        /// `-- …`, `# …` up to the end of the line, or `/* … */` (not nesting). The content of a
        /// versioned comment `/*! … */` is code: its tokens are read, its markers skipped.
        case comment
    }

    public let kind: Kind
    /// UTF-8 byte offsets in the text given to the tokenizer.
    public let range: Range<Int>

    public init(kind: Kind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

/// Reads MySQL text token by token. The statement delimiter is the caller's (it changes with the
/// `mysql` client's `DELIMITER` command), so `next` stops every token before it; the caller
/// checks for it with `delimiterLength(at:)` before asking for a token.
///
/// Bytes that are not UTF-8 are name characters outside quotes, as MySQL reads bytes of a
/// multi-byte character set; nothing is decoded, so no input stops the reading.
struct MySQLTokenizer {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let end: Int
    var delimiter: [UInt8] = [UInt8(ascii: ";")]
    /// Inside `/*! … */`, whose closing `*/` is skipped rather than read as an operator.
    private(set) var inVersionedComment = false

    init(_ bytes: UnsafeBufferPointer<UInt8>, end: Int) {
        self.bytes = bytes
        self.end = end
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r") || byte == 0x0B || byte == 0x0C
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private func byte(_ index: Int) -> UInt8? {
        index < end ? bytes[index] : nil
    }

    /// The delimiter's length when it starts at `index`, else 0.
    func delimiterLength(at index: Int) -> Int {
        guard index + delimiter.count <= end else { return 0 }
        for offset in delimiter.indices where bytes[index + offset] != delimiter[offset] { return 0 }
        return delimiter.count
    }

    /// The first offset at or after `start` that is not a blank or a versioned comment's marker.
    mutating func skipBlanks(from start: Int) -> Int {
        var index = start
        while index < end {
            if Self.isBlank(bytes[index]) {
                index += 1
            } else if inVersionedComment, bytes[index] == UInt8(ascii: "*"), byte(index + 1) == UInt8(ascii: "/") {
                inVersionedComment = false
                index += 2
            } else if !inVersionedComment, let codeStart = versionedCommentCodeStart(at: index) {
                inVersionedComment = true
                index = codeStart
            } else {
                return index
            }
        }
        return index
    }

    /// `/*!` or MariaDB's `/*M!`, with the optional version number after it.
    private func versionedCommentCodeStart(at index: Int) -> Int? {
        guard bytes[index] == UInt8(ascii: "/"), byte(index + 1) == UInt8(ascii: "*") else { return nil }
        var code = index + 2
        if byte(code) == UInt8(ascii: "M") { code += 1 }
        guard byte(code) == UInt8(ascii: "!") else { return nil }
        code += 1
        var digits = 0
        while digits < 6, let next = byte(code), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
            code += 1
            digits += 1
        }
        return code
    }

    /// The token at `start`, which is not a blank, a versioned comment's marker or the delimiter.
    func token(at start: Int) -> MySQLToken {
        let first = bytes[start]
        let next = byte(start + 1)
        let kind: MySQLToken.Kind
        var index = start + 1
        switch first {
        case UInt8(ascii: "#"):
            kind = .comment
            index = lineEnd(from: start)
        case UInt8(ascii: "-") where next == UInt8(ascii: "-") && (byte(start + 2).map { $0 <= 0x20 } ?? true):
            kind = .comment
            index = lineEnd(from: start)
        case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
            kind = .comment
            index = start + 2
            while index < end, !(bytes[index] == UInt8(ascii: "*") && byte(index + 1) == UInt8(ascii: "/")) { index += 1 }
            index = min(index + 2, end)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            kind = .string
            index = quotedEnd(from: start, backslashEscapes: true)
        case UInt8(ascii: "`"):
            kind = .quotedIdentifier
            index = quotedEnd(from: start, backslashEscapes: false)
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ";"):
            kind = .punctuation
        case _ where Self.isWordByte(first):
            while index < end, Self.isWordByte(bytes[index]), delimiterLength(at: index) == 0 { index += 1 }
            let isNumber = (start..<index).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) }
            kind = isNumber ? .number : .word
        default:
            kind = .operator
        }
        return MySQLToken(kind: kind, range: start..<index)
    }

    /// Before the line break; a comment does not end a statement, so the `\r` of CRLF may stay in it.
    private func lineEnd(from start: Int) -> Int {
        var index = start
        while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        return index
    }

    /// After the closing quote, a doubled quote standing for one; unterminated runs to the end.
    private func quotedEnd(from start: Int, backslashEscapes: Bool) -> Int {
        let quote = bytes[start]
        var index = start + 1
        while index < end {
            let current = bytes[index]
            if current == quote {
                if byte(index + 1) == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += backslashEscapes && current == UInt8(ascii: "\\") ? 2 : 1
        }
        return end
    }
}

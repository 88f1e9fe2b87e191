/// Cuts SQL into statements the way psql does when it runs a file (`psqlscan.l`): at `;`
/// outside quotes, comments, parentheses and the `BEGIN … END` of a `CREATE FUNCTION … BEGIN
/// ATOMIC` body; skipping psql's meta-commands and the data lines after `COPY … FROM STDIN`.
///
/// It works on bytes and never fails, which libpg_query's splitters cannot promise:
/// `pg_query_split_with_parser` gives up on the whole file at the first syntax error,
/// `pg_query_split_with_scanner` at the first lexical one and cuts `BEGIN ATOMIC` bodies at
/// their inner `;`, and neither knows meta-commands, COPY data or templated text. Each statement
/// is then parsed on its own, so an error stays in its statement.
struct StatementSplitter {
    struct Output {
        var statements: [Statement] = []
        var skipped: [Skipped] = []
    }

    struct Statement {
        /// From the first token to the last, the `;` left out.
        let range: Range<Int>
        /// An upper estimate of how deep the statement's syntax tree nests; see `Nesting`.
        let nesting: Int
    }

    struct Skipped {
        enum Kind { case metaCommand, copyData }
        let kind: Kind
        let range: Range<Int>
    }

    /// Splits `text` (with a UTF-8 byte order mark or not). Meta-commands inside a statement
    /// are blanked in `text`, as psql leaves them out of the query it sends; `\g` and its
    /// variants end the statement as `;` does.
    static func split(_ text: inout [UInt8]) -> Output {
        var splitter = StatementSplitter()
        var blanks: [Range<Int>] = []
        text.withUnsafeBufferPointer { bytes in
            splitter.run(bytes, blanks: &blanks)
        }
        for range in blanks {
            for index in range { text[index] = UInt8(ascii: " ") }
        }
        return splitter.output
    }

    /// The meta-commands that send the query buffer, as `;` does.
    private static let sendingCommands: Set<String> = ["g", "gx", "gset", "gexec", "gdesc"]

    private var output = Output()
    private var nesting = Nesting()
    private var statementStart: Int?
    private var lastTokenEnd = 0
    private var parenDepth = 0
    /// psql's heuristic for `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC … END`.
    private var beginDepth = 0
    private var wordCount = 0
    /// The first letters of the first four words when they are `create`, `or`, `replace`,
    /// `function` or `procedure`, as psql keeps them.
    private var leadingWords = SIMD4<UInt8>()
    private var isCopy = false
    private var previousWordIsFrom = false
    private var copiesFromStdin = false
    /// Set by the `;` of a `COPY … FROM STDIN`: its data starts on the next line.
    private var dataFollows = false

    private mutating func run(_ bytes: UnsafeBufferPointer<UInt8>, blanks: inout [Range<Int>]) {
        var index = Lexer.hasByteOrderMark(bytes) ? 3 : 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                index += 1
                if dataFollows {
                    dataFollows = false
                    let end = Self.copyDataEnd(bytes, from: index)
                    output.skipped.append(Skipped(kind: .copyData, range: index..<end))
                    index = end
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                index += 1
            case UInt8(ascii: "-") where Lexer.byte(bytes, index + 1) == UInt8(ascii: "-"),
                 UInt8(ascii: "/") where Lexer.byte(bytes, index + 1) == UInt8(ascii: "*"):
                index = Lexer.commentEnd(bytes, at: index)
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let end = Lexer.quotedEnd(bytes, at: index, backslashEscapes: false)
                token(index..<end)
                index = end
            case UInt8(ascii: "$"):
                let end = Lexer.dollarQuotedEnd(bytes, at: index) ?? index + 1
                token(index..<end)
                index = end
            case UInt8(ascii: "("):
                token(index..<index + 1)
                parenDepth += 1
                nesting.open()
                index += 1
            case UInt8(ascii: ")"):
                token(index..<index + 1)
                parenDepth = max(0, parenDepth - 1)
                nesting.close()
                index += 1
            case UInt8(ascii: ","):
                token(index..<index + 1)
                nesting.breakChain()
                index += 1
            case UInt8(ascii: ":") where Lexer.byte(bytes, index + 1) == UInt8(ascii: ":"):
                token(index..<index + 2)
                nesting.chain()
                index += 2
            case _ where Lexer.isOperator(byte):
                var end = index + 1
                while end < bytes.count, Lexer.isOperator(bytes[end]),
                      !Lexer.startsComment(bytes, at: end) {
                    end += 1
                }
                token(index..<end)
                nesting.chain()
                index = end
            case UInt8(ascii: ";"):
                if parenDepth == 0, beginDepth == 0 {
                    endStatement(terminated: true)
                } else {
                    token(index..<index + 1)
                }
                index += 1
            case UInt8(ascii: "\\"):
                let end = Lexer.lineEnd(bytes, from: index)
                let command = String(decoding: Lexer.metaCommandName(bytes, at: index), as: UTF8.self)
                let endsStatement = Self.sendingCommands.contains(command)
                output.skipped.append(Skipped(kind: .metaCommand, range: index..<end))
                if endsStatement {
                    endStatement(terminated: true)
                } else if statementStart != nil {
                    blanks.append(index..<end)
                }
                if command == "copy", Lexer.readsStdin(bytes[index..<end]) { dataFollows = true }
                index = end
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                var end = index + 1
                while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
                token(index..<end)
                index = end
            default:
                guard Lexer.isIdentifierStart(byte) else {
                    token(index..<index + 1)
                    index += 1
                    continue
                }
                let end = Lexer.wordEnd(bytes, from: index)
                if end == index + 1, byte | 0x20 == UInt8(ascii: "e"), Lexer.byte(bytes, end) == UInt8(ascii: "'") {
                    let stringEnd = Lexer.quotedEnd(bytes, at: end, backslashEscapes: true)
                    token(index..<stringEnd)
                    index = stringEnd
                    continue
                }
                token(index..<end)
                word(bytes[index..<end])
                index = end
            }
        }
        endStatement(terminated: false)
    }

    private mutating func token(_ range: Range<Int>) {
        if statementStart == nil { statementStart = range.lowerBound }
        lastTokenEnd = range.upperBound
    }

    private mutating func word(_ word: Slice<UnsafeBufferPointer<UInt8>>) {
        func isWord(_ expected: StaticString) -> Bool {
            word.count == expected.utf8CodeUnitCount
                && zip(word, UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount))
                    .allSatisfy { $0 | 0x20 == $1 }
        }
        if wordCount < 4, isWord("create") || isWord("function") || isWord("procedure") || isWord("or") || isWord("replace") {
            leadingWords[wordCount] = word.first! | 0x20
        }
        if wordCount == 0 { isCopy = isWord("copy") }
        wordCount += 1
        let c = UInt8(ascii: "c"), f = UInt8(ascii: "f"), p = UInt8(ascii: "p"), o = UInt8(ascii: "o")
        let definesRoutine = leadingWords[0] == c && (leadingWords[1] == f || leadingWords[1] == p
            || (leadingWords[1] == o && leadingWords[2] == UInt8(ascii: "r") && (leadingWords[3] == f || leadingWords[3] == p)))
        if definesRoutine, parenDepth == 0 {
            if isWord("begin") {
                beginDepth += 1
            } else if isWord("case"), beginDepth >= 1 {
                beginDepth += 1
            } else if isWord("end"), beginDepth > 0 {
                beginDepth -= 1
            }
        }
        if isCopy, parenDepth == 0 {
            if previousWordIsFrom, isWord("stdin") { copiesFromStdin = true }
            previousWordIsFrom = isWord("from")
        }
        if isWord("and") || isWord("or") || isWord("when") || isWord("then") || isWord("else") {
            nesting.breakChain()
        } else if isWord("collate") || isWord("at") || isWord("union") || isWord("intersect") || isWord("except")
                    || isWord("join") {
            nesting.chain()
        }
    }

    private mutating func endStatement(terminated: Bool) {
        if let start = statementStart {
            output.statements.append(Statement(range: start..<lastTokenEnd, nesting: nesting.deepest))
        }
        nesting.reset()
        if terminated, copiesFromStdin { dataFollows = true }
        statementStart = nil
        parenDepth = 0
        beginDepth = 0
        wordCount = 0
        leadingWords = SIMD4()
        isCopy = false
        previousWordIsFrom = false
        copiesFromStdin = false
    }

    /// After the line `\.` (which is part of the data), or at the end of the file.
    private static func copyDataEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var lineStart = start
        while lineStart < bytes.count {
            let end = Lexer.lineEnd(bytes, from: lineStart)
            if end - lineStart == 2, bytes[lineStart] == UInt8(ascii: "\\"), bytes[lineStart + 1] == UInt8(ascii: ".") {
                return end
            }
            lineStart = end
            while lineStart < bytes.count, bytes[lineStart] != UInt8(ascii: "\n") { lineStart += 1 }
            lineStart += 1
        }
        return bytes.count
    }
}

/// How deep a statement's tree may nest, from its tokens alone.
///
/// libpg_query 15 writes its trees with recursive functions and no depth check, so a long chain
/// of left-associative operators (`1 + 1 + …`, 65,000 terms) overflows an 8 MB stack and
/// kills the process (pganalyze/pg_query#339). Those chains are the grammar's left-recursive
/// rules, which nest the tree without growing the parser's own stack: each operator, `::`,
/// `COLLATE`, `AT TIME ZONE`, set operation and join nests one level more; commas, `AND`, `OR`
/// and `CASE` arms make flat lists, so they end a chain; a parenthesized group nests one level
/// below the chain it is in. What else nests (brackets, `NOT`, `CASE`) grows the parser's stack,
/// which stops at 10,000 levels with "memory exhausted".
struct Nesting {
    private struct Chain {
        var operators = 0
        /// The deepest parenthesized group in the chain.
        var operand = 0
        /// The deepest chain ended at this level.
        var deepest = 0

        var depth: Int { max(deepest, operators + operand) }
    }

    private var levels = [Chain()]

    var deepest: Int {
        var levels = levels
        while levels.count > 1 {
            let inner = levels.removeLast()
            levels[levels.count - 1].operand = max(levels[levels.count - 1].operand, inner.depth + 1)
        }
        return levels[0].depth
    }

    mutating func reset() {
        levels.removeAll(keepingCapacity: true)
        levels.append(Chain())
    }

    mutating func chain() {
        levels[levels.count - 1].operators += 1
    }

    mutating func breakChain() {
        let depth = levels[levels.count - 1].depth
        levels[levels.count - 1] = Chain(deepest: depth)
    }

    mutating func open() {
        levels.append(Chain())
    }

    mutating func close() {
        guard levels.count > 1 else { return }
        let inner = levels.removeLast()
        levels[levels.count - 1].operand = max(levels[levels.count - 1].operand, inner.depth + 1)
    }
}

/// The byte-level pieces of PostgreSQL's lexical structure that splitting and DO blocks need.
/// Unterminated constructs run to the end of the text, as they do for the server.
enum Lexer {
    static func byte(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    /// PostgreSQL's operator characters.
    static func isOperator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"),
             UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "&"), UInt8(ascii: "|"),
             UInt8(ascii: "`"), UInt8(ascii: "?"):
            true
        default:
            false
        }
    }

    static func startsComment(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        (bytes[index] == UInt8(ascii: "-") && byte(bytes, index + 1) == UInt8(ascii: "-"))
            || (bytes[index] == UInt8(ascii: "/") && byte(bytes, index + 1) == UInt8(ascii: "*"))
    }

    static func hasByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// PostgreSQL's `ident_start`: letters, `_` and every byte of a multi-byte character.
    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    static func isIdentifierContinuation(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "$")
    }

    static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start + 1
        while end < bytes.count, isIdentifierContinuation(bytes[end]) { end += 1 }
        return end
    }

    /// The offset of the line's `\n`, or of a `\r` just before it, or the end of the text.
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return end > start && bytes[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
    }

    /// A `--` comment ends before its line break; `/* … */` comments nest.
    static func commentEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int {
        if bytes[start] == UInt8(ascii: "-") {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            return end
        }
        var depth = 0
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// `'…'` or `"…"` starting at `start`, with the quote doubled inside; in `E'…'` strings a
    /// backslash also escapes the next byte.
    static func quotedEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, backslashEscapes: Bool) -> Int {
        let quote = bytes[start]
        var index = start + 1
        while index < bytes.count {
            let current = bytes[index]
            if current == quote {
                if byte(bytes, index + 1) == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += backslashEscapes && current == UInt8(ascii: "\\") ? 2 : 1
        }
        return bytes.count
    }

    /// The end of the `$tag$…$tag$` string starting at `start`, or nil when the `$` does not open
    /// one (`$1`, or a `$` after a name, which belongs to the name and never gets here).
    static func dollarQuotedEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard let delimiterEnd = dollarDelimiterEnd(bytes, at: start) else { return nil }
        let length = delimiterEnd - start
        var index = delimiterEnd
        while index + length <= bytes.count {
            if bytes[index] == UInt8(ascii: "$"), (0..<length).allSatisfy({ bytes[index + $0] == bytes[start + $0] }) {
                return index + length
            }
            index += 1
        }
        return bytes.count
    }

    /// The end of the opening `$tag$` at `start`.
    static func dollarDelimiterEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var index = start + 1
        if let first = byte(bytes, index), first != UInt8(ascii: "$") {
            guard isIdentifierStart(first) else { return nil }
            while index < bytes.count, isIdentifierContinuation(bytes[index]), bytes[index] != UInt8(ascii: "$") { index += 1 }
        }
        return byte(bytes, index) == UInt8(ascii: "$") ? index + 1 : nil
    }

    /// The command's name after the backslash, lowercased: `set` for `\set x 1`.
    static func metaCommandName(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> [UInt8] {
        var end = start + 1
        while end < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[end] | 0x20) { end += 1 }
        return bytes[start + 1..<end].map { $0 | 0x20 }
    }

    /// Whether a `\copy` line reads its rows from the file itself (`from stdin`).
    static func readsStdin(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let words = String(decoding: line, as: UTF8.self).lowercased().split(whereSeparator: \.isWhitespace)
        return zip(words, words.dropFirst()).contains { $0 == "from" && $1 == "stdin" }
    }

    /// The first offset at or after `start` that is not whitespace or a comment.
    static func skipTrivia(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                index += 1
            case UInt8(ascii: "-") where byte(bytes, index + 1) == UInt8(ascii: "-"),
                 UInt8(ascii: "/") where byte(bytes, index + 1) == UInt8(ascii: "*"):
                index = commentEnd(bytes, at: index)
            default:
                return index
            }
        }
        return index
    }
}

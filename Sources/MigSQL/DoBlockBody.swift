/// The SQL inside a `DO` block, which runs with the migration and so is linted with it.
///
/// The body is compiled with `pg_query_parse_plpgsql`, the PL/pgSQL compiler itself, which tells
/// SQL statements from PL/pgSQL ones (`IF`, `RAISE`, assignments) in every nested block, loop and
/// exception handler. It reports each SQL statement's text and line but not its offset, so the
/// text is looked for from the start of that line; the compiler blanks an `INTO` clause, and
/// blanks match anything.
extension DocumentBuilder {
    mutating func appendBody(of block: PGNode, statement text: [UInt8], range: Range<Int>, locator: Locator, parent: Int) {
        let options = block.elements("args")?.compactMap { $0["DefElem"] } ?? []
        func option(_ name: String) -> String? {
            options.first { $0.string("defname") == name }?.string("arg", "String", "sval")
        }
        guard let source = option("as"), option("language").map({ $0.lowercased() == "plpgsql" }) ?? true else { return }
        let value = Array(source.utf8)
        let literalStart = text.withUnsafeBufferPointer { Self.bodyLiteralStart(in: $0, range: range) }
        let constant = literalStart.flatMap { start in text.withUnsafeBufferPointer { StringConstant($0, at: start) } }
        // Escape strings and constants continued on the next line (`'…'\n'…'`) are not decoded
        // here: their statements are placed at the literal's start.
        let body = constant.flatMap { $0.value == value ? $0 : nil }
            ?? StringConstant(value: value, origin: .scattered(Array(repeating: literalStart ?? range.lowerBound,
                                                                     count: value.count + 1)))
        let bodyLocator = locator.through(body.origin, length: body.value.count)

        let nesting = Self.nesting(of: body.value)
        guard nesting <= Self.deepestNesting else {
            // Refused by the same guard, with the same error.
            appendParsed(body.value, nesting: nesting, locator: bodyLocator, parent: parent)
            return
        }
        let function = Array("CREATE FUNCTION migledger_do() RETURNS void LANGUAGE plpgsql AS '".utf8)
            + body.value.flatMap { $0 == UInt8(ascii: "'") ? [$0, $0] : [$0] } + [UInt8(ascii: "'")]
        let compiled: PGTree
        do throws(SQLError) {
            compiled = try PostgresParser.parsePLpgSQL(function, locator: bodyLocator)
        } catch {
            let placed = SQLError(operation: error.operation, message: error.message, cursorPosition: nil,
                                  location: lineMap.location(of: bodyLocator.originalStart(0)))
            append(range: bodyLocator.originalRange(0..<body.value.count), tree: nil, error: placed, parent: parent)
            return
        }
        for (start, sql) in Self.embeddedStatements(of: compiled.root, in: body.value) {
            switch sql {
            case .statement(let query):
                appendParsed(query, nesting: Self.nesting(of: query),
                             locator: bodyLocator.through(.contiguous(base: start), length: query.count), parent: parent)
            case .constant(let constant, let length):
                let inBody = bodyLocator.through(.contiguous(base: start), length: length)
                appendParsed(constant.value, nesting: Self.nesting(of: constant.value),
                             locator: inBody.through(constant.origin, length: constant.value.count), parent: parent)
            }
        }
    }

    private enum EmbeddedSQL {
        case statement([UInt8])
        /// `EXECUTE '…'`: a constant string run as a statement, and the length of its literal.
        case constant(StringConstant, Int)
    }

    /// The SQL statements of a compiled body, with their offsets in the body, in body order.
    private static func embeddedStatements(of function: PGNode, in body: [UInt8]) -> [(Int, EmbeddedSQL)] {
        var found: [(line: Int, order: Int, query: [UInt8], dynamic: Bool)] = []
        // `DO` and `CALL` are statements of their own in PL/pgSQL.
        let kinds = [("PLpgSQL_stmt_execsql", "sqlstmt", false), ("PLpgSQL_stmt_call", "expr", false),
                     ("PLpgSQL_stmt_dynexecute", "query", true)]
        for (type, field, dynamic) in kinds {
            for statement in function.descendants(type) {
                let expression = statement[field]?.string("PLpgSQL_expr", "query")
                guard let query = expression else { continue }
                found.append((statement.int("lineno") ?? 1, statement.index, Array(query.utf8), dynamic))
            }
        }
        // Lines, then the compiler's order, which is the body's within a line.
        found.sort { ($0.line, $0.order) < ($1.line, $1.order) }
        var lineStarts = [0]
        for (offset, byte) in body.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        var searchFrom = 0
        var result: [(Int, EmbeddedSQL)] = []
        for (line, _, query, dynamic) in found {
            let lineStart = lineStarts[min(max(line - 1, 0), lineStarts.count - 1)]
            guard let start = position(of: query, in: body, from: max(lineStart, searchFrom)) else { continue }
            searchFrom = start + query.count
            if !dynamic {
                result.append((start, .statement(query)))
            } else if let constant = query.withUnsafeBufferPointer({ StringConstant($0, at: 0) }),
                      constant.origin.rewritten(constant.value.count) + constant.closingLength == query.count {
                result.append((start, .constant(constant, query.count)))
            }
        }
        return result
    }

    /// The first place at or after `start` where `query` is, a blank in it matching any byte.
    private static func position(of query: [UInt8], in body: [UInt8], from start: Int) -> Int? {
        guard let first = query.first, body.count >= query.count else { return nil }
        var candidate = start
        while candidate + query.count <= body.count {
            if body[candidate] == first,
               query.indices.allSatisfy({ query[$0] == body[candidate + $0] || query[$0] == UInt8(ascii: " ") }) {
                return candidate
            }
            candidate += 1
        }
        return nil
    }

    /// `DO [LANGUAGE name] 'body' [LANGUAGE name]`: where the body's string constant starts.
    private static func bodyLiteralStart(in text: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int? {
        var index = Lexer.skipTrivia(text, from: range.lowerBound)
        guard index < range.upperBound, Lexer.isIdentifierStart(text[index]) else { return nil }
        index = Lexer.wordEnd(text, from: index)
        while true {
            index = Lexer.skipTrivia(text, from: index)
            guard index < range.upperBound else { return nil }
            if text[index] == UInt8(ascii: "'") || text[index] == UInt8(ascii: "$") { return index }
            guard Lexer.isIdentifierStart(text[index]) else { return nil }
            let end = Lexer.wordEnd(text, from: index)
            // `E'…'`: not decoded, so the caller falls back to the value libpg_query gives.
            if end < range.upperBound, text[end] == UInt8(ascii: "'") { return index }
            index = Lexer.skipTrivia(text, from: end)
            guard index < range.upperBound else { return nil }
            if text[index] == UInt8(ascii: "'") {
                index = Lexer.quotedEnd(text, at: index, backslashEscapes: false)
            } else if text[index] == UInt8(ascii: "$"), let end = Lexer.dollarQuotedEnd(text, at: index) {
                index = end
            } else {
                index = Lexer.wordEnd(text, from: index)
            }
        }
    }
}

/// A string constant's value and where each of its bytes is in the text holding it.
struct StringConstant {
    let value: [UInt8]
    /// Offsets in the holding text.
    let origin: TextOrigin
    /// The length of the closing quote or `$tag$`.
    var closingLength = 0

    init(value: [UInt8], origin: TextOrigin) {
        self.value = value
        self.origin = origin
    }

    /// The `$tag$…$tag$` or `'…'` constant at `start`; nil for other forms (`E'…'`, `U&'…'`) and
    /// for an unterminated one.
    init?(_ text: UnsafeBufferPointer<UInt8>, at start: Int) {
        if text[start] == UInt8(ascii: "$") {
            guard let contentStart = Lexer.dollarDelimiterEnd(text, at: start),
                  let end = Lexer.dollarQuotedEnd(text, at: start), end - contentStart >= contentStart - start else { return nil }
            let delimiter = contentStart - start
            let contentEnd = end - delimiter
            guard (0..<delimiter).allSatisfy({ text[contentEnd + $0] == text[start + $0] }) else { return nil }
            self.init(value: Array(text[contentStart..<contentEnd]), origin: .contiguous(base: contentStart))
            closingLength = delimiter
        } else if text[start] == UInt8(ascii: "'") {
            let end = Lexer.quotedEnd(text, at: start, backslashEscapes: false)
            guard end - start >= 2, text[end - 1] == UInt8(ascii: "'") else { return nil }
            var value: [UInt8] = [], offsets: [Int] = []
            var index = start + 1
            while index < end - 1 {
                value.append(text[index])
                offsets.append(index)
                index += text[index] == UInt8(ascii: "'") ? 2 : 1
            }
            self.init(value: value, origin: .scattered(offsets + [end - 1]))
            closingLength = 1
        } else {
            return nil
        }
    }
}

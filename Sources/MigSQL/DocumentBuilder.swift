/// Turns the splitter's statements into `SQLStatement`s, parsing each with libpg_query.
struct DocumentBuilder {
    let original: [UInt8]
    let lineMap: LineMap
    let map: OffsetMap
    /// The statement being read and those of its DO block, until they are handed over.
    var pending: [SQLStatement] = []
    /// How many statements were handed over.
    var handedOver = 0
    var notes: [SQLNote] = []

    init(original: [UInt8], map: OffsetMap) {
        self.original = original
        self.map = map
        lineMap = LineMap(original)
    }

    /// `text` is the rewritten file, `split` its statements and skipped parts.
    mutating func read(text: [UInt8], split: StatementSplitter.Output,
                       each body: (SQLStatement) throws -> Void) rethrows {
        let invalid = text.withUnsafeBufferPointer(Encoding.invalidSequences)
        for statement in split.statements {
            let range = statement.range
            let locator = Locator(origin: .contiguous(base: range.lowerBound), map: map)
            let candidate = invalid.firstIndex(endingAfter: range.lowerBound)
            if candidate < invalid.count, invalid[candidate].lowerBound < range.upperBound {
                let start = max(invalid[candidate].lowerBound, range.lowerBound)
                let message = #"invalid byte sequence for encoding "UTF8": "# + Encoding.describe(at: start, in: text)
                let error = SQLError(operation: "parsing", message: message, cursorPosition: nil,
                                     location: lineMap.location(of: map.originalStart(start)))
                append(range: locator.originalRange(0..<range.count), tree: nil, error: error, parent: nil)
            } else {
                appendParsed(Array(text[range]), nesting: statement.nesting, locator: locator, parent: nil)
            }
            try pending.forEach(body)
            handedOver += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        let statements = split.statements.map(\.range), skipped = split.skipped.map(\.range)
        notes = split.skipped.map { note($0) } + invalid.filter { sequence in
            !statements.containsOffset(sequence.lowerBound) && !skipped.containsOffset(sequence.lowerBound)
        }.map { sequence in
            SQLNote(kind: .invalidEncoding, range: map.originalStart(sequence.lowerBound)..<map.originalEnd(sequence.upperBound),
                    message: #"invalid byte sequence for encoding "UTF8" outside any statement: "#
                        + Encoding.describe(at: sequence.lowerBound, in: text))
        }
        notes.sort { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Deeper than this, libpg_query may overflow an 8 MB stack (see `Nesting`); four times
    /// deeper still passes in measurements, and a server stops at its `max_stack_depth` well before.
    static let deepestNesting = 10_000

    /// How deep `text` may nest, for texts that did not come from the file's split.
    static func nesting(of text: [UInt8]) -> Int {
        var copy = text
        return StatementSplitter.split(&copy).statements.map(\.nesting).max() ?? 0
    }

    /// Parses `text` and appends its statements, followed by those of any DO block's body.
    mutating func appendParsed(_ text: [UInt8], nesting: Int, locator: Locator, parent: Int?) {
        guard nesting <= Self.deepestNesting else {
            let error = SQLError(operation: "parsing",
                                 message: "stack depth limit exceeded: the statement nests about \(nesting) levels deep, "
                                    + "more than the parser takes without overflowing its stack",
                                 cursorPosition: nil, location: lineMap.location(of: locator.originalStart(0)))
            append(range: locator.originalRange(0..<text.count), tree: nil, error: error, parent: parent)
            return
        }
        let tree: PGTree
        do throws(SQLError) {
            tree = try PostgresParser.parse(text, locator: locator) { [lineMap] in
                lineMap.location(of: locator.originalStart($0))
            }
        } catch {
            append(range: locator.originalRange(0..<text.count), tree: nil, error: error, parent: parent)
            return
        }
        let parsed = tree.root.elements("stmts") ?? []
        for stmt in parsed {
            let range = parsed.count == 1 ? 0..<text.count : Self.trimmed(stmt, in: text)
            append(range: locator.originalRange(range), tree: stmt["stmt"], error: nil, parent: parent)
            if let block = stmt["stmt"]?["DoStmt"] {
                appendBody(of: block, statement: text, range: range, locator: locator,
                           parent: handedOver + pending.count - 1)
            }
        }
    }

    /// Several statements in one piece of text happen where psql's split and the grammar's
    /// differ, as in `CREATE FUNCTION f() RETURNS begin …; SELECT 1;`, which psql sends whole.
    private static func trimmed(_ stmt: PGNode, in text: [UInt8]) -> Range<Int> {
        let start = min(max(stmt.int("stmt_location") ?? 0, 0), text.count)
        let length = stmt.int("stmt_len") ?? 0
        let end = length > 0 ? min(start + length, text.count) : text.count
        var piece = Array(text[start..<end])
        let inner = StatementSplitter.split(&piece).statements
        guard let first = inner.first?.range, let last = inner.last?.range else { return start..<end }
        return start + first.lowerBound..<start + last.upperBound
    }

    mutating func append(range: Range<Int>, tree: PGNode?, error: SQLError?, parent: Int?) {
        pending.append(SQLStatement(range: range, text: String(decoding: original[range], as: UTF8.self), tree: tree,
                                    error: error, origin: parent.map { .doBlock(parent: $0) } ?? .file))
    }

    private func note(_ skipped: StatementSplitter.Skipped) -> SQLNote {
        let range = map.originalStart(skipped.range.lowerBound)..<map.originalEnd(skipped.range.upperBound)
        switch skipped.kind {
        case .metaCommand:
            let command = String(decoding: original[range], as: UTF8.self)
            return SQLNote(kind: .psqlMetaCommand, range: range,
                           message: "psql meta-command skipped, only psql runs it: \(command)")
        case .copyData:
            let lines = original[range].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } + 1
            return SQLNote(kind: .copyData, range: range,
                           message: "COPY data skipped (\(lines) line\(lines == 1 ? "" : "s")): it is not SQL")
        }
    }
}

extension [Range<Int>] {
    /// In ranges sorted and apart: the index of the first that ends after `offset`.
    func firstIndex(endingAfter offset: Int) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].upperBound <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func containsOffset(_ offset: Int) -> Bool {
        let index = firstIndex(endingAfter: offset)
        return index < count && self[index].lowerBound <= offset
    }
}

import MigFormats

extension PythonSource {
    /// The call's first token, where a finding about it points.
    func firstToken(of call: PythonCall) -> PythonToken? {
        let head = call.callee.prefix { $0 != "." }
        return tokens.first { $0.line == call.line && $0.kind == .name && $0.text == head }
    }

    /// Lines of the bodies of `with …autocommit_block():`, where Alembic runs outside the
    /// migration's transaction.
    func autocommitBlocks() -> [ClosedRange<Int>] {
        tokens.indices.filter { tokens[$0].kind == .name && tokens[$0].text == "autocommit_block" }
            .map { blockLines(after: $0, upTo: tokens.count) }
    }

    /// From the line of the token to the last line of the indented block after its statement.
    fileprivate func blockLines(after index: Int, upTo end: Int) -> ClosedRange<Int> {
        var position = index
        while position < end, tokens[position].kind != .indent { position += 1 }
        var level = 0
        var last = tokens[index].line
        while position < end {
            if tokens[position].kind == .indent { level += 1 }
            if tokens[position].kind == .dedent {
                level -= 1
                if level == 0 { break }
            }
            if tokens[position].isCode { last = tokens[position].endLine }
            position += 1
        }
        return tokens[index].line...last
    }

    /// Calls in the function at module level, nested calls included; empty without it.
    func calls(inFunction name: String) -> [PythonCall] {
        function(named: name).map { calls(in: $0.body) } ?? []
    }
}

extension PythonCall {
    /// A keyword argument set to something other than `None` or `False`.
    func isSet(_ keyword: String) -> Bool {
        guard let value = keywords.first(where: { $0.name == keyword })?.value else { return false }
        return value != .noneLiteral && value != .bool(false)
    }

    /// `migrations.AddIndex` or a bare `AddIndex` imported from Django.
    func isDjango(_ operation: String) -> Bool {
        callee == operation || callee == "migrations." + operation
    }
}

/// An Alembic operation: `op.add_column("t", …)`, or `batch_op.add_column(…)` inside
/// `with op.batch_alter_table("t") as batch_op:`, whose calls leave the table out.
struct AlembicCall {
    let call: PythonCall
    /// `add_column`, `create_index`, …
    let operation: Substring
    /// The table as written, when it is a literal.
    let table: String?
    let isBatch: Bool

    /// The argument by keyword, or at its position in the `op.*` form, where the table comes
    /// first (`create_index` takes the index name first; ask for its table with `table`).
    func argument(_ keyword: String, opPosition: Int) -> PythonValue? {
        call.argument(keyword, position: isBatch ? opPosition - 1 : opPosition)
    }
}

extension PythonSource {
    /// The `op.*` and batch operations called in a module-level function, in order.
    func alembicCalls(inFunction name: String) -> [AlembicCall] {
        guard let function = function(named: name) else { return [] }
        let batches = batchBlocks(in: function.body)
        return calls(in: function.body).compactMap { call in
            let parts = call.callee.split(separator: ".")
            guard parts.count == 2 else { return nil }
            if parts[0] == "op" {
                let table = call.argument("table_name", position: parts[1] == "create_index" ? 1 : 0)?.string
                return AlembicCall(call: call, operation: parts[1], table: table, isBatch: false)
            }
            guard let batch = batches.last(where: { $0.alias == parts[0] && $0.lines.contains(call.line) }) else { return nil }
            return AlembicCall(call: call, operation: parts[1], table: batch.table, isBatch: true)
        }
    }

    /// `with op.batch_alter_table("t") as alias:` blocks in a token range.
    private func batchBlocks(in range: Range<Int>) -> [(table: String?, alias: String, lines: ClosedRange<Int>)] {
        var blocks: [(table: String?, alias: String, lines: ClosedRange<Int>)] = []
        for index in range where tokens[index].kind == .name && tokens[index].text == "batch_alter_table" && index >= 2
            && tokens[index - 1].text == "." && tokens[index - 2].text == "op" {
            var position = index
            while position < range.upperBound, tokens[position].kind != .newline, tokens[position].text != "as" { position += 1 }
            guard position + 1 < range.upperBound, tokens[position].text == "as", tokens[position + 1].kind == .name else { continue }
            let alias = tokens[position + 1].text
            let table = calls(in: (index - 2)..<position).first { $0.callee == "op.batch_alter_table" }?
                .argument("table_name", position: 0)?.string
            blocks.append((table, alias, blockLines(after: index, upTo: range.upperBound)))
        }
        return blocks
    }
}

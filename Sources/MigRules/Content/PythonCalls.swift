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
        var blocks: [ClosedRange<Int>] = []
        for (index, token) in tokens.enumerated() where token.kind == .name && token.text == "autocommit_block" {
            var position = index
            while position < tokens.count, tokens[position].kind != .indent { position += 1 }
            var level = 0
            var last = token.line
            while position < tokens.count {
                if tokens[position].kind == .indent { level += 1 }
                if tokens[position].kind == .dedent {
                    level -= 1
                    if level == 0 { break }
                }
                if tokens[position].isCode { last = tokens[position].endLine }
                position += 1
            }
            blocks.append(token.line...last)
        }
        return blocks
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

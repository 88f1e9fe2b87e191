import MigCore
import MigFormats
import MigSQL

/// SQL written as strings in framework migrations, so it goes through the SQL rules with the
/// file's own line numbers: Rails `execute "…"`, Alembic `op.execute("…")`, Django
/// `migrations.RunSQL("…", reverse_sql="…")`. Strings built at run time (Ruby `#{…}`, Python
/// f-strings) are left out: their SQL is not known until then.
enum EmbeddedSQL {
    static func parts(in ruby: RubySource, lineMap: LineMap, parse: ([UInt8]) -> [SQLStatement]) -> [SQLPart] {
        let tokens = ruby.tokens
        var parts: [SQLPart] = []
        for (index, token) in tokens.enumerated() where token.kind == .identifier && token.text == "execute" {
            var next = index + 1
            while next < tokens.count, !tokens[next].isCode { next += 1 }
            if next < tokens.count, tokens[next].text == "(" { next += 1 }
            guard next < tokens.count, tokens[next].kind == .string, let sql = tokens[next].value else { continue }
            let literal = tokens[next]
            if sql.contains("#{"), !literal.text.hasPrefix("'"), !literal.text.contains("<<~'"), !literal.text.contains("<<-'") {
                continue
            }
            let method = ruby.methods.last { $0.body.contains(index) }
            let direction: SQLPart.Direction = method?.name == "down" ? .down : .up
            let start: (line: Int, column: Int)
            if literal.text.hasPrefix("<<") {
                start = (literal.line + 1, 1)
            } else {
                let opener = literal.text.hasPrefix("%") ? (literal.text.dropFirst().first?.isLetter == true ? 3 : 2) : 1
                start = (literal.line, lineMap.location(of: literal.range.lowerBound).column + opener)
            }
            parts.append(part(sql, direction: direction, at: start, parse: parse))
        }
        return parts
    }

    static func parts(in python: PythonSource, format: MigrationFormatKind, lineMap: LineMap,
                      parse: ([UInt8]) -> [SQLStatement]) -> [SQLPart] {
        var parts: [SQLPart] = []
        let calls = python.calls(in: 0..<python.tokens.count)
        switch format {
        case .alembic:
            for (function, direction) in [("upgrade", SQLPart.Direction.up), ("downgrade", .down)] {
                guard let definition = python.function(named: function) else { continue }
                for call in python.calls(in: definition.body) where call.callee == "op.execute" {
                    for sql in call.argument("sqltext", position: 0)?.strings ?? [] {
                        if let start = start(of: sql, call: call, in: python) {
                            parts.append(part(sql, direction: direction, at: start, parse: parse))
                        }
                    }
                }
            }
        case .django:
            for call in calls where call.callee == "migrations.RunSQL" {
                for (argument, position, direction) in [("sql", 0, SQLPart.Direction.up), ("reverse_sql", 1, .down)] {
                    for sql in call.argument(argument, position: position)?.strings ?? [] {
                        if let start = start(of: sql, call: call, in: python) {
                            parts.append(part(sql, direction: direction, at: start, parse: parse))
                        }
                    }
                }
            }
        default:
            break
        }
        return parts
    }

    /// Where the string's first character is in the file: the literal inside the call whose
    /// value it is, past its prefix and quotes. Nil for an f-string.
    private static func start(of sql: String, call: PythonCall, in python: PythonSource) -> (line: Int, column: Int)? {
        guard let literal = python.tokens.first(where: { token in
            token.kind == .string && token.value == sql && token.line >= call.line && token.line <= call.endLine
        }) else { return (call.line, 1) }
        let prefix = literal.text.prefix { $0 != "\"" && $0 != "'" }
        if prefix.lowercased().contains("f") { return nil }
        let quotes = literal.text.dropFirst(prefix.count).hasPrefix("\"\"\"") || literal.text.dropFirst(prefix.count).hasPrefix("'''") ? 3 : 1
        return (literal.line, literal.column + prefix.count + quotes)
    }

    private static func part(_ sql: String, direction: SQLPart.Direction, at start: (line: Int, column: Int),
                             parse: ([UInt8]) -> [SQLStatement]) -> SQLPart {
        let bytes = Array(sql.utf8)
        return SQLPart(direction: direction, source: bytes, range: 0..<bytes.count,
                       statements: parse(bytes).enumerated().map { LintStatement($0.element, index: $0.offset) },
                       placement: .embedded(line: start.line, column: start.column), lineMap: LineMap(bytes))
    }
}

import MigCore
import MigFormats
import MigSQL

/// SQL written as strings in framework migrations, so it goes through the SQL rules with the
/// file's own line numbers: Rails `execute "…"` (quoted, `%q`/`%Q`, heredocs; in `def down` or a
/// `reversible` block's `dir.down` it is down SQL), Alembic `op.execute("…")`,
/// `op.execute(sa.text("…"))` and `bind.execute(…)` in `upgrade()`/`downgrade()`, Django
/// `RunSQL("…", reverse_sql="…")` with strings, lists of strings or `(sql, params)` pairs.
/// Strings built at run time (Ruby `#{…}`, Python f-strings) are left out: their SQL is not
/// known until then. Bind parameters are blanked to `$1` padded to their length, so offsets
/// into the string stay the file's.
enum EmbeddedSQL {
    static func parts(in ruby: RubySource, lineMap: LineMap, parse: ([UInt8]) -> [SQLStatement]) -> [SQLPart] {
        let tokens = ruby.tokens
        let downBlocks = RailsCode.directionBlocks(in: tokens, named: "down")
        var parts: [SQLPart] = []
        for (index, token) in tokens.enumerated() where token.kind == .identifier && token.text == "execute" {
            var next = index + 1
            while next < tokens.count, !tokens[next].isCode { next += 1 }
            if next < tokens.count, tokens[next].text == "(" { next += 1 }
            guard next < tokens.count, tokens[next].kind == .string, let raw = tokens[next].value else { continue }
            let literal = tokens[next]
            let interpolates = !literal.text.hasPrefix("'") && !literal.text.hasPrefix("%q") && !literal.text.contains("<<~'")
                && !literal.text.contains("<<-'") && !literal.text.contains("<<'")
            if interpolates, raw.contains("#{") { continue }
            let method = ruby.methods.last { $0.body.contains(index) }
            let isDown = method?.name == "down" || downBlocks.contains { $0.contains(index) }
            let start: (line: Int, column: Int)
            let sql: String
            if literal.text.hasPrefix("<<") {
                start = (literal.line + 1, 1)
                sql = raw
            } else {
                let opener = literal.text.hasPrefix("%") ? (literal.text.dropFirst().first?.isLetter == true ? 3 : 2) : 1
                start = (literal.line, lineMap.location(of: literal.range.lowerBound).column + opener)
                sql = resolvingEscapes(raw, all: interpolates)
            }
            parts.append(part(sql, direction: isDown ? .down : .up, at: start, parse: parse))
        }
        return parts
    }

    /// The string with Ruby's escapes resolved, as Ruby hands it to the database: `\"` is a
    /// quote SQL must see. Line breaks written `\n` become blanks so lines stay the file's; a
    /// column after an escape on the same line is off by one per escape. Single quotes only
    /// escape `\'` and `\\`.
    private static func resolvingEscapes(_ raw: String, all: Bool) -> String {
        guard raw.contains("\\") else { return raw }
        var result: [UInt8] = []
        let bytes = Array(raw.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                result.append(byte)
                index += 1
                continue
            }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "'") || next == UInt8(ascii: "\\") {
                result.append(next)
            } else if !all {
                result += [byte, next]
            } else if next == UInt8(ascii: "n") || next == UInt8(ascii: "t") || next == UInt8(ascii: "r") {
                result.append(UInt8(ascii: " "))
            } else {
                result.append(next)
            }
            index += 2
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func parts(in python: PythonSource, format: MigrationFormatKind, lineMap: LineMap,
                      parse: ([UInt8]) -> [SQLStatement]) -> [SQLPart] {
        var parts: [SQLPart] = []
        switch format {
        case .alembic:
            for (function, direction) in [("upgrade", SQLPart.Direction.up), ("downgrade", .down)] {
                for call in python.calls(inFunction: function) where call.method == "execute" {
                    for (sql, literal) in alembicSQL(call.argument("sqltext", position: 0)) {
                        if let start = start(of: literal, call: call, in: python) {
                            parts.append(part(sql, direction: direction, at: start, parse: parse))
                        }
                    }
                }
            }
        case .django:
            for call in python.calls(in: 0..<python.tokens.count) where call.isDjango("RunSQL") {
                for (argument, position, direction) in [("sql", 0, SQLPart.Direction.up), ("reverse_sql", 1, .down)] {
                    for (sql, literal) in djangoSQL(call.argument(argument, position: position)) {
                        if let start = start(of: literal, call: call, in: python) {
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

    /// The SQL of `op.execute`'s argument, with the literal it comes from: a string, or
    /// `sa.text("…")`, whose `:name` binds are blanked to `$1`.
    private static func alembicSQL(_ value: PythonValue?) -> [(sql: String, literal: String)] {
        switch value {
        case .string(let sql)?:
            return [(sql, sql)]
        case .call(let call)? where call.method == "text":
            guard let sql = call.argument("text", position: 0)?.string else { return [] }
            return [(blankingBinds(sql, colon: true), sql)]
        default:
            return []
        }
    }

    /// `RunSQL`'s `sql` or `reverse_sql`: a string, or a list of strings and `(sql, params)`
    /// pairs, whose `%s` and `%(name)s` placeholders are blanked to `$1`.
    private static func djangoSQL(_ value: PythonValue?) -> [(sql: String, literal: String)] {
        switch value {
        case .string(let sql)?:
            return [(sql, sql)]
        case .sequence(let items)?:
            return items.compactMap { item in
                switch item {
                case .string(let sql):
                    return (sql, sql)
                case .sequence(let pair) where pair.count == 2:
                    return pair[0].string.map { (blankingBinds($0, colon: false), $0) }
                default:
                    return nil
                }
            }
        default:
            return []
        }
    }

    /// Bind parameters turned into `$1` padded with blanks to their length: SQLAlchemy's
    /// `:name` (`colon`), or the DB-API's `%s` and `%(name)s`.
    private static func blankingBinds(_ sql: String, colon: Bool) -> String {
        var bytes = Array(sql.utf8)
        var index = 0
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        while index + 1 < bytes.count {
            var end = index
            if colon, bytes[index] == UInt8(ascii: ":"), index == 0 || bytes[index - 1] != UInt8(ascii: ":"),
               bytes[index + 1] != UInt8(ascii: ":"), isNameByte(bytes[index + 1]), !(bytes[index + 1] >= UInt8(ascii: "0") && bytes[index + 1] <= UInt8(ascii: "9")) {
                end = index + 1
                while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
            } else if !colon, bytes[index] == UInt8(ascii: "%") {
                if bytes[index + 1] == UInt8(ascii: "s") {
                    end = index + 2
                } else if bytes[index + 1] == UInt8(ascii: "("), let close = bytes[index...].firstIndex(of: UInt8(ascii: ")")),
                          close + 1 < bytes.count, bytes[close + 1] == UInt8(ascii: "s") {
                    end = close + 2
                } else if bytes[index + 1] == UInt8(ascii: "%") {
                    bytes[index] = UInt8(ascii: " ")
                    index += 2
                    continue
                }
            }
            guard end > index else {
                index += 1
                continue
            }
            bytes.replaceSubrange(index..<end, with: Array("$1".utf8) + Array(repeating: UInt8(ascii: " "), count: end - index - 2))
            index = end
        }
        return String(decoding: bytes, as: UTF8.self)
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

/// A Python expression reduced to what migration files use: literals, names, sequences and
/// calls. Anything else (operators, comprehensions, dicts) is `.unknown`.
public indirect enum PythonValue: Sendable, Hashable {
    case string(String)
    case number(String)
    /// `None`.
    case noneLiteral
    case bool(Bool)
    /// A possibly dotted name: `forwards`, `migrations.RunPython.noop`.
    case name(String)
    /// A tuple or a list.
    case sequence([PythonValue])
    case call(PythonCall)
    case unknown

    public var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The strings of a string or of a sequence of strings; empty otherwise.
    public var strings: [String] {
        switch self {
        case .string(let text): [text]
        case .sequence(let items): items.compactMap(\.string)
        default: []
        }
    }
}

public struct PythonCall: Sendable, Hashable {
    /// The dotted name called: `migrations.RunPython`, `op.execute`.
    public let callee: String
    public let arguments: [PythonValue]
    public let keywords: [Keyword]
    public let line: Int
    public let endLine: Int

    public struct Keyword: Sendable, Hashable {
        public let name: String
        public let value: PythonValue
    }

    /// The argument given by keyword `name` or else at `position`.
    public func argument(_ name: String, position: Int) -> PythonValue? {
        if let keyword = keywords.first(where: { $0.name == name }) { return keyword.value }
        return position < arguments.count ? arguments[position] : nil
    }

    /// The callee's last component: `RunPython` for `migrations.RunPython`.
    public var method: Substring {
        callee.split(separator: ".").last ?? Substring(callee)
    }
}

/// `def` or `class`, with its body located by indentation.
public struct PythonDefinition: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case function, `class` }

    public let kind: Kind
    public let name: String
    /// Indentation level of the `def` (0 at module level).
    public let depth: Int
    /// From the `def`/`class` line to the last line of its body, 1-based.
    public let lines: ClosedRange<Int>
    /// Indices into `PythonSource.tokens`: the parenthesized parameters or bases.
    public let header: Range<Int>
    /// Indices into `PythonSource.tokens` of the body.
    public let body: Range<Int>
}

/// `name = value` or `name: annotation = value` at the start of a logical line.
public struct PythonAssignment: Sendable, Hashable {
    public let target: String
    public let value: PythonValue
    public let depth: Int
    public let lines: ClosedRange<Int>
    /// Indices into `PythonSource.tokens` where the statement lies.
    public let tokens: Range<Int>
}

/// Python source tokenized, with its definitions and simple assignments located.
public struct PythonSource: Sendable, Hashable {
    public let tokens: [PythonToken]
    public let definitions: [PythonDefinition]
    public let assignments: [PythonAssignment]

    public init(_ source: String) {
        tokens = PythonTokenizer.tokenize(source)
        var reader = StructureReader(tokens: tokens)
        reader.run()
        definitions = reader.definitions
        assignments = reader.assignments
    }

    /// The module-level assignment to `name`, the last one when repeated.
    public func moduleAssignment(_ name: String) -> PythonAssignment? {
        assignments.last { $0.depth == 0 && $0.target == name }
    }

    public func function(named name: String, depth: Int = 0) -> PythonDefinition? {
        definitions.first { $0.kind == .function && $0.name == name && $0.depth == depth }
    }

    /// Assignments directly in a definition's body.
    public func assignments(in definition: PythonDefinition) -> [PythonAssignment] {
        assignments.filter { definition.body.contains($0.tokens.lowerBound) && $0.depth == definition.depth + 1 }
    }

    /// Every call in the token range, nested calls included, in source order.
    public func calls(in range: Range<Int>) -> [PythonCall] {
        var calls: [PythonCall] = []
        for index in range where tokens[index].kind == .name && (index == 0 || tokens[index - 1].text != ".") {
            var parser = ValueParser(tokens: tokens, index: index, end: range.upperBound)
            if case .call(let call) = parser.primary() { calls.append(call) }
        }
        return calls
    }

    /// The body's statements, each the code tokens of one logical line.
    public func statements(of definition: PythonDefinition) -> [[PythonToken]] {
        var statements: [[PythonToken]] = []
        var current: [PythonToken] = []
        for token in tokens[definition.body] {
            if token.kind == .newline {
                if !current.isEmpty { statements.append(current) }
                current = []
            } else if token.isCode {
                current.append(token)
            }
        }
        if !current.isEmpty { statements.append(current) }
        return statements
    }

    /// Whether a body does nothing: only `pass`, `...`, docstrings and comments.
    public func isEmpty(_ definition: PythonDefinition) -> Bool {
        statements(of: definition).allSatisfy(PythonSource.isNoOp)
    }

    /// Whether a body's only real statement is a `raise`.
    public func onlyRaises(_ definition: PythonDefinition) -> Bool {
        let real = statements(of: definition).filter { !PythonSource.isNoOp($0) }
        return real.count == 1 && real[0].first?.text == "raise"
    }

    private static func isNoOp(_ statement: [PythonToken]) -> Bool {
        (statement.count == 1 && (statement[0].text == "pass" || statement[0].text == "..."))
            || statement.allSatisfy { $0.kind == .string }
    }
}

private struct StructureReader {
    let tokens: [PythonToken]
    var definitions: [PythonDefinition] = []
    var assignments: [PythonAssignment] = []

    mutating func run() {
        var depth = 0
        var atLineStart = true
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .indent:
                depth += 1
                atLineStart = true
            case .dedent:
                depth -= 1
                atLineStart = true
            case .newline:
                atLineStart = true
            case .comment:
                break
            default:
                if atLineStart {
                    readStatement(at: index, depth: depth)
                }
                atLineStart = false
            }
            index += 1
        }
    }

    private mutating func readStatement(at start: Int, depth: Int) {
        var index = start
        if tokens[index].text == "async" { index += 1 }
        guard index < tokens.count else { return }
        let keyword = tokens[index].text
        if tokens[index].kind == .name, keyword == "def" || keyword == "class" {
            readDefinition(keywordAt: index, depth: depth, kind: keyword == "def" ? .function : .class)
        } else if tokens[index].kind == .name {
            readAssignment(at: index, depth: depth)
        }
    }

    private mutating func readDefinition(keywordAt keywordIndex: Int, depth: Int, kind: PythonDefinition.Kind) {
        let nameIndex = keywordIndex + 1
        guard nameIndex < tokens.count, tokens[nameIndex].kind == .name else { return }
        var index = nameIndex + 1
        let headerStart = index
        var brackets = 0
        while index < tokens.count {
            let text = tokens[index].text
            if tokens[index].kind == .punctuation {
                if "([{".contains(text) { brackets += 1 }
                if ")]}".contains(text) { brackets -= 1 }
                if text == ":", brackets == 0 { break }
            }
            if tokens[index].kind == .newline { break }
            index += 1
        }
        // Without its colon (a file cut short) the statement is no definition.
        guard index < tokens.count, tokens[index].text == ":" else { return }
        let header = headerStart..<index
        index += 1
        let bodyStart = index
        let defColumn = tokens[keywordIndex].column
        if index < tokens.count, tokens[index].kind != .newline {
            // `def downgrade(): pass` — the body is the rest of the logical line.
            while index < tokens.count, tokens[index].kind != .newline { index += 1 }
        } else {
            index += 1
            // Comment lines before the first statement come ahead of the indent, as in CPython.
            var probe = index
            while probe < tokens.count, tokens[probe].kind == .comment { probe += 1 }
            if probe < tokens.count, tokens[probe].kind == .indent {
                index = probe
                var level = 0
                while index < tokens.count {
                    if tokens[index].kind == .indent { level += 1 }
                    if tokens[index].kind == .dedent {
                        level -= 1
                        if level == 0 { break }
                    }
                    index += 1
                }
            } else {
                // A body of comments only: no indent follows, the comments indented under the
                // `def` are still its body for line ranges.
                while index < tokens.count, tokens[index].kind == .comment, tokens[index].column > defColumn { index += 1 }
            }
        }
        let body = bodyStart..<min(index, tokens.count)
        let lastLine = tokens[body].filter { token in
            token.kind != .newline && token.kind != .indent && token.kind != .dedent
                && (token.kind != .comment || token.column > defColumn)
        }.map(\.endLine).max() ?? tokens[keywordIndex].line
        definitions.append(PythonDefinition(kind: kind, name: tokens[nameIndex].text, depth: depth,
                                            lines: tokens[keywordIndex].line...lastLine, header: header, body: body))
    }

    private mutating func readAssignment(at start: Int, depth: Int) {
        var index = start + 1
        guard index < tokens.count else { return }
        if tokens[index].text == ":" {
            // An annotation runs to the `=` outside brackets.
            var brackets = 0
            index += 1
            while index < tokens.count, tokens[index].kind != .newline {
                let text = tokens[index].text
                if "([{".contains(text) { brackets += 1 }
                if ")]}".contains(text) { brackets -= 1 }
                if text == "=", brackets == 0 { break }
                index += 1
            }
        }
        guard index < tokens.count, tokens[index].kind == .punctuation, tokens[index].text == "=" else { return }
        var end = index + 1
        while end < tokens.count, tokens[end].kind != .newline { end += 1 }
        var parser = ValueParser(tokens: tokens, index: index + 1, end: end)
        let value = parser.expression()
        let endLine = tokens[start..<end].map(\.endLine).max() ?? tokens[start].line
        assignments.append(PythonAssignment(target: tokens[start].text, value: value, depth: depth,
                                            lines: tokens[start].line...endLine, tokens: start..<end))
    }
}

/// Recursive descent over tokens for the expressions `PythonValue` models.
private struct ValueParser {
    let tokens: [PythonToken]
    var index: Int
    let end: Int

    private var current: PythonToken? {
        var position = index
        while position < end, !tokens[position].isCode { position += 1 }
        return position < end ? tokens[position] : nil
    }

    private mutating func advance() {
        while index < end, !tokens[index].isCode { index += 1 }
        index += 1
    }

    /// One expression; operators after a primary make it `.unknown`. Stops before `,` or a
    /// closing bracket.
    mutating func expression() -> PythonValue {
        let value = primary()
        if let token = current, !(token.kind == .punctuation && [",", ")", "]", "}"].contains(token.text)) {
            skipToSeparator()
            return .unknown
        }
        return value
    }

    mutating func primary() -> PythonValue {
        guard let token = current else { return .unknown }
        switch token.kind {
        case .string:
            var text = ""
            while let next = current, next.kind == .string {
                text += next.value ?? ""
                advance()
            }
            return .string(text)
        case .number:
            advance()
            return .number(token.text)
        case .name:
            return nameOrCall()
        case .punctuation where token.text == "(" || token.text == "[":
            return sequence(parenthesized: token.text == "(")
        default:
            skipToSeparator()
            return .unknown
        }
    }

    private mutating func nameOrCall() -> PythonValue {
        guard let first = current else { return .unknown }
        switch first.text {
        case "None":
            advance()
            return .noneLiteral
        case "True", "False":
            advance()
            return .bool(first.text == "True")
        case "lambda":
            // The parameters' commas must not split the enclosing argument list.
            while let token = current, !(token.kind == .punctuation && token.text == ":") { advance() }
            advance()
            skipToSeparator()
            return .unknown
        default:
            break
        }
        var name = first.text
        advance()
        while let dot = current, dot.text == ".", dot.kind == .punctuation {
            advance()
            guard let part = current, part.kind == .name else { return .unknown }
            name += "." + part.text
            advance()
        }
        guard let open = current, open.kind == .punctuation, open.text == "(" else { return .name(name) }
        advance()
        var arguments: [PythonValue] = []
        var keywords: [PythonCall.Keyword] = []
        var endLine = open.line
        while let token = current {
            if token.kind == .punctuation, [")", "]", "}"].contains(token.text) {
                endLine = token.endLine
                advance()
                break
            }
            if token.text == "," {
                advance()
                continue
            }
            if token.kind == .name, let equals = peekCode(after: index), equals.text == "=", equals.kind == .punctuation {
                advance()
                advance()
                keywords.append(PythonCall.Keyword(name: token.text, value: expression()))
            } else {
                arguments.append(expression())
            }
        }
        return .call(PythonCall(callee: name, arguments: arguments, keywords: keywords, line: first.line, endLine: endLine))
    }

    private func peekCode(after position: Int) -> PythonToken? {
        var next = position
        while next < end, !tokens[next].isCode { next += 1 }
        next += 1
        while next < end, !tokens[next].isCode { next += 1 }
        return next < end ? tokens[next] : nil
    }

    private mutating func sequence(parenthesized: Bool) -> PythonValue {
        advance()
        var items: [PythonValue] = []
        var sawComma = false
        while let token = current {
            if token.kind == .punctuation, [")", "]", "}"].contains(token.text) {
                advance()
                break
            }
            if token.text == "," {
                sawComma = true
                advance()
                continue
            }
            items.append(expression())
        }
        // `(x)` is only parentheses; `(x,)` and `[x]` are sequences.
        if parenthesized, items.count == 1, !sawComma { return items[0] }
        return .sequence(items)
    }

    /// Skips to the next `,` or closing bracket at this nesting level.
    private mutating func skipToSeparator() {
        var depth = 0
        while let token = current {
            if token.kind == .punctuation {
                if ["(", "[", "{"].contains(token.text) { depth += 1 }
                if [")", "]", "}"].contains(token.text) {
                    if depth == 0 { return }
                    depth -= 1
                }
                if token.text == ",", depth == 0 { return }
            }
            advance()
        }
    }
}

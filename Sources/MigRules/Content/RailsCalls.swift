import MigFormats

/// A schema method called as a statement in a Rails migration, such as
/// `add_index :users, :email, algorithm: :concurrently`, read from tokens so that one inside a
/// comment or a string never counts.
struct RailsCall {
    let name: String
    /// The method name's token and its index in `RubySource.tokens`.
    let token: RubyToken
    let tokenIndex: Int
    /// Positional arguments, each as its code tokens.
    let arguments: [[RubyToken]]
    /// Keyword arguments (`null: false`, `:null => false`) by name, each as its value's tokens.
    let options: [String: [RubyToken]]
    /// Token range of a `do … end` or `{ … }` block after the call, when there is one.
    let block: Range<Int>?
    let direction: SQLPart.Direction

    /// The symbol or string naming the argument at `position`, such as `users` for `:users`.
    func name(at position: Int) -> String? {
        guard position < arguments.count, arguments[position].count == 1 else { return nil }
        let token = arguments[position][0]
        return token.kind == .symbol || token.kind == .string ? token.value : nil
    }

    /// Whether the option is given a value other than `nil` or `false`.
    func isSet(_ option: String) -> Bool {
        guard let value = options[option] else { return false }
        return !(value.count == 1 && value[0].kind == .keyword && (value[0].text == "nil" || value[0].text == "false"))
    }

    /// The option's value when it is a single symbol, keyword or identifier: `concurrently`, `false`.
    func word(_ option: String) -> String? {
        guard let value = options[option], value.count == 1 else { return nil }
        return value[0].kind == .symbol ? value[0].value : value[0].text
    }
}

/// The calls and blocks of a Rails migration.
struct RailsCode {
    let source: RubySource
    /// Calls to the methods asked for, in file order.
    let calls: [RailsCall]

    init(_ source: RubySource, methods: Set<String>) {
        self.source = source
        let tokens = source.tokens
        let downBlocks = RailsCode.directionBlocks(in: tokens, named: "down")
        var calls: [RailsCall] = []
        for (index, token) in tokens.enumerated()
        where token.kind == .identifier && methods.contains(token.text) && RailsCode.startsStatement(tokens, at: index) {
            let method = source.methods.last { $0.body.contains(index) }
            let isDown = method?.name == "down" || downBlocks.contains { $0.contains(index) }
            calls.append(RailsCode.call(at: index, in: tokens, direction: isDown ? .down : .up))
        }
        self.calls = calls
    }

    /// Whether the token is inside the block of a call with that name (`reversible`, `up_only`).
    func isInsideBlock(_ index: Int, of method: String) -> Bool {
        source.tokens.indices.contains { opener in
            let token = source.tokens[opener]
            guard token.kind == .identifier, token.text == method, opener < index else { return false }
            return RailsCode.block(after: opener, in: source.tokens).map { $0.contains(index) } ?? false
        }
    }

    /// Calls on a block's parameter inside a `change_table :t do |t| … end` block, such as
    /// `t.index :email` or `t.string :name, null: false`: each named by the method after the dot.
    func blockCalls(in outer: RailsCall, methods: Set<String>) -> [RailsCall] {
        guard let block = outer.block else { return [] }
        let tokens = source.tokens
        return block.compactMap { index in
            guard tokens[index].kind == .identifier, methods.contains(tokens[index].text), index >= 2,
                  tokens[index - 1].text == ".", tokens[index - 2].kind == .identifier,
                  RailsCode.startsStatement(tokens, at: index - 2) else { return nil }
            return RailsCode.call(at: index, in: tokens, direction: outer.direction)
        }
    }

    /// Tables that `create_table` makes earlier in the same direction: new and empty.
    func createdTables(before call: RailsCall) -> Set<String> {
        Set(calls.filter { $0.name == "create_table" && $0.tokenIndex < call.tokenIndex && $0.direction == call.direction }
            .compactMap { $0.name(at: 0)?.lowercased() })
    }

    /// The body of every `dir.down { … }` / `dir.down do … end` (`reversible do |dir|`).
    static func directionBlocks(in tokens: [RubyToken], named name: String) -> [Range<Int>] {
        tokens.indices.compactMap { index in
            guard tokens[index].kind == .identifier, tokens[index].text == name, index > 0, tokens[index - 1].text == "." else {
                return nil
            }
            return block(after: index, in: tokens)
        }
    }

    /// A call starts a statement when nothing but a newline, `;`, a block opener or its
    /// parameters come before it (not `x.add_index`, not `foo add_index`).
    private static func startsStatement(_ tokens: [RubyToken], at index: Int) -> Bool {
        guard let previous = tokens[..<index].last(where: { $0.kind != .comment }) else { return true }
        switch previous.kind {
        case .newline: return true
        case .keyword: return ["do", "then", "else", "begin", "ensure"].contains(previous.text)
        case .punctuation: return [";", "{", "|"].contains(previous.text)
        default: return false
        }
    }

    private static func call(at index: Int, in tokens: [RubyToken], direction: SQLPart.Direction) -> RailsCall {
        var position = index + 1
        let parenthesized = position < tokens.count && tokens[position].text == "(" && tokens[position].range.lowerBound == tokens[index].range.upperBound
        if parenthesized { position += 1 }
        var arguments: [[RubyToken]] = []
        var current: [RubyToken] = []
        var depth = 0
        scan: while position < tokens.count {
            let token = tokens[position]
            switch token.kind {
            case .comment:
                position += 1
                continue
            case .newline:
                // A line ending in `,` (or inside brackets) continues the call.
                if depth == 0, !parenthesized, !afterComma(current, arguments) { break scan }
                position += 1
                continue
            case .keyword where depth == 0 && (token.text == "do" || token.text == "if" || token.text == "unless"):
                if !parenthesized { break scan }
            case .punctuation:
                if ["(", "[", "{"].contains(token.text) {
                    if token.text == "{", depth == 0, !parenthesized, !afterComma(current, arguments), !isHashStart(current) {
                        break scan
                    }
                    depth += 1
                } else if [")", "]", "}"].contains(token.text) {
                    if depth == 0 {
                        if parenthesized { position += 1 }
                        break scan
                    }
                    depth -= 1
                } else if token.text == ",", depth == 0 {
                    arguments.append(current)
                    current = []
                    position += 1
                    continue
                }
            default:
                break
            }
            current.append(token)
            position += 1
        }
        if !current.isEmpty { arguments.append(current) }
        var positional: [[RubyToken]] = []
        var options: [String: [RubyToken]] = [:]
        for argument in arguments {
            if argument.first?.kind == .label, let label = argument.first {
                options[label.text] = Array(argument.dropFirst())
            } else if argument.count >= 2, argument[0].kind == .symbol || argument[0].kind == .string, argument[1].text == "=>",
                      let key = argument[0].value {
                options[key] = Array(argument.dropFirst(2))
            } else if !argument.isEmpty {
                positional.append(argument)
            }
        }
        return RailsCall(name: tokens[index].text, token: tokens[index], tokenIndex: index, arguments: positional,
                         options: options, block: block(after: position - 1, in: tokens), direction: direction)
    }

    /// Right after a `,` between arguments: the call goes on.
    private static func afterComma(_ current: [RubyToken], _ arguments: [[RubyToken]]) -> Bool {
        current.isEmpty && !arguments.isEmpty
    }

    /// `{` right after a label or `=>` opens a hash value, not a block.
    private static func isHashStart(_ current: [RubyToken]) -> Bool {
        current.last?.kind == .label || current.last?.text == "=>"
    }

    /// The tokens of the `do … end` or `{ … }` block opening right after `index`, skipping
    /// the call's own argument list when it has one.
    static func block(after index: Int, in tokens: [RubyToken]) -> Range<Int>? {
        var position = index + 1
        while position < tokens.count, tokens[position].kind == .comment { position += 1 }
        if position < tokens.count, tokens[position].text == "(" {
            var depth = 0
            while position < tokens.count {
                if tokens[position].text == "(" { depth += 1 }
                if tokens[position].text == ")" { depth -= 1 }
                position += 1
                if depth == 0 { break }
            }
            while position < tokens.count, tokens[position].kind == .comment { position += 1 }
        }
        guard position < tokens.count else { return nil }
        let opener = tokens[position]
        if opener.kind == .punctuation, opener.text == "{" {
            var depth = 0
            for end in position..<tokens.count where tokens[end].kind == .punctuation {
                if tokens[end].text == "{" { depth += 1 }
                if tokens[end].text == "}" {
                    depth -= 1
                    if depth == 0 { return position + 1..<end }
                }
            }
            return position + 1..<tokens.count
        }
        guard opener.kind == .keyword, opener.text == "do" else { return nil }
        var depth = 0
        var loopLine: Int?
        for end in position..<tokens.count where tokens[end].kind == .keyword {
            switch tokens[end].text {
            case "do":
                if loopLine == tokens[end].line { loopLine = nil } else { depth += 1 }
            case "class", "module", "begin", "case", "def":
                depth += 1
            case "for":
                loopLine = tokens[end].line
                depth += 1
            case "if", "unless", "while", "until":
                if startsStatement(tokens, at: end) || tokens[end - 1].text == "=" {
                    if tokens[end].text == "while" || tokens[end].text == "until" { loopLine = tokens[end].line }
                    depth += 1
                }
            case "end":
                depth -= 1
                if depth == 0 { return position + 1..<end }
            default:
                break
            }
        }
        return position + 1..<tokens.count
    }
}

extension MigrationText {
    /// A hit where a Ruby token starts.
    func hit(at token: RubyToken, message: String, help: String) -> RuleHit {
        let place = lineMap.location(of: token.range.lowerBound)
        return RuleHit(message: message, help: help, line: place.line, column: place.column)
    }

    /// A hit where a Python call starts.
    func hit(_ call: PythonCall, in python: PythonSource, message: String, help: String) -> RuleHit {
        let column = python.firstToken(of: call).map { lineMap.location(of: $0.range.lowerBound).column } ?? 1
        return RuleHit(message: message, help: help, line: call.line, column: column)
    }
}

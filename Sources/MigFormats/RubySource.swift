/// A method found in Ruby source.
public struct RubyMethod: Sendable, Hashable {
    public let name: String
    /// `def self.up`: older Rails migrations define class methods.
    public let isSingleton: Bool
    /// From the `def` line to the `end` line, 1-based.
    public let lines: ClosedRange<Int>
    /// Indices into `RubySource.tokens` of the body, between the signature and `end`.
    public let body: Range<Int>
    /// How many blocks enclose the `def` (a method in a class has depth 1).
    public let depth: Int
}

/// Ruby source tokenized, with its methods located by matching `def` to `end`.
///
/// Blocks are matched the way Ruby does: `if`/`unless`/`while`/`until` open a block only at
/// the start of an expression (not as modifiers), the `do` of a `while` line is not a block,
/// and endless methods (`def x = 1`) have no `end`.
public struct RubySource: Sendable, Hashable {
    public let tokens: [RubyToken]
    public let methods: [RubyMethod]

    public init(_ source: String) {
        tokens = RubyTokenizer.tokenize(source)
        methods = RubySource.findMethods(in: tokens)
    }

    /// The outermost method with this name (`def down` or `def self.down`).
    public func method(named name: String) -> RubyMethod? {
        methods.filter { $0.name == name }.min { $0.depth < $1.depth }
    }

    /// The body's tokens without comments and newlines.
    public func code(of method: RubyMethod) -> [RubyToken] {
        tokens[method.body].filter(\.isCode)
    }

    private enum Opener {
        case method(name: String, isSingleton: Bool, line: Int, bodyStart: Int)
        case block
    }

    private static let blockKeywords: Set<String> = ["class", "module", "begin", "case", "for"]
    private static let conditionalKeywords: Set<String> = ["if", "unless", "while", "until"]

    private static func findMethods(in tokens: [RubyToken]) -> [RubyMethod] {
        var stack: [Opener] = []
        var methods: [RubyMethod] = []
        var loopLine: Int?
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            defer { index += 1 }
            guard token.kind == .keyword else { continue }
            switch token.text {
            case "def":
                let signature = readSignature(tokens, after: index)
                if !signature.isEndless {
                    stack.append(.method(name: signature.name, isSingleton: signature.isSingleton,
                                         line: token.line, bodyStart: signature.end))
                }
                index = signature.end - 1
            case "end":
                guard let opener = stack.popLast() else { continue }
                if case .method(let name, let isSingleton, let line, let bodyStart) = opener {
                    methods.append(RubyMethod(name: name, isSingleton: isSingleton, lines: line...token.endLine,
                                              body: bodyStart..<index, depth: stack.count))
                }
            case "do":
                if loopLine == token.line {
                    loopLine = nil
                } else {
                    stack.append(.block)
                }
            case let word where blockKeywords.contains(word):
                if word == "for" { loopLine = token.line }
                stack.append(.block)
            case let word where conditionalKeywords.contains(word):
                if startsExpression(tokens, before: index) {
                    if word == "while" || word == "until" { loopLine = token.line }
                    stack.append(.block)
                }
            default:
                break
            }
        }
        return methods
    }

    /// False when the previous token ends a value, making `if`/`while` a modifier.
    private static func startsExpression(_ tokens: [RubyToken], before index: Int) -> Bool {
        guard let previous = tokens[..<index].last(where: { $0.kind != .comment }) else { return true }
        switch previous.kind {
        case .newline, .label:
            return true
        case .identifier, .constant, .variable, .number, .string, .symbol:
            return false
        case .keyword:
            return !["end", "self", "true", "false", "nil", "return", "break", "next", "redo", "retry"].contains(previous.text)
        case .punctuation:
            return ![")", "]", "}"].contains(previous.text)
        case .comment:
            return true
        }
    }

    private struct Signature {
        var name = ""
        var isSingleton = false
        var isEndless = false
        /// The index of the first token after the signature.
        var end: Int
    }

    private static func readSignature(_ tokens: [RubyToken], after defIndex: Int) -> Signature {
        var signature = Signature(end: defIndex + 1)
        var index = defIndex + 1
        guard index < tokens.count else { return signature }
        if index + 2 < tokens.count, tokens[index + 1].text == "." {
            signature.isSingleton = tokens[index].text == "self"
            index += 2
        }
        signature.name = tokens[index].text
        index += 1
        if index < tokens.count, tokens[index].text == "(" {
            var depth = 0
            while index < tokens.count {
                if tokens[index].text == "(" { depth += 1 }
                if tokens[index].text == ")" { depth -= 1 }
                index += 1
                if depth == 0 { break }
            }
        }
        if index < tokens.count, tokens[index].kind == .punctuation, tokens[index].text == "=" {
            signature.isEndless = true
        } else {
            // Parameters without parentheses run to the end of the line.
            while index < tokens.count, tokens[index].kind != .newline, tokens[index].text != ";" { index += 1 }
        }
        signature.end = index
        return signature
    }
}

/// A token of Ruby source.
public struct RubyToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case identifier
        case constant
        case keyword
        /// `@x`, `@@x`, `$x`.
        case variable
        /// A hash key or keyword argument written `name:`; `text` excludes the colon.
        case label
        case symbol
        /// Quoted, `%q`-style, heredoc and `?c` literals, and regular expressions.
        case string
        case number
        /// `# …`, `=begin … =end`, and everything after `__END__`.
        case comment
        case punctuation
        case newline
    }

    public let kind: Kind
    /// The source text; for a heredoc, only its opener (`<<~SQL`).
    public let text: String
    /// The content of a string or symbol without delimiters or escapes processed; for a
    /// heredoc, its body lines as written.
    public internal(set) var value: String?
    /// UTF-8 byte offsets in the source (a heredoc's opener only).
    public let range: Range<Int>
    /// 1-based lines; a heredoc ends on its terminator line.
    public let line: Int
    public internal(set) var endLine: Int

    /// Neither a comment nor a newline.
    public var isCode: Bool { kind != .comment && kind != .newline }
}

/// Splits Ruby source into tokens, understanding comments and every literal form whose
/// content could otherwise pass for code, so a `def down` inside a string or a comment is
/// never taken for a method and line numbers stay exact.
///
/// Ruby's grammar decides `/`, `%`, `<<` and `?` by context; like editors do, this guesses
/// from the previous token: after a value they are operators, otherwise literals, and after a
/// method name a space before and none after means a literal (`execute <<~SQL`).
public enum RubyTokenizer: Sendable {
    public static let keywords: Set<String> = [
        "alias", "and", "begin", "BEGIN", "break", "case", "class", "def", "defined?", "do", "else",
        "elsif", "end", "END", "ensure", "false", "for", "if", "in", "module", "next", "nil", "not",
        "or", "redo", "rescue", "retry", "return", "self", "super", "then", "true", "undef", "unless",
        "until", "when", "while", "yield", "__FILE__", "__LINE__", "__ENCODING__",
    ]

    public static func tokenize(_ source: String) -> [RubyToken] {
        var lexer = RubyLexer(bytes: Array(source.utf8))
        lexer.run()
        return lexer.tokens
    }
}

private struct PendingHeredoc {
    let tokenIndex: Int
    let terminator: [UInt8]
    /// `<<-` and `<<~` allow an indented terminator.
    let indentedTerminator: Bool
}

private struct RubyLexer {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var tokens: [RubyToken] = []
    private var pendingHeredocs: [PendingHeredoc] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static let operators: [String] = [
        "**=", "<=>", "===", "...", "<<=", ">>=", "&&=", "||=",
        "::", "=>", "->", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "<<", ">>", "**", "&.", "..",
        "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=",
    ].sorted { $0.utf8.count > $1.utf8.count }

    mutating func run() {
        while index < bytes.count {
            let byte = bytes[index]
            let start = index
            switch byte {
            case UInt8(ascii: "\n"):
                append(.newline, from: start, to: index + 1)
                index += 1
                line += 1
                readHeredocBodies()
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
                index += 2
                line += 1
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                append(.comment, from: start, to: index)
            case UInt8(ascii: "=") where atLineStart && matches("=begin") && isBoundary(at: index + 6):
                embeddedDocument()
            case UInt8(ascii: "_") where atLineStart && matches("__END__") && lineEnds(at: index + 7):
                let startLine = line
                index = bytes.count
                append(.comment, from: start, to: index, line: startLine)
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                quotedString(open: byte, close: byte, interpolates: byte != UInt8(ascii: "'"), from: start)
            case UInt8(ascii: "@"), UInt8(ascii: "$"):
                index += 1
                while index < bytes.count, bytes[index] == UInt8(ascii: "@") || isIdentifierByte(bytes[index]) { index += 1 }
                append(.variable, from: start, to: index)
            case UInt8(ascii: ":") where peek(1) == UInt8(ascii: "\"") || peek(1) == UInt8(ascii: "'"):
                index += 1
                quotedString(open: bytes[index], close: bytes[index], interpolates: bytes[index] == UInt8(ascii: "\""),
                             from: start, kind: .symbol)
            case UInt8(ascii: ":") where peek(1).map(isIdentifierStart) == true && previousEndsBefore(start):
                index += 1
                identifierRun()
                if index < bytes.count, bytes[index] == UInt8(ascii: "="), peek(1) != UInt8(ascii: ">"),
                   peek(1) != UInt8(ascii: "=") { index += 1 }
                append(.symbol, from: start, to: index, value: text(start + 1, index))
            case UInt8(ascii: "%") where startsPercentLiteral():
                percentLiteral(from: start)
            case UInt8(ascii: "/") where literalAllowed():
                quotedString(open: byte, close: byte, interpolates: true, from: start)
                while index < bytes.count, isIdentifierByte(bytes[index]) { index += 1 }
            case UInt8(ascii: "<") where startsHeredoc():
                heredocOpener(from: start)
            case UInt8(ascii: "?") where startsCharacterLiteral():
                index += bytes[index + 1] == UInt8(ascii: "\\") ? 3 : 2
                append(.string, from: start, to: index, value: text(start + 1, index))
            default:
                if FileName.isDigit(byte) {
                    number()
                } else if isIdentifierStart(byte) {
                    word(from: start)
                } else {
                    operatorToken(from: start)
                }
            }
        }
    }

    // MARK: - Context

    private func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func matches(_ word: String) -> Bool {
        bytes[index...].starts(with: word.utf8)
    }

    private var atLineStart: Bool { index == 0 || bytes[index - 1] == UInt8(ascii: "\n") }

    private func isBoundary(at position: Int) -> Bool {
        position >= bytes.count || [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(bytes[position])
    }

    private func lineEnds(at position: Int) -> Bool {
        position >= bytes.count || bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "\r")
    }

    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private func isIdentifierByte(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || FileName.isDigit(byte)
    }

    private func isSpace(_ byte: UInt8?) -> Bool {
        guard let byte else { return true }
        return byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private var previous: RubyToken? {
        tokens.last { $0.kind != .comment }
    }

    /// Whether the previous token ends an operand, after which `/`, `%`, `<<` are operators.
    private var previousIsValue: Bool {
        guard let previous else { return false }
        switch previous.kind {
        case .identifier, .constant, .variable, .number, .string, .symbol:
            return true
        case .keyword:
            return ["end", "self", "true", "false", "nil", "__FILE__", "__LINE__"].contains(previous.text)
        case .punctuation:
            return [")", "]", "}"].contains(previous.text)
        case .label, .comment, .newline:
            return false
        }
    }

    /// A literal may start here: not after a value, or after a method name with a space
    /// before and none after (`puts %w[a]`, `execute <<~SQL`).
    private func literalAllowed() -> Bool {
        guard previousIsValue else { return true }
        guard previous?.kind == .identifier, index > 0 else { return false }
        return isSpace(bytes[index - 1]) && !isSpace(peek(1))
    }

    /// `a ? b :c` is rare; `foo(:c)`, `[:a, :b]` and `x = :c` are the rule. A `::` scope is not.
    private func previousEndsBefore(_ start: Int) -> Bool {
        guard start > 0 else { return true }
        return bytes[start - 1] != UInt8(ascii: ":") && (isSpace(bytes[start - 1]) || !isIdentifierByte(bytes[start - 1]))
            && bytes[start - 1] != UInt8(ascii: ")") && bytes[start - 1] != UInt8(ascii: "]")
    }

    private func startsPercentLiteral() -> Bool {
        guard literalAllowed(), let next = peek(1) else { return false }
        if "qQwWiIrsx".utf8.contains(next), let delimiter = peek(2) {
            return !isIdentifierByte(delimiter) && !isSpace(delimiter)
        }
        return !isIdentifierByte(next) && !isSpace(next) && next != UInt8(ascii: "=")
    }

    private func startsHeredoc() -> Bool {
        guard peek(1) == UInt8(ascii: "<"), let next = peek(2) else { return false }
        let hasFlag = next == UInt8(ascii: "~") || next == UInt8(ascii: "-")
        guard let first = hasFlag ? peek(3) : next else { return false }
        let quoted = first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") || first == UInt8(ascii: "`")
        guard quoted || isIdentifierStart(first) else { return false }
        if !previousIsValue { return true }
        // `x <<FOO` is a heredoc argument; `x << y` and `class << self` are not.
        return previous?.kind == .identifier && index > 0 && isSpace(bytes[index - 1])
    }

    private func startsCharacterLiteral() -> Bool {
        guard !previousIsValue, let next = peek(1), !isSpace(next) else { return false }
        if next == UInt8(ascii: "\\") { return peek(2) != nil }
        return peek(2).map { !isIdentifierByte($0) } ?? true
    }

    // MARK: - Tokens

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    private mutating func append(_ kind: RubyToken.Kind, from start: Int, to end: Int, value: String? = nil, line startLine: Int? = nil) {
        tokens.append(RubyToken(kind: kind, text: text(start, end), value: value, range: start..<end,
                                line: startLine ?? line, endLine: line))
    }

    private mutating func identifierRun() {
        while index < bytes.count, isIdentifierByte(bytes[index]) { index += 1 }
    }

    private mutating func word(from start: Int) {
        identifierRun()
        // `save!`, `valid?`, but not `a!=b` or `x ?y : z` style ternaries.
        if index < bytes.count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "?"),
           peek(1) != UInt8(ascii: "="), peek(1) != UInt8(ascii: ":") || peek(2) == UInt8(ascii: ":") {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ":"), peek(1) != UInt8(ascii: ":") {
            append(.label, from: start, to: index)
            index += 1
            return
        }
        let word = text(start, index)
        let afterDot = previous.map { $0.kind == .punctuation && ($0.text == "." || $0.text == "&.") } ?? false
        let afterDef = previous.map { $0.kind == .keyword && $0.text == "def" } ?? false
        if RubyTokenizer.keywords.contains(word), !afterDot, !afterDef {
            append(.keyword, from: start, to: index)
        } else if bytes[start] >= UInt8(ascii: "A") && bytes[start] <= UInt8(ascii: "Z") {
            append(.constant, from: start, to: index)
        } else {
            append(.identifier, from: start, to: index)
        }
    }

    private mutating func number() {
        let start = index
        identifierRun()
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), FileName.isDigit(bytes[index + 1]) {
            index += 1
            identifierRun()
        }
        append(.number, from: start, to: index)
    }

    private mutating func operatorToken(from start: Int) {
        let length = RubyLexer.operators.first { matches($0) }?.utf8.count ?? 1
        index += length
        append(.punctuation, from: start, to: index)
    }

    private mutating func embeddedDocument() {
        let start = index
        let startLine = line
        while index < bytes.count {
            let lineStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            if lineStart != start, bytes[lineStart...].starts(with: "=end".utf8) { break }
            if index < bytes.count {
                index += 1
                line += 1
            }
        }
        append(.comment, from: start, to: index, line: startLine)
    }

    /// A delimited literal; brackets nest, `#{…}` interpolation is skipped as a unit.
    private mutating func quotedString(open: UInt8, close: UInt8, interpolates: Bool, from start: Int,
                                       kind: RubyToken.Kind = .string) {
        let startLine = line
        index += 1
        let contentStart = index
        var depth = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                if peek(1) == UInt8(ascii: "\n") { line += 1 }
                index += 2
                continue
            }
            if interpolates, byte == UInt8(ascii: "#"), peek(1) == UInt8(ascii: "{") {
                skipInterpolation()
                continue
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte == close {
                depth -= 1
                if depth == 0 { break }
            } else if byte == open {
                depth += 1
            }
            index += 1
        }
        let contentEnd = min(index, bytes.count)
        index = min(index + 1, bytes.count)
        append(kind, from: start, to: index, value: text(contentStart, contentEnd), line: startLine)
    }

    private mutating func skipInterpolation() {
        index += 2
        var depth = 1
        while index < bytes.count, depth > 0 {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let mark = tokens.count
                quotedString(open: byte, close: byte, interpolates: byte == UInt8(ascii: "\""), from: index)
                tokens.removeSubrange(mark...)
                continue
            default: break
            }
            index += 1
        }
    }

    private mutating func percentLiteral(from start: Int) {
        index += 1
        var interpolates = true
        if "qQwWiIrsx".utf8.contains(bytes[index]) {
            interpolates = !"qwis".utf8.contains(bytes[index])
            index += 1
        }
        let open = bytes[index]
        let pairs: [UInt8: UInt8] = [UInt8(ascii: "("): UInt8(ascii: ")"), UInt8(ascii: "["): UInt8(ascii: "]"),
                                     UInt8(ascii: "{"): UInt8(ascii: "}"), UInt8(ascii: "<"): UInt8(ascii: ">")]
        quotedString(open: open, close: pairs[open] ?? open, interpolates: interpolates, from: start)
    }

    private mutating func heredocOpener(from start: Int) {
        index += 2
        var indented = false
        if bytes[index] == UInt8(ascii: "~") || bytes[index] == UInt8(ascii: "-") {
            indented = true
            index += 1
        }
        let terminator: [UInt8]
        let quote = bytes[index]
        if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "`") {
            let nameStart = index + 1
            index = nameStart
            while index < bytes.count, bytes[index] != quote, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            terminator = Array(bytes[nameStart..<index])
            if index < bytes.count, bytes[index] == quote { index += 1 }
        } else {
            let nameStart = index
            identifierRun()
            terminator = Array(bytes[nameStart..<index])
        }
        append(.string, from: start, to: index, value: "")
        pendingHeredocs.append(PendingHeredoc(tokenIndex: tokens.count - 1, terminator: terminator, indentedTerminator: indented))
    }

    /// Heredoc bodies start on the line after their opener, in the order the openers appeared.
    private mutating func readHeredocBodies() {
        let pending = pendingHeredocs
        pendingHeredocs = []
        for heredoc in pending {
            let bodyStart = index
            var bodyEnd = bytes.count
            while index < bytes.count {
                let lineStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                var content = bytes[lineStart..<index]
                if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
                if heredoc.indentedTerminator {
                    content = content.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                }
                let isTerminator = content.elementsEqual(heredoc.terminator)
                if isTerminator { bodyEnd = lineStart }
                if index < bytes.count {
                    index += 1
                    line += 1
                }
                if isTerminator { break }
            }
            tokens[heredoc.tokenIndex].value = text(bodyStart, bodyEnd)
            tokens[heredoc.tokenIndex].endLine = index < bytes.count || bytes.last == UInt8(ascii: "\n") ? line - 1 : line
        }
    }
}

/// A token of Python source.
public struct PythonToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case name
        case number
        /// Any string literal, prefixes (`r`, `b`, `f`, `u`, combined) and triple quotes included.
        case string
        case comment
        case punctuation
        /// The end of a logical line (never inside brackets or after a `\` continuation).
        case newline
        /// Indentation grows or shrinks at the start of a logical line; zero-width.
        case indent
        case dedent
    }

    public let kind: Kind
    public let text: String
    /// A string's content: escapes decoded unless raw, prefix and quotes removed.
    public let value: String?
    /// UTF-8 byte offsets in the source.
    public let range: Range<Int>
    /// 1-based lines; a triple-quoted string may end on a later line.
    public let line: Int
    public let endLine: Int
    /// 1-based column of the first byte, counted in UTF-8 bytes.
    public let column: Int

    /// Not a comment, newline or indentation change.
    public var isCode: Bool {
        switch kind {
        case .comment, .newline, .indent, .dedent: false
        default: true
        }
    }
}

/// Splits Python source into tokens the way CPython's `tokenize` does: comments and every
/// string form are single tokens (so code inside them never counts), brackets and `\` join
/// physical lines into one logical line, and indentation becomes indent/dedent tokens.
public enum PythonTokenizer: Sendable {
    public static func tokenize(_ source: String) -> [PythonToken] {
        var lexer = PythonLexer(bytes: Array(source.utf8))
        lexer.run()
        return lexer.tokens
    }
}

private struct PythonLexer {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    var tokens: [PythonToken] = []
    private var bracketDepth = 0
    private var indents = [0]
    private var lineHasCode = false
    private var continuation = false

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static let operators: [String] = [
        "**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>",
        "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
    ]

    mutating func run() {
        while index < bytes.count {
            if index == lineStart, bracketDepth == 0, !continuation {
                indentation()
                if index >= bytes.count { break }
            }
            let byte = bytes[index]
            let start = index
            switch byte {
            case UInt8(ascii: "\n"):
                endPhysicalLine()
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n") || (peek(1) == UInt8(ascii: "\r") && peek(2) == UInt8(ascii: "\n")):
                index += peek(1) == UInt8(ascii: "\n") ? 2 : 3
                newLine()
                continuation = true
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                append(.comment, from: start, value: nil, line: line, column: start - lineStart + 1)
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                string(from: start, prefix: "")
            default:
                if FileName.isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(FileName.isDigit) == true) {
                    number(from: start)
                } else if isNameStart(byte) {
                    name(from: start)
                } else {
                    punctuation(from: start)
                }
            }
        }
        if lineHasCode { append(.newline, from: index, value: nil, line: line, column: index - lineStart + 1) }
        while indents.count > 1 {
            indents.removeLast()
            append(.dedent, from: index, value: nil, line: line, column: 1, empty: true)
        }
    }

    private func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || FileName.isDigit(byte)
    }

    private mutating func append(_ kind: PythonToken.Kind, from start: Int, value: String?, line startLine: Int,
                                 column: Int, empty: Bool = false) {
        let end = empty ? start : index
        tokens.append(PythonToken(kind: kind, text: String(decoding: bytes[start..<end], as: UTF8.self), value: value,
                                  range: start..<end, line: startLine, endLine: empty ? startLine : line, column: column))
        if kind != .comment, kind != .newline, kind != .indent, kind != .dedent { lineHasCode = true }
    }

    private mutating func newLine() {
        line += 1
        lineStart = index
    }

    private mutating func endPhysicalLine() {
        if bracketDepth == 0, lineHasCode {
            append(.newline, from: index, value: nil, line: line, column: index - lineStart + 1)
            lineHasCode = false
        }
        index += 1
        newLine()
        continuation = false
    }

    /// Measures the indentation of a line that starts a logical line; blank and comment-only
    /// lines do not change it. Tabs advance to the next multiple of 8, as in CPython.
    private mutating func indentation() {
        var width = 0
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "): width += 1
            case UInt8(ascii: "\t"): width = (width / 8 + 1) * 8
            case 0x0C: width = 0
            default:
                let byte = bytes[position]
                index = position
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\r") { return }
                if width > indents.last! {
                    indents.append(width)
                    append(.indent, from: index, value: nil, line: line, column: index - lineStart + 1, empty: true)
                } else {
                    while width < indents.last! {
                        indents.removeLast()
                        append(.dedent, from: index, value: nil, line: line, column: index - lineStart + 1, empty: true)
                    }
                }
                return
            }
            position += 1
        }
        index = position
    }

    private mutating func name(from start: Int) {
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let prefix = String(decoding: bytes[start..<index], as: UTF8.self)
        if index < bytes.count, bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\""),
           prefix.count <= 2, prefix.lowercased().allSatisfy({ "rbfu".contains($0) }) {
            string(from: start, prefix: prefix.lowercased())
            return
        }
        append(.name, from: start, value: nil, line: line, column: start - lineStart + 1)
    }

    private mutating func number(from start: Int) {
        while index < bytes.count {
            let byte = bytes[index]
            let isExponentSign = (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"))
                && (bytes[index - 1] == UInt8(ascii: "e") || bytes[index - 1] == UInt8(ascii: "E"))
                && !(bytes[start] == UInt8(ascii: "0") && index - start > 1 && "xXoObB".utf8.contains(bytes[start + 1]))
            guard isNameByte(byte) || byte == UInt8(ascii: ".") || isExponentSign else { break }
            index += 1
        }
        append(.number, from: start, value: nil, line: line, column: start - lineStart + 1)
    }

    private mutating func punctuation(from start: Int) {
        let length = PythonLexer.operators.first { bytes[index...].starts(with: $0.utf8) }?.utf8.count ?? 1
        switch bytes[index] {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): bracketDepth += 1
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): bracketDepth = max(0, bracketDepth - 1)
        default: break
        }
        index += length
        append(.punctuation, from: start, value: nil, line: line, column: start - lineStart + 1)
    }

    /// A string literal. A backslash always protects the next character from ending the
    /// string, raw or not; only non-raw strings have their escapes decoded in `value`.
    private mutating func string(from start: Int, prefix: String) {
        let startLine = line
        let column = start - lineStart + 1
        let quote = bytes[index]
        let triple = peek(1) == quote && peek(2) == quote
        index += triple ? 3 : 1
        let contentStart = index
        var contentEnd = bytes.count
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index = min(index + 2, bytes.count)
                if bytes[index - 1] == UInt8(ascii: "\n") { newLine() }
                continue
            }
            if byte == UInt8(ascii: "\n") {
                if !triple {
                    contentEnd = index
                    break
                }
                index += 1
                newLine()
                continue
            }
            if byte == quote, !triple || (peek(1) == quote && peek(2) == quote) {
                contentEnd = index
                index += triple ? 3 : 1
                break
            }
            index += 1
        }
        let raw = Array(bytes[contentStart..<min(contentEnd, bytes.count)])
        let value = prefix.contains("r") ? String(decoding: raw, as: UTF8.self) : PythonLexer.unescape(raw)
        append(.string, from: start, value: value, line: startLine, column: column)
    }

    private static func unescape(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                out.append(byte)
                index += 1
                continue
            }
            let next = bytes[index + 1]
            switch next {
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(next)
            default: out += [byte, next]
            }
            index += 2
        }
        return String(decoding: out, as: UTF8.self)
    }
}

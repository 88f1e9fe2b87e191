import MigFormats

/// Why a file's tokens could not be read, as the end of a sentence ("compared as whitespace
/// because …").
struct TokenUnavailable: Error {
    let reason: String
}

/// Turns a file into the token keys `tokens` mode compares: comments left out, and each token
/// reduced to what its language means by it, so that formatting tools' rewrites compare equal
/// and nothing that changes what runs does.
enum TokenKeys {
    private typealias Keyed = [(key: String, range: Range<Int>)]

    /// `text` is `original` with normalized line endings; ranges in the result are in `original`.
    static func units(of text: NormalizedLines, original: [UInt8], language: EditComparison.Language,
                      side: String) throws(TokenUnavailable) -> Units<String> {
        let keyed: Keyed
        switch language {
        case .other:
            throw TokenUnavailable(reason: "there is no tokenizer for this kind of file")
        case .sql:
            _ = try validated(text, side: side)
            do throws(SQLError) {
                keyed = try sql(text.bytes)
            } catch {
                // The message quotes the text near the error, which may span lines; a note is one line.
                let message = error.message.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                var reason = "the \(side) file does not scan as PostgreSQL: \(message)"
                if let location = error.location {
                    let place = LineMap(original).location(of: text.origins[location.offset])
                    reason += " (line \(place.line), column \(place.column))"
                }
                throw TokenUnavailable(reason: reason)
            }
        case .ruby:
            keyed = ruby(try validated(text, side: side))
        case .python:
            keyed = python(try validated(text, side: side))
        }
        var units = Units<String>()
        for (key, range) in keyed {
            units.append(key, at: text.origins[range.lowerBound]..<text.origins[range.upperBound])
        }
        return units
    }

    private static func validated(_ text: NormalizedLines, side: String) throws(TokenUnavailable) -> String {
        guard let source = String(validating: text.bytes, as: UTF8.self) else {
            throw TokenUnavailable(reason: "the \(side) file is not valid UTF-8")
        }
        return source
    }

    private static let separator = "⏎"

    // MARK: - SQL

    /// PostgreSQL folds keywords and unquoted names to lower case (ASCII letters only, in a UTF-8
    /// database), and string prefixes and exponents are case-insensitive; quoted names and
    /// string contents are kept as written. `"users"` and `users` name the same table but are
    /// different tokens, so adding quotes counts.
    private static func sql(_ bytes: [UInt8]) throws(SQLError) -> Keyed {
        try PostgresScanner.scan(bytes).filter { !$0.isComment }.map { token in
            let text = bytes[token.range]
            let key: [UInt8] = switch token.kind {
            case .keyword, .identifier, .number: text.map(asciiLowercased)
            case .string: stringPrefixLowercased(text)
            default: Array(text)
            }
            return (String(decoding: key, as: UTF8.self), token.range)
        }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// `E'…'`, `B'…'`, `X'…'`, `U&'…'`: the letters before the quote, not the content.
    private static func stringPrefixLowercased(_ text: ArraySlice<UInt8>) -> [UInt8] {
        let prefix = text.prefix { $0 != UInt8(ascii: "'") }
        let isPrefix = prefix.allSatisfy { byte in
            byte == UInt8(ascii: "&") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(asciiLowercased(byte))
        }
        guard prefix.count < text.count, isPrefix else { return Array(text) }
        return prefix.map(asciiLowercased) + text.dropFirst(prefix.count)
    }

    // MARK: - Ruby

    /// Newlines and `;` end statements, so they count as one separator, except where Ruby reads
    /// on: after an operator, a comma or an opening bracket, before a closing bracket, and
    /// before a leading `.method`. Strings compare by content when the quotes cannot change
    /// it (no escapes, no `#`), and heredocs by the string they make, which is what
    /// reindenting a `<<~` heredoc keeps and reindenting a `<<-` heredoc does not.
    private static func ruby(_ source: String) -> Keyed {
        var keyed: Keyed = []
        var pendingSeparator: Range<Int>?
        var previous: RubyToken?
        for token in RubyTokenizer.tokenize(source) where token.kind != .comment {
            if token.kind == .newline || (token.kind == .punctuation && token.text == ";") {
                if pendingSeparator == nil, let previous, !rubyContinuesAfter(previous) {
                    pendingSeparator = token.range
                }
                continue
            }
            if let range = pendingSeparator,
               !(token.kind == .punctuation && [")", "]", "}", ".", "&."].contains(token.text)) {
                keyed.append((separator, range))
            }
            pendingSeparator = nil
            keyed.append((rubyKey(token), token.range))
            previous = token
        }
        return keyed
    }

    /// `..` and `...` are left out: at the end of a line they make an endless range.
    private static let rubyContinuingPunctuation: Set<String> = [
        ",", "(", "[", "{", "|", "||", "&&", "=", "+=", "-=", "*=", "/=", "%=", "**=", "||=", "&&=", "|=", "&=",
        "^=", "<<=", ">>=", "==", "!=", "===", "=~", "!~", "<", ">", "<=", ">=", "<=>", "+", "-", "*", "/", "%",
        "**", "&", "^", "<<", ">>", ".", "&.", "::", "=>", "->", "?", ":", "!",
    ]

    private static func rubyContinuesAfter(_ token: RubyToken) -> Bool {
        switch token.kind {
        case .punctuation: rubyContinuingPunctuation.contains(token.text)
        case .keyword: ["and", "or", "not"].contains(token.text)
        default: false
        }
    }

    private static func rubyKey(_ token: RubyToken) -> String {
        switch token.kind {
        case .string:
            if token.text.hasPrefix("<<") { return heredocKey(token) }
            if let first = token.text.first, first == "'" || first == "\"", let value = token.value,
               !value.contains("\\"), !value.contains("#") {
                return "string " + value
            }
            return "literal " + token.text
        case .number:
            return "number " + token.text.lowercased()
        default:
            return "\(token.kind) " + token.text
        }
    }

    /// The terminator's name is not part of the string, so `<<~SQL` and `<<~EOS` with the same
    /// body make the same key.
    private static func heredocKey(_ token: RubyToken) -> String {
        var opener = token.text.dropFirst(2)
        let squiggly = opener.first == "~"
        if opener.first == "~" || opener.first == "-" { opener = opener.dropFirst() }
        let flavor = switch opener.first {
        case "'": "raw"
        case "`": "command"
        default: "interpolated"
        }
        let body = token.value ?? ""
        return "heredoc \(flavor) " + (squiggly ? squigglyDedented(body) : body)
    }

    /// What Ruby does to a `<<~` body: the least indentation of the lines that have content
    /// (a tab reaching the next multiple of 8) is removed from every line, a tab that would
    /// cross it is kept.
    static func squigglyDedented(_ body: String) -> String {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        let width = lines.compactMap { line -> Int? in
            var width = 0
            for byte in line.utf8 {
                switch byte {
                case UInt8(ascii: " "): width += 1
                case UInt8(ascii: "\t"): width = (width / 8 + 1) * 8
                default: return width
                }
            }
            return nil
        }.min() ?? 0
        return lines.map { line -> Substring in
            var column = 0
            var index = line.startIndex
            while index < line.endIndex {
                let next = switch line[index] {
                case " ": column + 1
                case "\t": (column / 8 + 1) * 8
                default: Int.max
                }
                guard next <= width else { break }
                column = next
                index = line.index(after: index)
            }
            return line[index...]
        }.joined(separator: "\n")
    }

    // MARK: - Python

    /// CPython's tokens less comments, with what black rewrites made equal: string quotes and
    /// prefixes (compared by prefix kind and decoded value), `;` against a line break, number
    /// case, and a trailing comma before a closing bracket where it cannot make a tuple: in a
    /// call or definition, a list, dict or set display, or after another comma.
    private static func python(_ source: String) -> Keyed {
        let tokens = PythonTokenizer.tokenize(source)
        func code(from index: Int, by step: Int) -> PythonToken? {
            var index = index + step
            while tokens.indices.contains(index) {
                if tokens[index].kind != .comment { return tokens[index] }
                index += step
            }
            return nil
        }
        var keyed: Keyed = []
        var brackets: [(trailingCommaFree: Bool, commas: Int)] = []
        func appendSeparator(_ range: Range<Int>) {
            if keyed.last?.key != separator { keyed.append((separator, range)) }
        }
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .newline:
                appendSeparator(token.range)
            case .indent:
                keyed.append(("indent", token.range))
            case .dedent:
                keyed.append(("dedent", token.range))
            case .name:
                keyed.append(("name " + token.text, token.range))
            case .number:
                keyed.append(("number " + token.text.lowercased(), token.range))
            case .string:
                keyed.append((pythonStringKey(token), token.range))
            case .comment:
                continue
            case .punctuation:
                switch token.text {
                case "(", "[", "{":
                    let afterValue = code(from: index, by: -1).map(isPythonValue) ?? false
                    let free = token.text == "{" || (token.text == "(" ? afterValue : !afterValue)
                    brackets.append((free, 0))
                case ")", "]", "}":
                    _ = brackets.popLast()
                case "," where !brackets.isEmpty:
                    brackets[brackets.count - 1].commas += 1
                    let closes = code(from: index, by: 1).map { $0.kind == .punctuation && [")", "]", "}"].contains($0.text) } ?? false
                    if closes, brackets[brackets.count - 1].trailingCommaFree || brackets[brackets.count - 1].commas > 1 {
                        continue
                    }
                case ";" where brackets.isEmpty:
                    appendSeparator(token.range)
                    continue
                default:
                    break
                }
                keyed.append((token.text, token.range))
            }
        }
        return keyed
    }

    /// `True`, `None` and `False` are names that are values; `match`, `case` and `type` are
    /// taken as keywords, which only makes `type(a,)` count its trailing comma.
    private static let pythonKeywords: Set<String> = [
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
        "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type",
    ]

    /// What a bracket after it makes a call or a subscript rather than a display.
    private static func isPythonValue(_ token: PythonToken) -> Bool {
        switch token.kind {
        case .name: !pythonKeywords.contains(token.text)
        case .string: true
        case .punctuation: token.text == ")" || token.text == "]"
        default: false
        }
    }

    /// `u` means nothing in Python 3 and prefix letters are unordered and case-insensitive;
    /// `r`, `b` and `f` change what the value means, so they stay.
    private static func pythonStringKey(_ token: PythonToken) -> String {
        let prefix = token.text.prefix { $0 != "'" && $0 != "\"" }.lowercased().filter { $0 != "u" }.sorted()
        return "string \(String(prefix)) " + (token.value ?? "")
    }
}

/// Why a deploy glob was rejected.
public struct RefGlobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The glob as written.
    public let pattern: String
    /// What is wrong and, where there is one, the likely intended glob.
    public let reason: String

    public var description: String { "invalid ref glob '\(pattern)': \(reason)" }
}

/// A pattern over full git ref names, compiled once: `*` matches within one path component,
/// `**` across components (`refs/**/x` also matches `refs/x`), `?` one character,
/// `[a-z]`/`[!a-z]` one character of a class.
public struct RefGlob: Sendable, Hashable, CustomStringConvertible {
    /// The glob as written.
    public let pattern: String
    private let tokens: [Token]
    /// Bytes every match starts with, checked before any backtracking.
    private let prefix: [UInt8]

    /// Validates `pattern` against git's ref-name rules and compiles it.
    public init(_ pattern: String) throws(RefGlobError) {
        if let reason = RefGlob.problem(with: pattern) {
            throw RefGlobError(pattern: pattern, reason: reason)
        }
        let tokens: [Token]
        do throws(CompileError) {
            tokens = try RefGlob.compile(Array(pattern.utf8))
        } catch {
            throw RefGlobError(pattern: pattern, reason: error.reason)
        }
        self.pattern = pattern
        self.tokens = tokens
        if case .literal(let bytes) = tokens.first { prefix = bytes } else { prefix = [] }
    }

    public var description: String { pattern }

    /// Whether the full ref name `refName` (e.g. `refs/tags/v1.2`) matches.
    public func matches(_ refName: String) -> Bool {
        var refName = refName
        return refName.withUTF8 { matches(bytes: $0) }
    }

    public static func == (lhs: RefGlob, rhs: RefGlob) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    private func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.starts(with: prefix) else { return false }
        let width = bytes.count + 1
        // Memoizing (token, offset) keeps matching linear in pattern × name even with several stars.
        return withUnsafeTemporaryAllocation(of: Memo.self, capacity: (tokens.count + 1) * width) { memo in
            memo.initialize(repeating: .unknown)
            let matcher = Matcher(tokens: tokens, name: bytes, memo: memo, width: width)
            return matcher.match(0, 0)
        }
    }

    // MARK: Matching

    fileprivate enum Token: Sendable {
        case literal([UInt8])
        /// `*`: any run of characters other than `/`.
        case star
        /// `**` not followed by `/`: any run of characters.
        case globstar
        /// `**/`: nothing, or any run of characters ending with `/`.
        case globstarSlash
        /// `?`: one character other than `/`.
        case one
        /// `[...]`: one character other than `/`, in (or with `negated`, not in) an ASCII set.
        case set(low: UInt64, high: UInt64, negated: Bool)
    }

    private enum Memo: UInt8 { case unknown, no, yes }

    private struct Matcher {
        let tokens: [Token]
        let name: UnsafeBufferPointer<UInt8>
        let memo: UnsafeMutableBufferPointer<Memo>
        let width: Int

        func match(_ token: Int, _ offset: Int) -> Bool {
            let slot = token * width + offset
            switch memo[slot] {
            case .yes: return true
            case .no: return false
            case .unknown: break
            }
            let result = compute(token, offset)
            memo[slot] = result ? .yes : .no
            return result
        }

        private func compute(_ token: Int, _ offset: Int) -> Bool {
            guard token < tokens.count else { return offset == name.count }
            let slash = UInt8(ascii: "/")
            switch tokens[token] {
            case .literal(let bytes):
                guard name.count - offset >= bytes.count,
                      name[offset..<offset + bytes.count].elementsEqual(bytes) else { return false }
                return match(token + 1, offset + bytes.count)
            case .star:
                var end = offset
                while true {
                    if match(token + 1, end) { return true }
                    if end == name.count || name[end] == slash { return false }
                    end += 1
                }
            case .globstar:
                for end in offset...name.count where match(token + 1, end) { return true }
                return false
            case .globstarSlash:
                if match(token + 1, offset) { return true }
                for end in offset..<name.count where name[end] == slash {
                    if match(token + 1, end + 1) { return true }
                }
                return false
            case .one:
                guard offset < name.count, name[offset] != slash else { return false }
                return match(token + 1, offset + scalarLength(at: offset))
            case .set(let low, let high, let negated):
                guard offset < name.count, name[offset] != slash else { return false }
                let byte = name[offset]
                guard byte < 0x80 else {
                    return negated && match(token + 1, offset + scalarLength(at: offset))
                }
                let inSet = byte < 64 ? low & (1 << UInt64(byte)) != 0 : high & (1 << UInt64(byte - 64)) != 0
                return inSet != negated && match(token + 1, offset + 1)
            }
        }

        /// `?` and negated classes match a whole character, not one byte of it.
        private func scalarLength(at offset: Int) -> Int {
            let lead = name[offset]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            return min(length, name.count - offset)
        }
    }

    // MARK: Validation and compilation

    private struct CompileError: Error { let reason: String }

    /// Where git's ref-name rules (git check-ref-format) reject `pattern`, glob characters aside.
    private static func problem(with pattern: String) -> String? {
        if pattern.isEmpty { return "it is empty; write a full ref pattern such as 'refs/tags/v*'" }
        guard pattern.hasPrefix("refs/") else {
            let stripped = pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern
            let qualified = stripped.hasPrefix("refs/") ? stripped
                : ["heads/", "tags/", "remotes/", "environments/"].contains { stripped.hasPrefix($0) }
                ? "refs/" + stripped : "refs/tags/" + stripped
            return "deploy globs match full ref names starting with 'refs/' (did you mean '\(qualified)'?)"
        }
        if let reason = forbiddenCharacter(in: pattern, allowingGlobs: true) { return reason }
        if pattern.hasSuffix("/") { return "it ends with '/'; name the refs below it, such as '\(pattern)*'" }
        if pattern.contains("//") { return "it has an empty path component ('//')" }
        for component in pattern.split(separator: "/") {
            if let reason = componentShapeProblem(String(component)) { return reason }
        }
        return nil
    }

    /// Why `name` cannot be one component of a ref name, or nil when it can.
    static func componentProblem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.contains("/") { return "it contains '/'" }
        if name == "@" { return "git does not allow '@' alone as a ref name" }
        if let reason = forbiddenCharacter(in: name, allowingGlobs: false) { return reason }
        return componentShapeProblem(name)
    }

    private static func componentShapeProblem(_ component: String) -> String? {
        if component.hasPrefix(".") { return "a component starts with '.', which git does not allow in ref names" }
        if component.hasSuffix(".") { return "a component ends with '.', which git does not allow in ref names" }
        if component.hasSuffix(".lock") { return "a component ends with '.lock', which git does not allow in ref names" }
        return nil
    }

    private static func forbiddenCharacter(in text: String, allowingGlobs: Bool) -> String? {
        if text.contains("..") { return "it contains '..', which git does not allow in ref names" }
        if text.contains("@{") { return "it contains '@{', which git does not allow in ref names" }
        var previous: Character?
        for character in text {
            defer { previous = character }
            let isNegation = allowingGlobs && character == "^" && previous == "["
            switch character {
            case " ": return "it contains a space, which git does not allow in ref names"
            case "~", ":", "\\":
                return "it contains '\(character)', which git does not allow in ref names"
            case "^" where !isNegation:
                return "it contains '^', which git does not allow in ref names"
            case "*", "?", "[":
                if !allowingGlobs { return "it contains '\(character)', which git does not allow in ref names" }
            default:
                if let ascii = character.asciiValue, ascii < 0x20 || ascii == 0x7F {
                    return "it contains a control character, which git does not allow in ref names"
                }
            }
        }
        return nil
    }

    private static func compile(_ bytes: [UInt8]) throws(CompileError) -> [Token] {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "*"):
                flush()
                var end = index
                while end < bytes.count, bytes[end] == UInt8(ascii: "*") { end += 1 }
                if end - index == 1 {
                    tokens.append(.star)
                } else if end < bytes.count, bytes[end] == UInt8(ascii: "/"),
                          index == 0 || bytes[index - 1] == UInt8(ascii: "/") {
                    tokens.append(.globstarSlash)
                    end += 1
                } else {
                    tokens.append(.globstar)
                }
                index = end
            case UInt8(ascii: "?"):
                flush()
                tokens.append(.one)
                index += 1
            case UInt8(ascii: "["):
                flush()
                let (token, end) = try compileSet(bytes, openingAt: index)
                tokens.append(token)
                index = end
            default:
                literal.append(bytes[index])
                index += 1
            }
        }
        flush()
        return tokens
    }

    /// Compiles the class opening at `start`; returns it and the offset after its `]`.
    private static func compileSet(_ bytes: [UInt8], openingAt start: Int) throws(CompileError) -> (Token, Int) {
        var index = start + 1
        var negated = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var low: UInt64 = 0, high: UInt64 = 0
        func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        let first = index
        while index < bytes.count {
            let byte = bytes[index]
            // A `]` right after the opening bracket is a member, as in fnmatch.
            if byte == UInt8(ascii: "]"), index > first {
                return (.set(low: low, high: high, negated: negated), index + 1)
            }
            guard byte < 0x80 else { throw CompileError(reason: "character classes take ASCII characters only") }
            if byte == UInt8(ascii: "/") { throw CompileError(reason: "a character class cannot match '/'") }
            if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] != UInt8(ascii: "]") {
                let upper = bytes[index + 2]
                guard upper < 0x80, upper >= byte else {
                    throw CompileError(reason: "the range '\(Character(Unicode.Scalar(byte)))-\(Character(Unicode.Scalar(upper)))' is empty or not ASCII")
                }
                for member in byte...upper { insert(member) }
                index += 3
            } else {
                insert(byte)
                index += 1
            }
        }
        throw CompileError(reason: "a '[' has no closing ']'")
    }
}

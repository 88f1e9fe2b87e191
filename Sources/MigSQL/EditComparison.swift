/// Decides whether an edit of a deployed migration counts as editing it, under the policy's
/// `immutability` setting (DESIGN §1).
public enum EditComparison {
    /// What counts as an edit; mirrors the policy's `immutability` values.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Any byte.
        case exact
        /// CRLF, LF and lone CR are the same line ending, and line endings at the end of the
        /// file do not count.
        case lineEndings = "line-endings"
        /// The file is read as words separated by runs of ASCII whitespace, and only the words
        /// count. Whitespace that separates two words may change but not vanish, so `a b` and
        /// `ab` differ: dropping all whitespace would call `DROP TABLE a b` and `DROP TABLE ab`
        /// the same file. The price is that `a = 1` and `a=1` differ; `tokens` allows that.
        case whitespace
        /// Only the token stream counts: comments and formatting may change. Line endings are
        /// normalized first, so this mode allows whatever `lineEndings` allows. Files whose
        /// tokens cannot be read are compared as `whitespace`, and the verdict says so.
        case tokens
    }

    /// Which tokenizer `tokens` uses.
    public enum Language: Sendable, Hashable {
        /// PostgreSQL's own scanner.
        case sql
        case ruby
        case python
        /// No tokenizer: `tokens` falls back to `whitespace`.
        case other
    }

    public enum Verdict: Sendable, Hashable {
        /// The same bytes.
        case identical
        /// Different bytes, but not an edit under the mode; the reason is one line for a note,
        /// naming the narrowest kind of change ("only line endings changed" even in `tokens`).
        case allowed(reason: String)
        /// An edit under the mode.
        case changed(Change)
    }

    /// Where the first counted change starts, in both files.
    public struct Change: Sendable, Hashable {
        public let old: SourceLocation
        public let new: SourceLocation
        /// Set when `tokens` could not be used and `whitespace` was compared instead: why.
        public let fallback: String?

        public init(old: SourceLocation, new: SourceLocation, fallback: String?) {
            self.old = old
            self.new = new
            self.fallback = fallback
        }
    }

    public static func compare(old: [UInt8], new: [UInt8], mode: Mode, language: Language) -> Verdict {
        if old == new { return .identical }
        let oldText = NormalizedLines(old), newText = NormalizedLines(new)
        let onlyLineEndings = oldText.bytes == newText.bytes
        switch mode {
        case .exact:
            let index = firstDifference(old, new)
            return changed(old: old, at: index, new: new, at: index, fallback: nil)
        case .lineEndings:
            if onlyLineEndings { return .allowed(reason: Reason.lineEndings) }
            let index = firstDifference(oldText.bytes, newText.bytes)
            return changed(old: old, at: oldText.origins[index], new: new, at: newText.origins[index], fallback: nil)
        case .whitespace:
            return compareWords(old: old, new: new, onlyLineEndings: onlyLineEndings, fallback: nil)
        case .tokens:
            let oldTokens: Units<String>, newTokens: Units<String>
            do throws(TokenUnavailable) {
                oldTokens = try TokenKeys.units(of: oldText, original: old, language: language, side: "old")
                newTokens = try TokenKeys.units(of: newText, original: new, language: language, side: "new")
            } catch {
                return compareWords(old: old, new: new, onlyLineEndings: onlyLineEndings,
                                    fallback: "compared as whitespace because \(error.reason)")
            }
            if oldTokens.keys != newTokens.keys {
                let index = firstDifference(oldTokens.keys, newTokens.keys)
                return changed(old: old, at: oldTokens.offset(at: index), new: new, at: newTokens.offset(at: index),
                               fallback: nil)
            }
            if onlyLineEndings { return .allowed(reason: Reason.lineEndings) }
            if Units(words: old).keys == Units(words: new).keys { return .allowed(reason: Reason.whitespace) }
            return .allowed(reason: Reason.formatting)
        }
    }

    private enum Reason {
        static let lineEndings = "only line endings changed"
        static let whitespace = "only whitespace changed"
        static let formatting = "only comments and formatting changed"
    }

    private static func compareWords(old: [UInt8], new: [UInt8], onlyLineEndings: Bool, fallback: String?) -> Verdict {
        let suffix = fallback.map { " (\($0))" } ?? ""
        if onlyLineEndings { return .allowed(reason: Reason.lineEndings + suffix) }
        let oldWords = Units(words: old), newWords = Units(words: new)
        if oldWords.keys == newWords.keys { return .allowed(reason: Reason.whitespace + suffix) }
        let index = firstDifference(oldWords.keys, newWords.keys)
        return changed(old: old, at: oldWords.offset(at: index), new: new, at: newWords.offset(at: index),
                       fallback: fallback)
    }

    /// The index of the first unit that differs, or the length of the shorter sequence when one
    /// is a prefix of the other; only called on sequences known to differ.
    private static func firstDifference<Key: Equatable>(_ old: [Key], _ new: [Key]) -> Int {
        zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
    }

    private static func changed(old: [UInt8], at oldOffset: Int, new: [UInt8], at newOffset: Int,
                                fallback: String?) -> Verdict {
        .changed(Change(old: LineMap(old).location(of: oldOffset), new: LineMap(new).location(of: newOffset),
                        fallback: fallback))
    }
}

/// A file with every line ending made LF and the line endings at its end removed, remembering
/// for each byte where it came from.
struct NormalizedLines {
    let bytes: [UInt8]
    /// The original offset of each byte, plus one more entry: where the kept text ends.
    let origins: [Int]

    init(_ original: [UInt8]) {
        var end = original.count
        while end > 0, original[end - 1] == UInt8(ascii: "\n") || original[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        var bytes: [UInt8] = [], origins: [Int] = []
        bytes.reserveCapacity(end)
        origins.reserveCapacity(end + 1)
        var index = 0
        while index < end {
            bytes.append(original[index] == UInt8(ascii: "\r") ? UInt8(ascii: "\n") : original[index])
            origins.append(index)
            let isCRLF = original[index] == UInt8(ascii: "\r") && index + 1 < end && original[index + 1] == UInt8(ascii: "\n")
            index += isCRLF ? 2 : 1
        }
        origins.append(end)
        self.bytes = bytes
        self.origins = origins
    }
}

/// A file cut into the units a mode compares, each remembering where it starts in the file.
struct Units<Key: Equatable> {
    private(set) var keys: [Key] = []
    private var starts: [Int] = []
    /// Where the last unit ends.
    private var end = 0

    mutating func append(_ key: Key, at range: Range<Int>) {
        keys.append(key)
        starts.append(range.lowerBound)
        end = range.upperBound
    }

    /// Where unit `index` starts; past the last unit, where the last one ends, so a change that
    /// removes the end of a file points just after what is left.
    func offset(at index: Int) -> Int {
        index < starts.count ? starts[index] : end
    }
}

extension Units where Key == ArraySlice<UInt8> {
    /// Runs of bytes other than ASCII whitespace; works on any bytes, UTF-8 or not.
    init(words bytes: [UInt8]) {
        self.init()
        var index = 0
        while index < bytes.count {
            guard !Units.isWhitespace(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, !Units.isWhitespace(bytes[index]) { index += 1 }
            append(bytes[start..<index], at: start..<index)
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}

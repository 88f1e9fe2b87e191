import MigCore

/// Byte-level reading of file names, so names that are not UTF-8 are still parsed; only the
/// parts shown to people become text (with `\xNN` escapes).
enum FileName {
    /// Names no format ever runs and no rule needs to see.
    private static let clutterNames: Set<String> = [
        ".keep", ".gitkeep", ".gitignore", ".gitattributes", ".DS_Store", "Thumbs.db", "__init__.py",
    ]
    private static let clutterExtensions = [".md", ".txt", ".rst", ".adoc", ".pyc", ".pyo"]
    private static let backupSuffixes = [".orig", ".bak", ".backup", ".rej", ".old", ".swp", ".swo", ".tmp", ".disabled", ".save", "~"]

    static func isClutter(_ relativePath: RepoPath) -> Bool {
        if relativePath.components.contains(where: { $0.elementsEqual("__pycache__".utf8) }) { return true }
        let name = relativePath.fileName.bytes
        // No clutter name starts with a digit, and nearly every migration does: the hook judges
        // thousands of such names, so skip the text checks for them.
        if let first = name.first, isDigit(first) {
            return clutterExtensions.contains { hasSuffix(name, $0) }
        }
        if let text = String(validating: name, as: UTF8.self) {
            // `.#name` are Emacs lock files.
            if clutterNames.contains(text) || text.hasPrefix(".#") { return true }
            let upper = text.uppercased()
            if upper.hasPrefix("README") || upper.hasPrefix("LICENSE") || upper.hasPrefix("CHANGELOG") { return true }
        }
        return clutterExtensions.contains { hasSuffix(name, $0) }
    }

    static func backupSuffix(of name: [UInt8]) -> String? {
        backupSuffixes.first { hasSuffix(name, $0) && name.count > $0.utf8.count }
    }

    static func hasSuffix(_ name: some Collection<UInt8>, _ suffix: String) -> Bool {
        name.count >= suffix.utf8.count && name.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    static func hasPrefix(_ name: some Collection<UInt8>, _ prefix: String) -> Bool {
        name.starts(with: prefix.utf8)
    }

    static func dropSuffix(_ name: [UInt8], _ suffix: String) -> [UInt8]? {
        hasSuffix(name, suffix) ? Array(name.dropLast(suffix.utf8.count)) : nil
    }

    /// The leading ASCII digits and the rest.
    static func splitLeadingDigits(_ bytes: some Collection<UInt8>) -> (digits: String, rest: [UInt8]) {
        let digits = bytes.prefix(while: isDigit)
        return (String(decoding: digits, as: UTF8.self), Array(bytes.dropFirst(digits.count)))
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func text(_ bytes: [UInt8]) -> String {
        RepoPath(bytes: bytes).description
    }

    /// `<digits><separator><name><suffix>`, the shape most formats share. Nil when there are
    /// no digits, no separator, or an empty name.
    static func versioned(_ name: [UInt8], separators: Set<UInt8> = [UInt8(ascii: "_")],
                          suffix: String) -> (version: String, name: String)? {
        guard let stem = dropSuffix(name, suffix) else { return nil }
        let (digits, rest) = splitLeadingDigits(stem)
        guard !digits.isEmpty, let separator = rest.first, separators.contains(separator), rest.count > 1 else {
            return nil
        }
        return (digits, text(Array(rest.dropFirst())))
    }
}

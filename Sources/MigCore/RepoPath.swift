/// A path inside a repository, as git stores it: raw bytes, `/`-separated, no leading slash.
///
/// Git does not require paths to be UTF-8, and a migration file with a Latin-1 name must still
/// be found, compared and reported, so the bytes are the identity and text is only for display.
public struct RepoPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Hashes the bytes in one call: the synthesized conformance feeds them to the hasher one
    /// by one, which made dictionaries of paths the hot spot of reading a ledger.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// The path as text when it is valid UTF-8.
    public var string: String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// Printable form: valid UTF-8 as is, any other byte as `\xNN`, like git's quoted paths.
    public var description: String {
        if let string { return string }
        var out = ""
        var index = 0
        while index < bytes.count {
            let sequenceLength = RepoPath.utf8SequenceLength(bytes, at: index)
            if sequenceLength > 0, let piece = String(validating: bytes[index..<index + sequenceLength], as: UTF8.self) {
                out += piece
                index += sequenceLength
            } else {
                out += "\\x" + String(bytes[index], radix: 16, uppercase: true).leftPadded(to: 2)
                index += 1
            }
        }
        return out
    }

    public var components: [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    }

    /// The last component.
    public var fileName: RepoPath {
        RepoPath(bytes: Array(components.last ?? []))
    }

    /// Everything before the last component; empty at the root.
    public var parent: RepoPath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return RepoPath(bytes: []) }
        return RepoPath(bytes: Array(bytes[..<slash]))
    }

    public var isEmpty: Bool { bytes.isEmpty }

    public func appending(_ component: RepoPath) -> RepoPath {
        if bytes.isEmpty { return component }
        if component.bytes.isEmpty { return self }
        return RepoPath(bytes: bytes + [UInt8(ascii: "/")] + component.bytes)
    }

    public func appending(_ component: String) -> RepoPath {
        appending(RepoPath(component))
    }

    /// True when `self` is `directory` or lies below it.
    public func isInside(_ directory: RepoPath) -> Bool {
        if directory.bytes.isEmpty { return true }
        if bytes == directory.bytes { return true }
        return bytes.count > directory.bytes.count
            && bytes.starts(with: directory.bytes)
            && bytes[directory.bytes.count] == UInt8(ascii: "/")
    }

    /// The path relative to `directory`, or nil when it is not inside it.
    public func relative(to directory: RepoPath) -> RepoPath? {
        guard isInside(directory) else { return nil }
        if directory.bytes.isEmpty { return self }
        if bytes == directory.bytes { return RepoPath(bytes: []) }
        return RepoPath(bytes: Array(bytes[(directory.bytes.count + 1)...]))
    }

    public static func < (lhs: RepoPath, rhs: RepoPath) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    private static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: length = 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        return index + length <= bytes.count ? length : 0
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

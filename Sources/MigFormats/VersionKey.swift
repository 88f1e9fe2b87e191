/// An ordering key that sorts versions the way migration tools run them.
///
/// Numbers compare by value at any length (`1.2.10` after `1.2.9`, `007` equal to `7`, 14-digit
/// timestamps and longer), `.` and `_` both separate parts (Flyway's `1_1` is `1.1`), and
/// missing trailing parts count as zero (Flyway's `1` equals `1.0`). Text parts sort after
/// numbers, which places Flyway's repeatables after every versioned migration.
public struct VersionKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Part: Sendable, Hashable, Comparable {
        /// Decimal digits without leading zeros (`"0"` for zero), so any length compares.
        case number(String)
        case text(String)

        public static func < (lhs: Part, rhs: Part) -> Bool {
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)):
                a.count != b.count ? a.count < b.count : a < b
            case (.number, .text):
                true
            case (.text, .number):
                false
            case (.text(let a), .text(let b)):
                a < b
            }
        }

        var isZero: Bool { self == .number("0") }
    }

    public let parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// Splits on `.` and `_`; digit runs become numbers, anything else text.
    public init(parsing version: String) {
        parts = version.split(whereSeparator: { $0 == "." || $0 == "_" }).map { piece in
            piece.allSatisfy(\.isASCIIDigit) ? .number(VersionKey.normalized(piece)) : .text(String(piece))
        }
    }

    public static func number(_ value: Int) -> Part {
        .number(String(value))
    }

    public var description: String {
        parts.map { part in
            switch part {
            case .number(let digits): digits
            case .text(let text): text
            }
        }.joined(separator: ".")
    }

    public static func == (lhs: VersionKey, rhs: VersionKey) -> Bool {
        lhs.trimmed == rhs.trimmed
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(trimmed)
    }

    public static func < (lhs: VersionKey, rhs: VersionKey) -> Bool {
        lhs.trimmed.lexicographicallyPrecedes(rhs.trimmed)
    }

    private var trimmed: ArraySlice<Part> {
        var end = parts.endIndex
        while end > parts.startIndex, parts[end - 1].isZero { end -= 1 }
        return parts[..<end]
    }

    private static func normalized(_ digits: Substring) -> String {
        let stripped = digits.drop(while: { $0 == "0" })
        return stripped.isEmpty ? "0" : String(stripped)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

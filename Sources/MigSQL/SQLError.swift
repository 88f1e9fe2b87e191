internal import CPgQuery

/// A libpg_query failure, carrying the library's own message and where in the text it happened.
public struct SQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What migledger asked of the library, e.g. "scanning".
    public let operation: String
    /// PostgreSQL's message, e.g. `unterminated quoted string at or near "'abc"`.
    public let message: String
    /// Where PostgreSQL points: its 1-based cursor position, counted in characters the way the
    /// server counts them. Nil when the error has no place (libpg_query reports 0).
    public let cursorPosition: Int?
    /// The same place as a byte offset, line and column of the text that was passed in.
    public let location: SourceLocation?

    init(operation: String, message: String, cursorPosition: Int?, location: SourceLocation?) {
        self.operation = operation
        self.message = message
        self.cursorPosition = cursorPosition
        self.location = location
    }

    public var description: String {
        let place = location.map { " at line \($0.line), column \($0.column)" } ?? ""
        return "SQL \(operation) failed\(place): \(message)"
    }

    /// Builds the error from the one libpg_query returned; call it before the result is freed.
    init(_ error: UnsafePointer<PgQueryError>, operation: String, text: [UInt8]) {
        self.init(error, operation: operation, text: text) { LineMap(text).location(of: $0) }
    }

    /// The same, for a text that is part of a file: `locate` places a byte offset of `text` in it.
    init(_ error: UnsafePointer<PgQueryError>, operation: String, text: [UInt8], locate: (Int) -> SourceLocation) {
        let message = error.pointee.message.map { String(cString: $0) } ?? ""
        let cursor = Int(error.pointee.cursorpos)
        let offset = cursor > 0 ? SQLError.byteOffset(ofCharacter: cursor, in: text) : nil
        self.init(operation: operation, message: message.isEmpty ? "unknown error" : message,
                  cursorPosition: cursor > 0 ? cursor : nil, location: offset.map(locate))
    }

    /// PostgreSQL counts the cursor in characters by each lead byte's declared length
    /// (`pg_utf_mblen`), without validating, so the same walk finds the byte it meant even in
    /// text that is not valid UTF-8.
    static func byteOffset(ofCharacter position: Int, in text: [UInt8]) -> Int {
        var offset = 0
        var remaining = position - 1
        while remaining > 0, offset < text.count {
            let lead = text[offset]
            let length = switch lead {
            case 0xC0...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF7: 4
            default: 1
            }
            offset += length
            remaining -= 1
        }
        return min(offset, text.count)
    }
}

public import MigCore

/// A line that starts the up or the down section of a SQL file keeping both directions.
public struct SQLSectionMarker: Sendable, Hashable {
    /// 1-based.
    public let line: Int
    public let isDown: Bool
    /// The comment after `--`, so callers can read options such as dbmate's `transaction:false`.
    public let comment: String
}

/// The section markers of a SQL migration, read the way its tool reads them; used outside this
/// module by the content rules, which parse the up and the down section apart.
public enum SQLSectionMarkers {
    /// The markers in file order; empty for formats that keep one direction per file.
    public static func markers(in text: String, format: MigrationFormatKind) -> [SQLSectionMarker] {
        let recognize: (Substring) -> SQLSections.Marker?
        switch format {
        case .sql: recognize = PlainSQLFormat.marker
        case .dbmate: recognize = DbmateFormat.marker
        default: return []
        }
        var markers: [SQLSectionMarker] = []
        let bytes = Array(text.utf8)
        var line = 1
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var first = start
            while first < end, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") { first += 1 }
            if end - first >= 2, bytes[first] == UInt8(ascii: "-"), bytes[first + 1] == UInt8(ascii: "-") {
                let comment = String(decoding: bytes[(first + 2)..<end], as: UTF8.self)
                if let marker = recognize(Substring(comment)) {
                    markers.append(SQLSectionMarker(line: line, isDown: marker == .down, comment: comment))
                }
            }
            line += 1
            start = end + 1
        }
        return markers
    }
}

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
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("--"), let marker = recognize(trimmed.dropFirst(2)) else { continue }
            markers.append(SQLSectionMarker(line: offset + 1, isDown: marker == .down, comment: String(trimmed.dropFirst(2))))
        }
        return markers
    }
}

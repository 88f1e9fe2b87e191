import MigCore

/// The up and down sections of a SQL file that keeps both, split at marker comments
/// (`-- migrate:down`, `-- down`) that start a line.
struct SQLSections {
    enum Marker { case up, down }

    /// From the marker line to the line before the next marker, or the end of the file.
    private(set) var up: ClosedRange<Int>?
    private(set) var down: ClosedRange<Int>?
    private let scan: SQLScan

    init(text: String, scan: SQLScan, recognize: (Substring) -> Marker?) {
        self.scan = scan
        var markers: [(line: Int, marker: Marker)] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("--"), let marker = recognize(trimmed.dropFirst(2)) else { continue }
            markers.append((offset + 1, marker))
        }
        for (index, entry) in markers.enumerated() {
            let end = index + 1 < markers.count ? markers[index + 1].line - 1 : max(entry.line, scan.lineCount)
            switch entry.marker {
            case .up where up == nil: up = entry.line...end
            case .down where down == nil: down = entry.line...end
            default: break
            }
        }
    }

    /// The down section as a `DownPart`; its lines run from the marker to the last line with
    /// content, so a finding does not point at trailing blank lines.
    var downPart: DownPart {
        guard let down else { return .missing }
        let shown = down.lowerBound...(scan.lastContentLine(in: down) ?? down.lowerBound)
        guard down.upperBound > down.lowerBound, scan.hasStatements(in: down.lowerBound + 1...down.upperBound) else {
            return .empty(.lines(shown))
        }
        return .section(shown)
    }

    /// The kind of the forward part: the up section, or all but the down section.
    var kind: MigrationKind {
        if let up { return scan.kind(lines: up) }
        guard let down else { return scan.kind() }
        let before = scan.statements.filter { $0.startLine < down.lowerBound }
        return before.isEmpty ? .schema : scan.kind(lines: before[0].startLine...down.lowerBound)
    }
}

import MigCore
import Foundation

/// A `migledger:ignore` comment: `-- migledger:ignore <rule-id>[,<rule-id>…] <reason>` in SQL,
/// `# migledger:ignore …` in Ruby and Python. It silences those rules on the next line that holds
/// code (or on its own line, written after code).
public struct Suppression: Sendable, Hashable {
    /// The comment's line, 1-based.
    public let line: Int
    public let column: Int
    /// The line whose findings it silences.
    public let target: Int
    public let rules: [String]
    /// Nil when the comment gives none.
    public let reason: String?
}

public enum Suppressions {
    static let keyword = "migledger:ignore"

    /// Every suppression comment in the file.
    public static func find(in text: MigrationText) -> [Suppression] {
        let commentOpener = text.format == .rails || text.format == .alembic || text.format == .django ? "#" : "--"
        let lines = text.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        var found: [Suppression] = []
        for (index, line) in lines.enumerated() {
            guard let keywordRange = line.range(of: keyword),
                  let opener = line[..<keywordRange.lowerBound].range(of: commentOpener, options: .backwards) else { continue }
            let before = line[..<opener.lowerBound].trimmingCharacters(in: .whitespaces)
            let words = line[keywordRange.upperBound...].split(whereSeparator: \.isWhitespace)
            let rules = words.first.map { $0.split(separator: ",").map(String.init) } ?? []
            let reason = words.dropFirst().joined(separator: " ")
            let target = before.isEmpty ? nextCodeLine(after: index, in: lines, commentOpener: commentOpener) : index + 1
            found.append(Suppression(line: index + 1, column: line.distance(from: line.startIndex, to: opener.lowerBound) + 1,
                                     target: target, rules: rules, reason: reason.isEmpty ? nil : reason))
        }
        return found
    }

    /// The 1-based number of the first line after `index` (0-based) with something besides
    /// blanks and comments.
    private static func nextCodeLine(after index: Int, in lines: [String], commentOpener: String) -> Int {
        var next = index + 1
        while next < lines.count {
            let trimmed = lines[next].trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty && !trimmed.hasPrefix(commentOpener) { break }
            next += 1
        }
        return next + 1
    }
}

public import MigCore
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
        find(in: text.bytes, format: text.format)
    }

    /// Every suppression comment in a file of the format.
    public static func find(in bytes: [UInt8], format: MigrationFormatKind) -> [Suppression] {
        guard bytes.containsBytes(keyword) else { return [] }
        // SQL comments start with `--`, and with `#` too in MySQL; the frameworks' with `#`.
        let commentOpeners = format == .rails || format == .alembic || format == .django ? ["#"] : ["--", "#"]
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        var found: [Suppression] = []
        for (index, line) in lines.enumerated() {
            guard let keywordRange = line.range(of: keyword),
                  let opener = commentOpeners.compactMap({ line[..<keywordRange.lowerBound].range(of: $0, options: .backwards) })
                      .min(by: { $0.lowerBound < $1.lowerBound }) else { continue }
            let before = line[..<opener.lowerBound].trimmingCharacters(in: .whitespaces)
            let words = line[keywordRange.upperBound...].split(whereSeparator: \.isWhitespace)
            let rules = words.first.map { $0.split(separator: ",").map(String.init) } ?? []
            let reason = words.dropFirst().joined(separator: " ")
            let target = before.isEmpty ? nextCodeLine(after: index, in: lines, commentOpeners: commentOpeners) : index + 1
            found.append(Suppression(line: index + 1, column: line.distance(from: line.startIndex, to: opener.lowerBound) + 1,
                                     target: target, rules: rules, reason: reason.isEmpty ? nil : reason))
        }
        return found
    }

    /// The 1-based number of the first line after `index` (0-based) with something besides
    /// blanks and comments.
    private static func nextCodeLine(after index: Int, in lines: [String], commentOpeners: [String]) -> Int {
        var next = index + 1
        while next < lines.count {
            let trimmed = lines[next].trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty && !commentOpeners.contains(where: trimmed.hasPrefix) { break }
            next += 1
        }
        return next + 1
    }
}

extension Suppressions {
    /// The two rules about ignore comments themselves. The linter raises them, since they judge
    /// other rules' hits; their examples run through the whole linter.
    public static let rules: [ContentRuleDescription] = [
        ContentRuleDescription(
            id: "suppression-without-reason",
            summary: "A `migledger:ignore` comment does not say why the finding is acceptable.",
            rationale: """
                An ignore comment turns a finding off for good. Without a reason, the next person \
                cannot tell a considered exception (a table known to be tiny, a column unused since \
                a release) from a shortcut, so the comment still silences the finding but is \
                reported itself until it says why.
                """,
            triggering: [
                ContentExample("-- migledger:ignore sql-syntax-error\nALTER TABLE;\n", expectedLine: 1),
                ContentExample("SELECT 1;\nALTER TABLE; -- migledger:ignore sql-syntax-error\n", expectedLine: 2),
            ],
            nonTriggering: [
                ContentExample("-- migledger:ignore sql-syntax-error pg_hint syntax the parser does not know\nALTER TABLE;\n"),
                ContentExample("-- a plain comment about migledger\nSELECT 1;\n"),
            ]),
        ContentRuleDescription(
            id: "unused-ignore",
            summary: "A `migledger:ignore` comment suppresses no finding.",
            rationale: """
                An ignore comment that silences nothing is left over from code that changed, sits on \
                the wrong line, or names a rule that does not exist; left alone it would silence a \
                future finding nobody looked at. It applies to the next line holding code (or to \
                its own line when written after code). Comments naming rules that the policy turns \
                off are not reported.
                """,
            triggering: [
                ContentExample("-- migledger:ignore sql-syntax-error old reason\nSELECT 1;\n", expectedLine: 1),
                ContentExample("-- migledger:ignore sql-syntax-eror typo in the id\nALTER TABLE;\n", expectedLine: 1),
            ],
            nonTriggering: [
                ContentExample("-- migledger:ignore sql-syntax-error vendor syntax\nALTER TABLE;\n"),
                ContentExample("SELECT 1;\n"),
            ]),
    ]
}

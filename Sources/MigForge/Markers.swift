import Foundation

/// The hidden HTML comments by which the bot recognises its own comments, whoever posted them
/// (`github-actions[bot]` in Actions, the token's owner elsewhere).
enum Marker {
    static let summary = "<!-- migledger:summary -->"
    /// On Gitea review bodies, so only the bot's reviews need their comments read.
    static let review = "<!-- migledger:review -->"

    static func head(_ sha: String) -> String { "<!-- migledger:head=\(sha) -->" }
    static func finding(_ fingerprint: String) -> String { "<!-- migledger:fp=\(fingerprint) -->" }
    static func resolved(_ fingerprint: String) -> String { "<!-- migledger:resolved=\(fingerprint) -->" }

    /// Fingerprints marked in `body`, each with the visible text before its marker.
    static func findings(in body: String) -> [String: String] {
        var found: [String: String] = [:]
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            for prefix in ["<!-- migledger:fp=", "<!-- migledger:resolved="] {
                guard let start = line.range(of: prefix) else { continue }
                let rest = line[start.upperBound...]
                guard let end = rest.range(of: " -->") else { continue }
                let fingerprint = String(rest[..<end.lowerBound])
                guard !fingerprint.isEmpty, fingerprint.allSatisfy(\.isHexDigit) else { continue }
                let visible = line[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
                // An inline comment's marker sits on its own last line: its first line describes it.
                let text = visible.isEmpty ? String(lines.first ?? "") : visible
                found[fingerprint] = describe(text)
            }
        }
        return found
    }

    /// A row's text without its list bullet or resolved-strikethrough, so it can be shown again.
    private static func describe(_ text: String) -> String {
        var text = Substring(text)
        if text.hasPrefix("- ") { text = text.dropFirst(2) }
        if text.hasPrefix("~~"), text.hasSuffix("~~"), text.count >= 4 { text = text.dropFirst(2).dropLast(2) }
        return String(text)
    }
}

public import MigCore
import Foundation

/// The finding formats `--format` offers.
public enum FindingFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// Renders findings for people (text) or programs (json, the shape of DESIGN §4).
public enum FindingReport {
    public static func render(_ findings: [Finding], as format: FindingFormat, colors: Bool = false) -> String {
        switch format {
        case .text: text(findings, colors: colors)
        case .json: json(findings)
        }
    }

    public static func summary(_ findings: [Finding]) -> (errors: Int, warnings: Int, notes: Int) {
        (findings.count { $0.severity == .error }, findings.count { $0.severity == .warning },
         findings.count { $0.severity == .note })
    }

    static func text(_ findings: [Finding], colors: Bool) -> String {
        var out = ""
        for finding in findings {
            let label = finding.severity.rawValue
            let painted = colors ? paint(label, finding.severity) : label
            var location = finding.path?.description ?? "(repository)"
            if let line = finding.line { location += ":\(line)" + (finding.column.map { ":\($0)" } ?? "") }
            out += "\(location): \(painted)[\(finding.rule)]: \(finding.message)\n"
            if !finding.environments.isEmpty { out += "  environments: \(finding.environments.joined(separator: ", "))\n" }
            if let commit = finding.commit {
                out += "  commit: \(String(commit.prefix(12)))" + (finding.author.map { " by \($0)" } ?? "") + "\n"
            }
            if !finding.help.isEmpty { out += "  help: \(finding.help)\n" }
        }
        let counts = summary(findings)
        out += findings.isEmpty ? "no findings\n" : "\(counts.errors) error(s), \(counts.warnings) warning(s), \(counts.notes) note(s)\n"
        return out
    }

    private static func paint(_ text: String, _ severity: Severity) -> String {
        let code = switch severity {
        case .error: "31"
        case .warning: "33"
        case .note, .off: "36"
        }
        return "\u{1B}[1;\(code)m\(text)\u{1B}[0m"
    }

    static func json(_ findings: [Finding]) -> String {
        let counts = summary(findings)
        let document = Document(version: 1, findings: findings.map(JSONFinding.init),
                                summary: Summary(errors: counts.errors, warnings: counts.warnings))
        return JSONOutput.encode(document)
    }

    private struct Document: Encodable {
        let version: Int
        let findings: [JSONFinding]
        let summary: Summary
    }

    private struct Summary: Encodable {
        let errors: Int
        let warnings: Int
    }

    private struct JSONFinding: Encodable {
        let rule: String
        let severity: String
        let path: String?
        let line: Int?
        let column: Int?
        let message: String
        let help: String
        let environments: [String]
        let commit: String?
        let author: String?

        enum CodingKeys: String, CodingKey {
            case rule, severity, path, line, column, message, help, environments, commit, author
        }

        /// Absent values are written as `null`, so every finding has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rule, forKey: .rule)
            try container.encode(severity, forKey: .severity)
            try container.encode(path, forKey: .path)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(message, forKey: .message)
            try container.encode(help, forKey: .help)
            try container.encode(environments, forKey: .environments)
            try container.encode(commit, forKey: .commit)
            try container.encode(author, forKey: .author)
        }

        init(_ finding: Finding) {
            rule = finding.rule
            severity = finding.severity.rawValue
            path = finding.path?.description
            line = finding.line
            column = finding.column
            message = finding.message
            help = finding.help
            environments = finding.environments
            commit = finding.commit
            author = finding.author
        }
    }
}

/// Stable JSON: sorted keys, no escaped slashes, pretty-printed, one trailing newline.
public enum JSONOutput {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

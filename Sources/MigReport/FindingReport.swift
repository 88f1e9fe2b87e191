public import MigCore
import Foundation

/// The finding formats `--format` offers.
public enum FindingFormat: String, Sendable, CaseIterable {
    case text
    case json
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    case sarif
    /// JUnit XML, for CI test-report views (GitLab, Jenkins).
    case junit
    /// GitHub Actions workflow commands, which annotate the run and the pull request.
    case github
    /// GitLab Code Quality JSON, for the merge request widget.
    case gitlab
}

/// What the formats need besides the findings, gathered so a command fills it once.
///
/// MigReport does not depend on the rule catalogue, so rule texts come in from the caller.
public struct ReportOptions: Sendable {
    /// ANSI colors in `text`; for a terminal only.
    public var colors: Bool
    /// migledger's version, written into SARIF's `tool.driver.version`.
    public var toolVersion: String?
    /// Absolute URI of migledger's documentation, SARIF's `tool.driver.informationUri`.
    public var informationURI: String?
    /// One sentence per rule id, SARIF's rule `shortDescription`; the id itself when missing.
    public var ruleSummaries: [String: String]
    /// Absolute URI of each rule's documentation, SARIF's rule `helpUri`; omitted when missing.
    public var ruleHelpURIs: [String: String]

    public init(colors: Bool = false, toolVersion: String? = nil, informationURI: String? = nil,
                ruleSummaries: [String: String] = [:], ruleHelpURIs: [String: String] = [:]) {
        self.colors = colors
        self.toolVersion = toolVersion
        self.informationURI = informationURI
        self.ruleSummaries = ruleSummaries
        self.ruleHelpURIs = ruleHelpURIs
    }
}

/// Renders findings for people (text), programs (json, the shape of DESIGN §4) and CI systems
/// (sarif, junit, github, gitlab).
public enum FindingReport {
    public static func render(_ findings: [Finding], as format: FindingFormat, options: ReportOptions) -> String {
        switch format {
        case .text: text(findings, colors: options.colors)
        case .json: json(findings)
        case .sarif: SARIFReport.render(findings, options: options)
        case .junit: JUnitReport.render(findings)
        case .github: GitHubAnnotations.render(findings)
        case .gitlab: GitLabCodeQuality.render(findings)
        }
    }

    /// Default options but colors: enough for text and json; SARIF then lacks version and summaries.
    public static func render(_ findings: [Finding], as format: FindingFormat, colors: Bool = false) -> String {
        render(findings, as: format, options: ReportOptions(colors: colors))
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

extension Finding {
    /// The risk and the remedy together, for formats that carry a single message per finding.
    func messageWithHelp(separator: String) -> String {
        help.isEmpty ? message : message + separator + help
    }
}

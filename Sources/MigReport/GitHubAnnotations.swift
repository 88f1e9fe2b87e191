import MigCore

/// GitHub Actions workflow commands, one line per finding; the runner turns them into
/// annotations on the run and on the pull request's diff. No findings, no output: a notice
/// saying so would only add noise to every run's summary.
enum GitHubAnnotations {
    static func render(_ findings: [Finding]) -> String {
        var out = ""
        for finding in findings {
            var properties: [String] = []
            if let path = finding.path {
                properties.append("file=" + escapeProperty(path.description))
                if let line = finding.line {
                    properties.append("line=\(line)")
                    // GitHub reads `col` only together with `line`.
                    if let column = finding.column { properties.append("col=\(column)") }
                }
            }
            properties.append("title=" + escapeProperty(finding.rule))
            out += "::\(command(finding.severity)) \(properties.joined(separator: ","))::"
                + escapeData(finding.messageWithHelp(separator: "\n")) + "\n"
        }
        return out
    }

    static func command(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note, .off: "notice"
        }
    }

    /// The escaping of `@actions/core`'s `escapeData`: what would end the command or the line.
    static func escapeData(_ text: String) -> String {
        escape(text, property: false)
    }

    /// `escapeProperty`: as `escapeData`, plus the separators of the property list.
    static func escapeProperty(_ text: String) -> String {
        escape(text, property: true)
    }

    // By scalar, not by `Character`: "\r\n" is one Character, which matches neither "\r" nor "\n".
    private static func escape(_ text: String, property: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

import MigCore

/// GitLab Code Quality JSON (the subset of Code Climate's issue format GitLab reads), for the
/// merge request widget and the diff annotations.
enum GitLabCodeQuality {
    static func render(_ findings: [Finding]) -> String {
        let issues = zip(findings, Fingerprint.of(findings)).map { finding, fingerprint in
            // The widget lists each description as one line of text, so no line break here.
            Issue(description: finding.messageWithHelp(separator: " "), checkName: finding.rule,
                  fingerprint: fingerprint, severity: severity(finding.severity),
                  // GitLab documents `path` and `lines.begin` as required and stops reading a
                  // report at its first invalid issue, so a finding about the whole repository
                  // gets the root, "", and an unknown line gets 1.
                  location: Location(path: finding.path?.description ?? "",
                                     lines: Lines(begin: max(finding.line ?? 1, 1))))
        }
        return JSONOutput.encode(issues)
    }

    /// An error blocks the merge or the deploy (exit 1), so it ranks `critical`: above `major`,
    /// where most linters put their errors, so migledger's blocking findings sort first among them.
    static func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: "critical"
        case .warning: "minor"
        case .note, .off: "info"
        }
    }

    struct Issue: Encodable {
        let description: String
        let checkName: String
        let fingerprint: String
        let severity: String
        let location: Location

        enum CodingKeys: String, CodingKey {
            case description, fingerprint, severity, location
            case checkName = "check_name"
        }
    }

    struct Location: Encodable {
        let path: String
        let lines: Lines
    }

    struct Lines: Encodable {
        let begin: Int
    }
}

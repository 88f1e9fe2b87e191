import MigCore

/// JUnit XML as GitLab and Jenkins read it: one suite, one test case per finding, and one
/// passing case when there are none, so the report shows that the check ran.
///
/// Errors are `<failure>`s. Warnings and notes are `<skipped>`, not passing cases with
/// `<system-out>`: GitLab shows a test case's text only for failed, errored and skipped cases
/// (it drops `system-out` of passing ones), and a skipped case neither fails the report nor
/// disappears from it. Jenkins likewise lists skipped cases with their text without marking
/// the build unstable.
enum JUnitReport {
    static func render(_ findings: [Finding]) -> String {
        let failures = findings.count { $0.severity == .error }
        let skipped = findings.count - failures
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuite name=\"migledger\" tests=\"\(max(findings.count, 1))\" failures=\"\(failures)\""
            + " errors=\"0\" skipped=\"\(skipped)\">\n"
        if findings.isEmpty {
            out += "  <testcase classname=\"migledger\" name=\"no findings\"/>\n"
        }
        for finding in findings {
            out += "  <testcase classname=\"\(escape(finding.rule, attribute: true))\" name=\"\(escape(name(finding), attribute: true))\""
            if let path = finding.path { out += " file=\"\(escape(path.description, attribute: true))\"" }
            out += ">\n"
            // No `type` attribute: GitLab reads the XML with ActiveSupport's `Hash.from_xml`,
            // which treats `type` as a value type to cast the element's text to.
            let element = finding.severity == .error ? "failure" : "skipped"
            out += "    <\(element) message=\"\(escape(finding.message, attribute: true))\">"
                + escape(details(finding), attribute: false) + "</\(element)>\n"
            out += "  </testcase>\n"
        }
        out += "</testsuite>\n"
        return out
    }

    static func name(_ finding: Finding) -> String {
        let path = finding.path?.description ?? "(repository)"
        return finding.line.map { "\(path):\($0)" } ?? path
    }

    /// Everything the text report says about the finding, as the case's text.
    static func details(_ finding: Finding) -> String {
        var lines = ["\(finding.severity.rawValue): \(finding.message)"]
        if !finding.help.isEmpty { lines.append("help: \(finding.help)") }
        if !finding.environments.isEmpty { lines.append("environments: \(finding.environments.joined(separator: ", "))") }
        if let commit = finding.commit { lines.append("commit: \(commit)" + (finding.author.map { " by \($0)" } ?? "")) }
        return lines.joined(separator: "\n")
    }

    /// Escapes for XML 1.0 text or a double-quoted attribute. Characters XML 1.0 forbids even as
    /// references (C0 controls but tab, LF, CR; U+FFFE, U+FFFF) become U+FFFD, so a stray escape
    /// sequence in a message cannot make the whole report unreadable. CR, and in attributes tab
    /// and LF, are written as references because parsers normalise them away otherwise.
    static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\r": out += "&#13;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

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
        var counts = (errors: 0, warnings: 0, notes: 0)
        for index in findings.indices {
            switch findings[index].severity {
            case .error: counts.errors += 1
            case .warning: counts.warnings += 1
            case .note: counts.notes += 1
            case .off: break
            }
        }
        return counts
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

    /// The JSON of DESIGN §4, written directly rather than through JSONEncoder: `lint` and
    /// `check` can report tens of thousands of findings, and the encoder took a fifth of a lint
    /// run. The layout is JSONEncoder's pretty-printed, sorted-keys one, so nothing changes for
    /// readers; absent values are `null`, so every finding has the same keys.
    static func json(_ findings: [Finding]) -> String {
        let counts = summary(findings)
        // Large reports are written in chunks on every core: after a parallel lint, writing
        // one finding after another was the longest part left on one core.
        let chunkSize = 4096
        let chunks = (findings.count + chunkSize - 1) / chunkSize
        let texts = ChunkTexts(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var out = JSONText()
            for index in chunk * chunkSize..<min(findings.count, (chunk + 1) * chunkSize) {
                out.finding(findings[index], first: index == 0)
            }
            texts.store(chunk, out)
        }
        var out = JSONText()
        out.raw("{\n  \"findings\" : [")
        out.raw(findings.isEmpty ? "\n\n  " : "")
        texts.appendAll(to: &out)
        out.raw(findings.isEmpty ? "" : "\n  ")
        out.raw("],\n  \"summary\" : {\n    \"errors\" : \(counts.errors),\n    \"warnings\" : \(counts.warnings)\n  },\n")
        out.raw("  \"version\" : 1\n}\n")
        return out.text
    }
}

/// The chunks of a report written on several threads.
private final class ChunkTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [JSONText]

    init(count: Int) {
        texts = Array(repeating: JSONText(), count: count)
    }

    func store(_ index: Int, _ text: JSONText) {
        lock.withLock { texts[index] = text }
    }

    func appendAll(to out: inout JSONText) {
        lock.withLock { texts.forEach { out.append($0) } }
    }
}

/// JSON written as JSONEncoder writes it without escaping slashes, into one byte buffer.
struct JSONText {
    private var bytes: [UInt8] = []

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ other: JSONText) {
        bytes.append(contentsOf: other.bytes)
    }

    /// One finding of the `findings` list, with the separator before it.
    mutating func finding(_ finding: Finding, first: Bool) {
        raw(first ? "\n    {\n      \"author\" : " : ",\n    {\n      \"author\" : ")
        string(finding.author)
        raw(",\n      \"column\" : ")
        number(finding.column)
        raw(",\n      \"commit\" : ")
        string(finding.commit)
        raw(",\n      \"environments\" : ")
        strings(finding.environments, indent: "      ")
        raw(",\n      \"help\" : ")
        string(finding.help)
        raw(",\n      \"line\" : ")
        number(finding.line)
        raw(",\n      \"message\" : ")
        string(finding.message)
        raw(",\n      \"path\" : ")
        string(finding.path?.description)
        raw(",\n      \"rule\" : ")
        string(finding.rule)
        raw(",\n      \"severity\" : ")
        string(finding.severity.rawValue)
        raw("\n    }")
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String?) {
        guard var value else { return raw("null") }
        bytes.append(UInt8(ascii: "\""))
        let plain = value.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        guard !plain else { return bytes.append(UInt8(ascii: "\"")) }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ value: Int?) {
        raw(value.map(String.init) ?? "null")
    }

    mutating func strings(_ values: [String], indent: String) {
        guard !values.isEmpty else { return raw("[\n\n\(indent)]") }
        raw("[\n")
        for (index, value) in values.enumerated() {
            raw(index == 0 ? indent + "  " : ",\n" + indent + "  ")
            string(value)
        }
        raw("\n\(indent)]")
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

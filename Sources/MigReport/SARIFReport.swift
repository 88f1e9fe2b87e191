import MigCore

/// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers: one run, the rules that
/// occur, one result per finding.
enum SARIFReport {
    static func render(_ findings: [Finding], options: ReportOptions) -> String {
        let ruleIDs = Set(findings.map(\.rule)).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        let rules = ruleIDs.map { id in
            Rule(id: id, shortDescription: Message(text: options.ruleSummaries[id] ?? id),
                 helpUri: options.ruleHelpURIs[id])
        }
        let results = zip(findings, Fingerprint.of(findings)).map { finding, fingerprint in
            Result(ruleId: finding.rule, ruleIndex: ruleIndex[finding.rule, default: 0],
                   level: level(finding.severity),
                   message: Message(text: finding.messageWithHelp(separator: "\n")),
                   locations: finding.path.map { [location($0, line: finding.line, column: finding.column)] },
                   partialFingerprints: [primaryLocationKey: fingerprint],
                   properties: Properties(finding))
        }
        let driver = Driver(name: "migledger", informationUri: options.informationURI,
                            version: options.toolVersion, rules: rules)
        return JSONOutput.encode(Log(runs: [Run(tool: Tool(driver: driver), results: results)]))
    }

    /// GitHub matches alerts across runs by this key only. Given it, upload-sarif keeps it instead
    /// of hashing the flagged line's text, which would fail for a deleted migration and would
    /// re-open an alert when the line changes while the problem (rule, file, message) does not.
    /// upload-sarif logs that the value differs from the hash it would have computed; that is
    /// expected.
    static let primaryLocationKey = "primaryLocationLineHash"

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        case .off: "none"
        }
    }

    static func location(_ path: RepoPath, line: Int?, column: Int?) -> Location {
        // SARIF requires positive positions; a region that breaks that would make GitHub reject
        // the whole upload, so an unusable position is dropped rather than written.
        let region = line.flatMap { line in
            line >= 1 ? Region(startLine: line, startColumn: column.flatMap { $0 >= 1 ? $0 : nil }) : nil
        }
        return Location(physicalLocation: PhysicalLocation(
            artifactLocation: ArtifactLocation(uri: uriReference(path)), region: region))
    }

    /// The path as a relative URI reference: every byte but RFC 3986's unreserved characters and
    /// `/` percent-encoded, from the raw bytes so non-UTF-8 names survive. Encoding `:` too means
    /// a first segment such as `c:x.sql` cannot be read as a URI scheme.
    static func uriReference(_ path: RepoPath) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in path.bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    struct Log: Encodable {
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
    }

    struct Tool: Encodable {
        let driver: Driver
    }

    struct Driver: Encodable {
        let name: String
        let informationUri: String?
        let version: String?
        let rules: [Rule]
    }

    struct Rule: Encodable {
        let id: String
        let shortDescription: Message
        let helpUri: String?
    }

    struct Message: Encodable {
        let text: String
    }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Message
        let locations: [Location]?
        let partialFingerprints: [String: String]
        let properties: Properties?
    }

    struct Location: Encodable {
        let physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region?
    }

    struct ArtifactLocation: Encodable {
        let uri: String
    }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int?
    }

    /// migledger's context for a finding, in SARIF's property bag; nil when there is none.
    struct Properties: Encodable {
        let environments: [String]?
        let commit: String?
        let author: String?

        init?(_ finding: Finding) {
            if finding.environments.isEmpty && finding.commit == nil && finding.author == nil { return nil }
            environments = finding.environments.isEmpty ? nil : finding.environments
            commit = finding.commit
            author = finding.author
        }
    }
}

public import MigCore

/// A check on what one migration file does, rather than on how the change relates to history:
/// `migledger lint` runs these on loose files, `check` and `gate` on migrations no environment
/// has run yet. Like a `Rule`, a content rule is one file holding its description and its check;
/// family and default severity come from the policy's rule catalogue.
public protocol ContentRule: Sendable {
    static var description: ContentRuleDescription { get }
    init()
    /// The problems this rule sees in the file. Lines and columns are the file's own, also for
    /// SQL embedded in framework code.
    func check(_ text: MigrationText) -> [RuleHit]
}

/// What `migledger rules <id>` prints and the test suite runs, for a content rule.
public struct ContentRuleDescription: Sendable {
    public let id: String
    /// One sentence: what the rule catches.
    public let summary: String
    /// One paragraph: which lock, what breaks, why it matters, and what to do instead.
    public let rationale: String
    public let triggering: [ContentExample]
    public let nonTriggering: [ContentExample]

    public init(id: String, summary: String, rationale: String, triggering: [ContentExample],
                nonTriggering: [ContentExample]) {
        self.id = id
        self.summary = summary
        self.rationale = rationale
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }
}

/// One migration file, small enough to print, and what history says about the tables it uses.
public struct ContentExample: Sendable {
    /// Where the file sits; its name decides its format's reading (a `.down.sql` is a down part).
    public let path: String
    public let format: MigrationFormatKind
    public let dialect: Dialect
    public let contents: String
    /// Tables created by migrations that no environment has run yet: new and empty, so lock
    /// and rewrite rules leave them alone. Every other table is live.
    public let newTables: [String]
    /// The separate down file beside the forward one, for formats that keep one (golang-migrate
    /// and sql `.up.sql`, Flyway `V`); nil when the example does not say, as a file read alone.
    public let downFile: ExampleDownFile?
    /// The line the first hit must land on, when the example triggers.
    public let expectedLine: Int?

    public init(_ contents: String, path: String = "db/migrations/20240105093000_change.sql",
                format: MigrationFormatKind = .sql, dialect: Dialect = .postgres, newTables: [String] = [],
                downFile: ExampleDownFile? = nil, expectedLine: Int? = nil) {
        self.path = path
        self.format = format
        self.dialect = dialect
        self.contents = contents
        self.newTables = newTables
        self.downFile = downFile
        self.expectedLine = expectedLine
    }

    /// The example as text, for `migledger rules <id>`.
    public var text: String {
        var lines = ["\(path) (\(format.rawValue), \(dialect.rawValue))"]
        if !newTables.isEmpty {
            lines.append("new tables (created by migrations no environment has run): " + newTables.joined(separator: ", "))
        }
        lines += contents.split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast(contents.hasSuffix("\n") ? 1 : 0)
            .map { "    | " + $0 }
        switch downFile {
        case .absent?:
            lines.append("no down file")
        case .present(let down)?:
            lines.append(downPath.description)
            lines += down.split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast(down.hasSuffix("\n") ? 1 : 0)
                .map { "    | " + $0 }
        case nil:
            break
        }
        return lines.joined(separator: "\n")
    }

    /// Where the separate down file sits: `.up.sql` or `.sql` becomes `.down.sql`, Flyway's `V` becomes `U`.
    public var downPath: RepoPath {
        MigrationReader.downFilePath(of: RepoPath(path), format: format) ?? RepoPath(path + ".down")
    }
}

/// A separate down file in an example: absent, or present with its contents.
public enum ExampleDownFile: Sendable {
    case absent
    case present(String)
}

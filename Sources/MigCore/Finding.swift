/// One problem migledger reports: a rule's verdict on a place, with what to do about it.
///
/// Findings are values shared by every gate and reporter; severity is already resolved by the
/// policy when a finding is made.
public struct Finding: Sendable, Hashable {
    public var rule: String
    public var severity: Severity
    public var path: RepoPath?
    /// 1-based line, when the finding points into a file.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// The risk, in one sentence.
    public var message: String
    /// The remedy, in one sentence.
    public var help: String
    /// Environments the finding concerns (those that ran the file, for ledger rules).
    public var environments: [String]
    /// The commit that introduced the problem.
    public var commit: String?
    /// Who made that commit, as `Name <email>`.
    public var author: String?

    public init(rule: String, severity: Severity, path: RepoPath? = nil, line: Int? = nil, column: Int? = nil,
                message: String, help: String, environments: [String] = [], commit: String? = nil,
                author: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.help = help
        self.environments = environments
        self.commit = commit
        self.author = author
    }
}

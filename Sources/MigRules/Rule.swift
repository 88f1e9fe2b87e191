public import MigCore

/// One check migledger makes. A rule is one file: its description (id, summary, rationale and
/// examples that must and must not trigger it) and its check. Family and default severity come
/// from the policy's rule catalogue, so there is one place for each fact.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// The problems this rule sees in one changed migration file.
    func check(_ subject: RuleSubject) -> [RuleHit]
}

/// What `migledger rules <id>` prints and the test suite runs.
public struct RuleDescription: Sendable {
    public let id: String
    /// One sentence: what the rule catches.
    public let summary: String
    /// One paragraph: which lock, what breaks, why it matters.
    public let rationale: String
    public let triggering: [RuleExample]
    public let nonTriggering: [RuleExample]

    public init(id: String, summary: String, rationale: String, triggering: [RuleExample],
                nonTriggering: [RuleExample]) {
        self.id = id
        self.summary = summary
        self.rationale = rationale
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }
}

/// One problem a rule found: the risk, the remedy, and where.
public struct RuleHit: Sendable, Hashable {
    public let message: String
    public let help: String
    public let line: Int?
    public let column: Int?
    /// Environments the problem concerns.
    public let environments: [String]
    /// Set when the rule itself decides the severity, e.g. a `note` for an edit the policy's
    /// `immutability` allows; nil means the policy's severity for the rule.
    public let severity: Severity?

    public init(message: String, help: String, line: Int? = nil, column: Int? = nil,
                environments: [String] = [], severity: Severity? = nil) {
        self.message = message
        self.help = help
        self.line = line
        self.column = column
        self.environments = environments
        self.severity = severity
    }
}


/// Which forge a pull or merge request lives on.
public enum ForgeKind: String, Sendable, CaseIterable {
    case github
    case gitlab
    case gitea
}

/// The pull request as the forge sees it.
public struct PullRequestInfo: Sendable, Equatable {
    /// The commit reviews and statuses go on.
    public var headSHA: String
    /// GitLab positions: the newest diff version's base and start commits.
    public var baseSHA: String?
    public var startSHA: String?

    public init(headSHA: String, baseSHA: String? = nil, startSHA: String? = nil) {
        self.headSHA = headSHA
        self.baseSHA = baseSHA
        self.startSHA = startSHA
    }
}

/// A comment on one line of the new side of the diff.
public struct InlineComment: Sendable, Hashable {
    public var path: String
    public var line: Int
    /// The old-side number when the line is unchanged context (GitLab needs both then).
    public var oldLine: Int?
    /// The path before a rename.
    public var oldPath: String
    public var body: String
    public var fingerprint: String

    public init(path: String, line: Int, oldLine: Int?, oldPath: String, body: String, fingerprint: String) {
        self.path = path
        self.line = line
        self.oldLine = oldLine
        self.oldPath = oldPath
        self.body = body
        self.fingerprint = fingerprint
    }
}

/// The bot's earlier output on the pull request, found by hidden markers.
public struct ExistingReview: Sendable, Equatable {
    /// Findings already commented inline, by fingerprint, with the text that describes them.
    public var inline: [String: String]
    /// The summary comment, if one was posted.
    public var summary: SummaryComment?

    public init(inline: [String: String] = [:], summary: SummaryComment? = nil) {
        self.inline = inline
        self.summary = summary
    }
}

public struct SummaryComment: Sendable, Equatable {
    public var id: String
    public var body: String

    public init(id: String, body: String) {
        self.id = id
        self.body = body
    }
}

/// The pass/fail status named `migledger`.
public enum ReviewState: String, Sendable {
    case success
    case failure
}

/// What a forge does for migledger; each call is one logical step of DESIGN §7.
public protocol Forge {
    var kind: ForgeKind { get }
    /// The pull request's head (and, on GitLab, its diff version's base and start).
    func pullRequest() throws -> PullRequestInfo
    /// The bot's earlier inline comments and summary, read across every page.
    func existingReview() throws -> ExistingReview
    /// Posts the inline comments on `pr.headSHA`; returns those the forge refused for their line.
    func postInline(_ comments: [InlineComment], pr: PullRequestInfo) throws -> [InlineComment]
    func createSummary(_ body: String) throws
    func updateSummary(_ summary: SummaryComment, body: String) throws
    func setStatus(sha: String, state: ReviewState, description: String) throws
}

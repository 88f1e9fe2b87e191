/// The endpoints Gitea and Forgejo copied from GitHub (the pull request, issue comments, commit
/// statuses): the same paths and bodies, so both forges share one implementation.
protocol GitHubStyleEndpoints {
    var api: ForgeAPI { get }
    /// `/repos/<owner>/<repo>`, escaped.
    var repoPath: String { get }
    /// The pull request's number.
    var number: Int { get }
}

/// A pull request's two commits, as both forges describe them.
struct GitHubStylePull: Decodable {
    struct Ref: Decodable { let sha: String }
    let head: Ref
    let base: Ref
}

/// A comment as both forges list them.
struct GitHubStyleComment: Decodable {
    let id: Int
    let body: String?
}

extension GitHubStyleEndpoints {
    /// `/repos/<owner>/<repo>` for `owner/repo`, each part escaped.
    static func repoPath(_ repository: String) -> String {
        let parts = repository.split(separator: "/", maxSplits: 1).map(String.init)
        return "/repos/\(pathSegment(parts.first ?? repository))/\(pathSegment(parts.count > 1 ? parts[1] : ""))"
    }

    public func pullRequest() throws -> PullRequestInfo {
        let operation = "reading pull request #\(number)"
        let response = try api.send(try api.request(.get, api.url("\(repoPath)/pulls/\(number)")), operation)
        let pull = try api.decode(GitHubStylePull.self, response, operation)
        return PullRequestInfo(headSHA: pull.head.sha, baseSHA: pull.base.sha)
    }

    /// The bot's summary comment among the pull request's comments, found by its hidden marker.
    func summaryComment(query: [(String, String)] = []) throws -> SummaryComment? {
        let comments = try api.list(api.url("\(repoPath)/issues/\(number)/comments", query: query), "listing comments",
                                    as: GitHubStyleComment.self)
        return comments.first { $0.body?.contains(Marker.summary) == true }
            .map { SummaryComment(id: String($0.id), body: $0.body ?? "") }
    }

    public func createSummary(_ body: String) throws {
        try api.send(try api.request(.post, api.url("\(repoPath)/issues/\(number)/comments"), json: ["body": body]),
                     "posting the summary comment")
    }

    public func updateSummary(_ summary: SummaryComment, body: String) throws {
        try api.send(try api.request(.patch, api.url("\(repoPath)/issues/comments/\(summary.id)"), json: ["body": body]),
                     "updating the summary comment")
    }

    public func setStatus(sha: String, state: ReviewState, description: String) throws {
        let status = ["state": state.rawValue, "context": "migledger", "description": String(description.prefix(140))]
        try api.send(try api.request(.post, api.url("\(repoPath)/statuses/\(sha)"), json: status), "setting the commit status")
    }
}

/// The summary comment and commit status endpoints Gitea and Forgejo copied from GitHub: the
/// same paths and bodies, so both forges share one implementation.
protocol GitHubStyleEndpoints {
    var api: ForgeAPI { get }
    /// `/repos/<owner>/<repo>`, escaped.
    var repoPath: String { get }
    /// The pull request's number.
    var number: Int { get }
}

extension GitHubStyleEndpoints {
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

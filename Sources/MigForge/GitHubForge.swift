public import Foundation
public import MigHTTP

/// GitHub and GitHub Enterprise Server (REST, API version 2022-11-28).
public struct GitHubForge: Forge, GitHubStyleEndpoints {
    public let kind = ForgeKind.github
    let api: ForgeAPI
    let repoPath: String
    let number: Int

    public init(client: HTTPClient, apiURL: URL, repository: String, number: Int, token: String) {
        repoPath = Self.repoPath(repository)
        self.number = number
        api = ForgeAPI(client: client, base: apiURL,
                       headers: [("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28"),
                                 ("User-Agent", "migledger"), ("Authorization", "Bearer \(token)")],
                       forgeName: "GitHub",
                       permissionHint: { status in
                           status == 401
                               ? "The token was refused: check that GITHUB_TOKEN is passed to the step (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) and has not expired."
                               : "The token lacks a permission: the job needs `permissions: pull-requests: write` and `statuses: write` (and `contents: read`). A pull request from a fork gets a read-only token; post from a `pull_request_target` or `workflow_run` job instead."
                       })
    }

    public func existingReview() throws -> ExistingReview {
        var review = ExistingReview()
        let inline = try api.list(api.url("\(repoPath)/pulls/\(number)/comments", query: [("per_page", "100")]),
                                  "listing review comments", as: GitHubStyleComment.self)
        for comment in inline { review.inline.merge(Marker.findings(in: comment.body ?? "")) { first, _ in first } }
        review.summary = try summaryComment(query: [("per_page", "100")])
        return review
    }

    public func postInline(_ comments: [InlineComment], pr: PullRequestInfo) throws -> [InlineComment] {
        guard !comments.isEmpty else { return [] }
        struct Review: Encodable {
            struct Line: Encodable {
                let path: String
                let line: Int
                let side = "RIGHT"
                let body: String
            }
            let commit_id: String
            let body: String
            let event = "COMMENT"
            let comments: [Line]
        }
        let review = Review(commit_id: pr.headSHA,
                            body: "migledger found \(comments.count) new problem\(comments.count == 1 ? "" : "s") in migrations; details on the lines below.",
                            comments: comments.map { Review.Line(path: $0.path, line: $0.line, body: $0.body) })
        // A review is all or nothing: lines were checked against the diff before this call.
        try api.send(try api.request(.post, api.url("\(repoPath)/pulls/\(number)/reviews"), json: review), "creating the review")
        return []
    }
}

public import Foundation
public import MigHTTP

/// Gitea and Forgejo (REST v1): reviews whose comments take file line numbers. The server
/// accepts lines the diff does not show, so the planner filters them first.
public struct GiteaForge: Forge, GitHubStyleEndpoints {
    public let kind = ForgeKind.gitea
    let api: ForgeAPI
    let repoPath: String
    let number: Int

    public init(client: HTTPClient, apiURL: URL, repository: String, number: Int, token: String) {
        repoPath = Self.repoPath(repository)
        self.number = number
        api = ForgeAPI(client: client, base: apiURL,
                       headers: [("Accept", "application/json"), ("User-Agent", "migledger"), ("Authorization", "token \(token)")],
                       forgeName: "Gitea",
                       permissionHint: { status in
                           status == 401
                               ? "The token was refused: set GITEA_TOKEN to an access token of the bot account and check it has not expired."
                               : "The token lacks a scope: it needs `write:repository` (reviews and statuses) and `write:issue` (the summary comment), and the account needs write access to the repository. In Actions, a pull request from a fork gets a read-only token."
                       })
    }

    public func existingReview() throws -> ExistingReview {
        struct Review: Decodable {
            let id: Int
            let body: String?
            let comments_count: Int?
        }
        var existing = ExistingReview()
        let reviews = try api.list(api.url("\(repoPath)/pulls/\(number)/reviews", query: [("limit", "50")]),
                                   "listing reviews", as: Review.self)
        // Only the bot's reviews carry its marker in their body; their comments are read one review at a time.
        for review in reviews where review.body?.contains(Marker.review) == true && review.comments_count != 0 {
            let comments = try api.list(api.url("\(repoPath)/pulls/\(number)/reviews/\(review.id)/comments"),
                                        "listing the comments of review \(review.id)", as: GitHubStyleComment.self)
            for comment in comments { existing.inline.merge(Marker.findings(in: comment.body ?? "")) { first, _ in first } }
        }
        existing.summary = try summaryComment()
        return existing
    }

    public func postInline(_ comments: [InlineComment], pr: PullRequestInfo) throws -> [InlineComment] {
        guard !comments.isEmpty else { return [] }
        struct Review: Encodable {
            struct Line: Encodable {
                let path: String
                let new_position: Int
                let body: String
            }
            let commit_id: String
            let body: String
            let event = "COMMENT"
            let comments: [Line]
        }
        let review = Review(commit_id: pr.headSHA,
                            body: "migledger found \(comments.count) new problem\(comments.count == 1 ? "" : "s") in migrations; details on the lines below.\n\n\(Marker.review)",
                            comments: comments.map { Review.Line(path: $0.path, new_position: $0.line, body: $0.body) })
        try api.send(try api.request(.post, api.url("\(repoPath)/pulls/\(number)/reviews"), json: review), "creating the review")
        return []
    }
}

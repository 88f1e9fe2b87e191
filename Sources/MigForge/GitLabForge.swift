public import Foundation
public import MigHTTP

/// GitLab (REST v4): one discussion per inline comment, positioned with the SHAs of the merge
/// request's newest diff version; a line the diff does not show fails only its own thread.
public struct GitLabForge: Forge {
    public let kind = ForgeKind.gitlab
    let api: ForgeAPI
    let project: String
    let number: Int

    /// `jobToken`: the token is CI_JOB_TOKEN, sent as JOB-TOKEN, which GitLab does not let post notes.
    public init(client: HTTPClient, apiURL: URL, project: String, number: Int, token: String, jobToken: Bool) {
        self.project = project
        self.number = number
        api = ForgeAPI(client: client, base: apiURL,
                       headers: [("User-Agent", "migledger"), (jobToken ? "JOB-TOKEN" : "PRIVATE-TOKEN", token)],
                       forgeName: "GitLab",
                       permissionHint: { _ in
                           jobToken
                               ? "CI_JOB_TOKEN cannot post merge request notes: create a project access token with the `api` scope (role Reporter or above), store it as a masked CI/CD variable GITLAB_TOKEN."
                               : "The token needs the `api` scope and at least the Reporter role on the project (a project access token stored as a masked CI/CD variable GITLAB_TOKEN works); check it has not expired."
                       })
    }

    private var mergeRequest: String { "/projects/\(pathSegment(project))/merge_requests/\(number)" }

    public func pullRequest() throws -> PullRequestInfo {
        struct Version: Decodable {
            let head_commit_sha: String
            let base_commit_sha: String
            let start_commit_sha: String
        }
        let operation = "reading merge request !\(number)'s diff versions"
        let response = try api.send(try api.request(.get, api.url("\(mergeRequest)/versions")), operation)
        guard let newest = try api.decode([Version].self, response, operation).first else {
            throw ForgeError(status: response.status, operation: operation,
                             message: "GitLab has no diff version for merge request !\(number) yet; run the job again once the merge request's diff is ready.")
        }
        return PullRequestInfo(headSHA: newest.head_commit_sha, baseSHA: newest.base_commit_sha, startSHA: newest.start_commit_sha)
    }

    struct Note: Decodable {
        let id: Int
        let body: String?
    }

    public func existingReview() throws -> ExistingReview {
        struct Discussion: Decodable { let notes: [Note]? }
        var review = ExistingReview()
        let discussions = try api.list(api.url("\(mergeRequest)/discussions", query: [("per_page", "100")]),
                                       "listing merge request threads", as: Discussion.self)
        for note in discussions.flatMap({ $0.notes ?? [] }) {
            let body = note.body ?? ""
            if body.contains(Marker.summary) {
                review.summary = review.summary ?? SummaryComment(id: String(note.id), body: body)
            } else {
                review.inline.merge(Marker.findings(in: body)) { first, _ in first }
            }
        }
        return review
    }

    public func postInline(_ comments: [InlineComment], pr: PullRequestInfo) throws -> [InlineComment] {
        struct Thread: Encodable {
            struct Position: Encodable {
                let position_type = "text"
                let base_sha: String
                let start_sha: String
                let head_sha: String
                let old_path: String
                let new_path: String
                let new_line: Int
                let old_line: Int?
            }
            let body: String
            let position: Position
        }
        var refused: [InlineComment] = []
        for comment in comments {
            let thread = Thread(body: comment.body, position: .init(
                base_sha: pr.baseSHA ?? pr.headSHA, start_sha: pr.startSHA ?? pr.baseSHA ?? pr.headSHA, head_sha: pr.headSHA,
                old_path: comment.oldPath, new_path: comment.path, new_line: comment.line, old_line: comment.oldLine))
            do {
                try api.send(try api.request(.post, api.url("\(mergeRequest)/discussions"), json: thread),
                             "opening a thread on \(comment.path):\(comment.line)")
            } catch {
                guard let failure = error as? ForgeError, failure.status == 400 else { throw error }
                refused.append(comment)
            }
        }
        return refused
    }

    public func createSummary(_ body: String) throws {
        try api.send(try api.request(.post, api.url("\(mergeRequest)/notes"), json: ["body": body]), "posting the summary note")
    }

    public func updateSummary(_ summary: SummaryComment, body: String) throws {
        try api.send(try api.request(.put, api.url("\(mergeRequest)/notes/\(summary.id)"), json: ["body": body]),
                     "updating the summary note")
    }

    public func setStatus(sha: String, state: ReviewState, description: String) throws {
        let status = ["state": state == .success ? "success" : "failed", "name": "migledger", "description": String(description.prefix(140))]
        try api.send(try api.request(.post, api.url("/projects/\(pathSegment(project))/statuses/\(sha)"), json: status),
                     "setting the commit status")
    }
}

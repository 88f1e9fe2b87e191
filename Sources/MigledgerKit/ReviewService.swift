public import Foundation
public import Logging
public import MigCore
public import MigForge
import MigGit
import MigHTTP
import MigReport

/// `migledger review`: the findings of a pull request's commits, posted as one review with
/// inline comments, one summary comment updated in place, and a commit status (DESIGN §7).
public enum ReviewService {
    /// What the command line gives; every field left nil comes from the CI environment.
    public struct Options: Sendable {
        public var forge: ForgeKind?
        public var apiURL: String?
        public var repository: String?
        public var pullRequest: Int?
        public var base: String?
        public var head: String?
        public var dryRun = false
        public var maxComments = 50
        /// Seconds allowed per request.
        public var timeout = 30.0

        public init() {}
    }

    /// Where to post, resolved from options and environment.
    public struct Context: Sendable, Equatable {
        public var forge: ForgeKind
        public var apiURL: URL
        public var repository: String
        public var pullRequest: Int
        public var base: String
        public var head: String
        public var token: String?
        /// The token is GitLab's CI_JOB_TOKEN.
        public var jobToken = false
    }

    // MARK: - CI detection

    /// Reads GitHub Actions, GitLab CI and Gitea/Forgejo Actions variables from `environment`;
    /// explicit options win over them.
    public static func detect(_ options: Options, environment: [String: String]) throws -> Context {
        let value = { (name: String) -> String? in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let isGitea = value("GITEA_ACTIONS") == "true" || value("FORGEJO_ACTIONS") == "true"
        let detected: ForgeKind? = isGitea ? .gitea
            : value("GITHUB_ACTIONS") == "true" ? .github
            : value("GITLAB_CI") == "true" ? .gitlab : nil
        guard let forge = options.forge ?? detected else {
            throw UserFacingError(.usage, "no CI environment found (GitHub Actions, GitLab CI, Gitea/Forgejo Actions); give --forge, --api-url, --repo, --pr and --base")
        }
        let fromCI = detected == forge
        var api: String?, repository: String?, number: Int?, base: String?, head: String?
        var token: String?, jobToken = false
        switch forge {
        case .github, .gitea:
            if fromCI, let eventPath = value("GITHUB_EVENT_PATH") {
                let event = try pullRequestEvent(at: eventPath, eventName: value("GITHUB_EVENT_NAME"))
                number = event.number
                base = event.base
                head = event.head
            }
            if fromCI { repository = value("GITHUB_REPOSITORY") }
            if forge == .github {
                api = (fromCI ? value("GITHUB_API_URL") : nil) ?? "https://api.github.com"
                token = value("GITHUB_TOKEN")
            } else {
                api = fromCI ? value("GITHUB_API_URL") ?? value("GITHUB_SERVER_URL").map { $0 + "/api/v1" } : nil
                token = value("GITEA_TOKEN") ?? (fromCI ? value("GITHUB_TOKEN") : nil)
            }
        case .gitlab:
            if fromCI {
                api = value("CI_API_V4_URL")
                repository = value("CI_MERGE_REQUEST_PROJECT_ID") ?? value("CI_PROJECT_ID")
                number = value("CI_MERGE_REQUEST_IID").flatMap { Int($0) }
                base = value("CI_MERGE_REQUEST_DIFF_BASE_SHA")
                head = value("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") ?? value("CI_COMMIT_SHA")
                if options.pullRequest == nil, number == nil {
                    throw UserFacingError(.usage, "this GitLab job does not run for a merge request (CI_MERGE_REQUEST_IID is unset); run it in merge request pipelines (rules: - if: $CI_PIPELINE_SOURCE == \"merge_request_event\") or give --pr")
                }
            } else {
                api = "https://gitlab.com/api/v4"
            }
            token = value("GITLAB_TOKEN")
            if token == nil, let job = value("CI_JOB_TOKEN") {
                token = job
                jobToken = true
            }
        }
        api = options.apiURL ?? api
        repository = options.repository ?? repository
        number = options.pullRequest ?? number
        base = options.base ?? base
        head = options.head ?? head ?? "HEAD"
        guard let apiText = api, let apiURL = URL(string: apiText), let scheme = apiURL.scheme?.lowercased(),
              scheme == "https" || scheme == "http", apiURL.host != nil else {
            throw UserFacingError(.usage, api.map { "'\($0)' is not an http(s) URL (--api-url)" }
                ?? "no API URL for \(forge.rawValue); give --api-url, e.g. https://gitea.example.com/api/v1")
        }
        guard let repository else {
            throw UserFacingError(.usage, "no repository; give --repo (owner/name, or the project id or path on GitLab)")
        }
        guard let number, number > 0 else { throw UserFacingError(.usage, "no pull request number; give --pr") }
        guard let base, let head else { throw UserFacingError(.usage, "no base commit; give --base (the target branch's commit)") }
        return Context(forge: forge, apiURL: apiURL, repository: repository, pullRequest: number, base: base, head: head,
                       token: token, jobToken: jobToken)
    }

    private static func pullRequestEvent(at path: String, eventName: String?) throws -> (number: Int, base: String, head: String) {
        struct Event: Decodable {
            struct Pull: Decodable {
                struct Ref: Decodable { let sha: String }
                let number: Int
                let head: Ref
                let base: Ref
            }
            let pull_request: Pull?
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserFacingError(.failure, "cannot read the event file GITHUB_EVENT_PATH points to")
        }
        guard let pull = (try? JSONDecoder().decode(Event.self, from: data))?.pull_request else {
            throw UserFacingError(.usage, "the workflow event\(eventName.map { " '\($0)'" } ?? "") is not a pull request; run the review on `pull_request` events, or give --pr, --base and --head")
        }
        return (pull.number, pull.base.sha, pull.head.sha)
    }

    // MARK: - Running

    public struct Outcome: Sendable {
        public var findings: [Finding]
        /// Progress lines for stderr.
        public var messages: [String] = []
        /// In a dry run, the requests that would be sent, for stdout.
        public var dryRunRequests: [String] = []
        /// Why posting failed, if it did; the findings stand either way.
        public var error: UserFacingError?
    }

    /// Computes the findings of `context.base`..`context.head`, then posts them. Errors in
    /// finding them throw; errors in posting come back in the outcome with the findings.
    public static func run(_ workspace: Workspace, context: Context, options: Options,
                           logger: Logger = Logger(label: "migledger.review", factory: { _ in SwiftLogNoOpLogHandler() })) throws -> Outcome {
        let repository = workspace.repository
        let baseID = try commit(context.base, role: "base", in: repository)
        let headID = try commit(context.head, role: "head", in: repository)
        guard let mergeBase = try repository.mergeBase(baseID, headID) else {
            throw UserFacingError(.failure, "the base \(baseID.shortHex) and head \(headID.shortHex) share no history in this clone. \(fetchHint(baseID.hex))")
        }
        let findings = try CheckService.run(workspace, target: .range(base: baseID.hex, head: headID.hex))
        var outcome = Outcome(findings: findings)
        let diff = try repository.diffLines(from: try repository.treeID(ofCommit: mergeBase), to: try repository.treeID(ofCommit: headID))

        let recorder = options.dryRun ? DryRunTransport() : nil
        guard options.dryRun || context.token != nil else {
            outcome.error = UserFacingError(.usage, tokenMissing(context))
            return outcome
        }
        let token = context.token ?? "dry-run"
        do {
            let client = HTTPClient(transport: try recorder ?? CurlTransport(),
                                    timeouts: HTTPTimeouts(connect: min(10, options.timeout), total: options.timeout),
                                    logger: logger)
            let forge = makeForge(context, client: client, token: token)
            let pr: PullRequestInfo
            let existing: ExistingReview
            if options.dryRun {
                pr = PullRequestInfo(headSHA: headID.hex, baseSHA: mergeBase.hex, startSHA: baseID.hex)
                existing = ExistingReview()
            } else {
                pr = try forge.pullRequest()
                guard pr.headSHA == headID.hex else {
                    throw UserFacingError(.failure, "the pull request's head is \(pr.headSHA.prefix(12)), not the analysed \(headID.shortHex); nothing posted. If a newer push arrived, its own run reviews it; otherwise give --head the pull request's head commit (in GitHub Actions, HEAD is a test merge commit).")
                }
                existing = try forge.existingReview()
            }
            let plan = ReviewPlanner(maxInlineComments: options.maxComments)
                .plan(findings: findings, fingerprints: Fingerprint.of(findings), diff: diff, existing: existing, headSHA: pr.headSHA)
            let refused = try forge.postInline(plan.inline, pr: pr)
            let body = plan.summaryBody(refused: refused)
            let summaryAction: String
            // The status goes first: a summary that names this head and says the same proves
            // an earlier run set the same status, so a rerun posts nothing.
            if let summary = existing.summary, summary.body == body {
                summaryAction = "unchanged, status already set"
            } else {
                try forge.setStatus(sha: pr.headSHA, state: plan.state, description: plan.statusDescription)
                if let summary = existing.summary {
                    try forge.updateSummary(summary, body: body)
                    summaryAction = "updated"
                } else if !plan.items.isEmpty || !plan.resolved.isEmpty {
                    try forge.createSummary(body)
                    summaryAction = "posted"
                } else {
                    summaryAction = "not needed"
                }
            }
            let posted = plan.inline.count - refused.count
            outcome.messages.append("migledger review: \(posted) new inline comment\(posted == 1 ? "" : "s"), "
                + "\(plan.alreadyCommented.count) already commented, \(plan.inSummary.count + refused.count) in the summary, "
                + "\(plan.resolved.count) resolved; summary \(summaryAction); status \(plan.state.rawValue) on \(pr.headSHA.prefix(12))"
                + (options.dryRun ? " (dry run: nothing was sent)" : ""))
        } catch {
            outcome.error = UserFacingError(.failure, redact("\(error)", token: context.token))
        }
        outcome.dryRunRequests = recorder?.requests ?? []
        outcome.messages = outcome.messages.map { redact($0, token: context.token) }
        return outcome
    }

    static func makeForge(_ context: Context, client: HTTPClient, token: String) -> any Forge {
        switch context.forge {
        case .github:
            GitHubForge(client: client, apiURL: context.apiURL, repository: context.repository, number: context.pullRequest,
                        token: token)
        case .gitlab:
            GitLabForge(client: client, apiURL: context.apiURL, project: context.repository, number: context.pullRequest,
                        token: token, jobToken: context.jobToken)
        case .gitea:
            GiteaForge(client: client, apiURL: context.apiURL, repository: context.repository, number: context.pullRequest,
                       token: token)
        }
    }

    private static func commit(_ revision: String, role: String, in repository: Repository) throws -> ObjectID {
        do {
            return try repository.resolveCommit(revision)
        } catch {
            guard error.code == .notFound || error.code == .invalidSpec || error.code == .ambiguous else { throw error }
            throw UserFacingError(.failure, "the \(role) commit '\(revision)' is not in this clone\(repository.isShallow ? " (a shallow checkout)" : ""). \(fetchHint(revision))")
        }
    }

    private static func fetchHint(_ revision: String) -> String {
        "Fetch it with `git fetch --no-tags origin \(revision)` (or deepen the clone: `git fetch --deepen=200`); in GitHub or Gitea Actions set `fetch-depth: 0` on actions/checkout, in GitLab CI set `GIT_DEPTH: 0`."
    }

    private static func tokenMissing(_ context: Context) -> String {
        switch context.forge {
        case .github: "no token: map it into the step with `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` (and grant `pull-requests: write`, `statuses: write`), or use --dry-run"
        case .gitlab: "no token: set GITLAB_TOKEN to a project access token with the `api` scope (CI_JOB_TOKEN cannot post merge request notes), or use --dry-run"
        case .gitea: "no token: set GITEA_TOKEN to a token with the `write:repository` and `write:issue` scopes, or use --dry-run"
        }
    }

    /// A last guard: whatever a forge echoes back, the token never reaches the output.
    static func redact(_ text: String, token: String?) -> String {
        guard let token, token.count >= 4 else { return text }
        return text.replacingOccurrences(of: token, with: "***")
    }
}

/// `--dry-run`: records each request instead of sending it and answers as a forge would accept it.
private final class DryRunTransport: HTTPTransport {
    private(set) var requests: [String] = []

    func perform(_ request: HTTPRequest, timeouts: HTTPTimeouts) throws(HTTPError) -> HTTPResponse {
        var text = "\(request.method.rawValue) \(request.url.redactedString)"
        if let body = request.body { text += "\n" + String(decoding: body, as: UTF8.self) }
        requests.append(text)
        return HTTPResponse(status: 201, headers: [:], body: Array("{}".utf8))
    }
}

import Foundation
import MigHTTP
import Testing
import TestSupport

/// `migledger review`, the real binary, against the fake forges: what gets posted on first runs,
/// reruns and new pushes, and how each failure a forge can give is reported.
@Suite struct ReviewCommandTests {
    static let policy = """
        version: 1
        migrations:
          - path: db/migrations
            format: sql
        environments:
          production:
            deploys: ["refs/tags/v*"]
        # The scenarios count findings of the history rules; these reminders fire on every file.
        rules:
          missing-down-migration: off
          require-lock-timeout: off
          require-statement-timeout: off
        """

    /// A repository whose `main` has a deployed migration, and a feature branch on top.
    final class Project {
        let git: GitFixture
        let base: String

        init() throws {
            git = try GitFixture()
            try git.write("migledger.yml", ReviewCommandTests.policy)
            try git.write("db/migrations/20240101000000_create_users.sql",
                          "CREATE TABLE users (id bigint);\nCREATE INDEX users_id ON users (id);\n")
            base = try git.commitAll("users", date: "2024-01-01T00:00:00Z")
            try git.git("tag", "v1.0")
            try git.git("checkout", "-q", "-b", "feature")
        }

        /// Edits the deployed migration (an error on line 2) and adds a vaguely named one (a warning).
        func twoFindings() throws -> String {
            try git.write("db/migrations/20240101000000_create_users.sql",
                          "CREATE TABLE users (id bigint);\nCREATE INDEX users_id_idx ON users (id);\n")
            try git.write("db/migrations/20240201000000_fix.sql", "ALTER TABLE users ADD COLUMN email text;\n")
            return try git.commitAll("feature", date: "2024-02-01T00:00:00Z")
        }
    }

    /// Runs the binary with no CI variables but those given, and checks the token never shows.
    static func review(_ project: Project, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        var env = ["GITHUB_ACTIONS": "", "GITLAB_CI": "", "GITEA_ACTIONS": "", "FORGEJO_ACTIONS": "",
                   "GITHUB_TOKEN": "", "GITLAB_TOKEN": "", "CI_JOB_TOKEN": "", "GITEA_TOKEN": "", "NO_COLOR": "1"]
        env.merge(environment) { _, new in new }
        let timeout = arguments.contains("--timeout") ? [] : ["--timeout", "5"]
        let result = try run(builtProduct("migledger"), ["review", "-C", project.git.path] + timeout + arguments,
                             environment: env, check: false)
        #expect(!result.stdout.contains(FakeForge.token) && !result.stderr.contains(FakeForge.token),
                "the token leaked into the output")
        return result
    }

    static func github(_ project: Project, _ forge: FakeForge, head: String, _ extra: [String] = []) throws -> CommandResult {
        try review(project, ["--forge", "github", "--api-url", forge.apiURL, "--repo", "octo/app", "--pr", "7",
                             "--base", project.base, "--head", head] + extra,
                   environment: ["GITHUB_TOKEN": FakeForge.token])
    }

    static func githubForge(_ project: Project, head: String) throws -> FakeForge {
        let forge = try FakeForge(.github)
        try forge.setPullRequest(number: 7, head: head, base: project.base, repository: project.git.path)
        return forge
    }

    // MARK: - Posting

    @Test func aFirstRunPostsOneReviewOneSummaryAndAStatusAndARerunPostsNothing() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try Self.githubForge(project, head: head)
        let event = try TemporaryDirectory()
        let eventFile = try event.write("event.json", """
            {"action": "synchronize", "number": 7, "pull_request": {"number": 7, "head": {"sha": "\(head)"}, "base": {"sha": "\(project.base)"}}}
            """)
        let actions = ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": eventFile.path,
                       "GITHUB_REPOSITORY": "octo/app", "GITHUB_API_URL": forge.apiURL, "GITHUB_TOKEN": FakeForge.token,
                       "GITHUB_SHA": "0000000000000000000000000000000000000000"]

        let first = try Self.review(project, ["--verbose"], environment: actions)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stdout.contains("error[modified-deployed-migration]"))
        #expect(first.stderr.contains("Authorization: ***"))
        var state = try forge.state()
        #expect(state.violations == [])
        #expect(state.reviews.count == 1 && state.reviews.first?["commit_id"] as? String == head)
        let placed = Set(state.reviewComments.map { "\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)" })
        #expect(placed == ["db/migrations/20240101000000_create_users.sql:2", "db/migrations/20240201000000_fix.sql:1"])
        #expect(state.reviewComments.allSatisfy { $0["side"] as? String == "RIGHT" })
        #expect(state.comments.count == 1)
        #expect(state.statuses.map { $0["context"] as? String } == ["migledger"])
        #expect(state.statuses.first?["state"] as? String == "failure" && state.statuses.first?["sha"] as? String == head)
        for request in state.requests {
            #expect(request.headers["Authorization"] == "Bearer \(FakeForge.token)")
            #expect(request.headers.filter { $0.value.contains(FakeForge.token) }.count == 1)
        }

        let writesBefore = state.writes.count
        let second = try Self.review(project, [], environment: actions)
        #expect(second.status == 1)
        state = try forge.state()
        #expect(state.violations == [])
        #expect(state.writes.count == writesBefore, "a rerun on the same head posted \(state.writes.dropFirst(writesBefore).map(\.path))")
    }

    @Test func aNewHeadCommentsOnlyTheNewFindingAndShowsTheFixedOneAsResolved() throws {
        let project = try Project()
        let firstHead = try project.twoFindings()
        let forge = try Self.githubForge(project, head: firstHead)
        #expect(try Self.github(project, forge, head: firstHead).status == 1)

        // A force push: the branch rebuilt with the vague name fixed and another vague one added.
        try project.git.git("reset", "-q", "--soft", project.base)
        try project.git.git("mv", "db/migrations/20240201000000_fix.sql", "db/migrations/20240201000000_add_email_to_users.sql")
        try project.git.write("db/migrations/20240202000000_update.sql", "ALTER TABLE users ADD COLUMN name text;\n")
        let secondHead = try project.git.commitAll("feature, renamed, and another", date: "2024-02-02T00:00:00Z")
        try forge.setPullRequest(number: 7, head: secondHead, base: project.base, repository: project.git.path)
        let result = try Self.github(project, forge, head: secondHead)
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 new inline comment, 1 already commented"), "\(result.stderr)")

        let state = try forge.state()
        #expect(state.violations == [])
        #expect(state.reviews.count == 2)
        let newest = state.reviewComments.filter { $0["commit_id"] as? String == secondHead }
        #expect(newest.map { $0["path"] as? String } == ["db/migrations/20240202000000_update.sql"])
        let summary = try #require(state.comments.first?["body"] as? String)
        #expect(state.comments.count == 1)
        #expect(summary.contains("#### Resolved") && summary.contains("The name 'fix' does not say"))
        #expect(!summary.contains("'update'"))
        #expect(state.statuses.last?["sha"] as? String == secondHead)
    }

    @Test func findingsOutsideTheDiffGoToTheSummary() throws {
        let project = try Project()
        try project.git.git("rm", "-q", "db/migrations/20240101000000_create_users.sql")
        let head = try project.git.commitAll("drop the deployed one", date: "2024-02-01T00:00:00Z")
        let forge = try Self.githubForge(project, head: head)
        let result = try Self.github(project, forge, head: head)
        #expect(result.status == 1)
        let state = try forge.state()
        #expect(state.violations == [])
        #expect(state.reviews.isEmpty)
        let summary = try #require(state.comments.first?["body"] as? String)
        #expect(summary.contains("`deleted-deployed-migration`") && summary.contains("not on a line of this diff"))
    }

    @Test func inlineCommentsAreCappedAndTheRestSummarizedAcrossPages() throws {
        let project = try Project()
        for index in 0..<120 {
            try project.git.write("db/migrations/20240201\(String(format: "%06d", index))_fix_\(index).sql", "SELECT \(index);\n")
        }
        let head = try project.git.commitAll("many", date: "2024-02-01T00:00:00Z")
        let forge = try Self.githubForge(project, head: head)
        let result = try Self.github(project, forge, head: head)
        #expect(result.status == 0, "\(result.stderr)")
        var state = try forge.state()
        #expect(state.violations == [])
        #expect(state.reviewComments.count == 50)
        let summary = try #require(state.comments.first?["body"] as? String)
        #expect(summary.components(separatedBy: "over the inline comment cap").count - 1 == 70)
        #expect(summary.count <= 65_536)

        let writes = state.writes.count
        #expect(try Self.github(project, forge, head: head).status == 0)
        state = try forge.state()
        #expect(state.writes.count == writes)
        #expect(state.requests.filter { $0.path.contains("/pulls/7/comments") && $0.path.contains("page=") }.count >= 25)
    }

    // MARK: - Failures

    @Test(arguments: [
        (401, "GITHUB_TOKEN"), (403, "pull-requests: write"), (404, "--repo"), (422, "refused the request"),
    ])
    func forgeErrorsSayWhatToDoAndStillPrintTheFindings(status: Int, advice: String) throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try Self.githubForge(project, head: head)
        try forge.script([["method": "POST", "path": "/reviews$", "status": status, "times": 5,
                           "body": ["message": "scripted \(status)"]]])
        let result = try Self.github(project, forge, head: head)
        #expect(result.status == 3)
        #expect(result.stdout.contains("error[modified-deployed-migration]"))
        #expect(result.stderr.contains("GitHub answered \(status) while creating the review"), "\(result.stderr)")
        #expect(result.stderr.contains(advice))
        #expect(try forge.state().violations == [])
    }

    @Test func serverErrorsAndRateLimitsAreRetried() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try Self.githubForge(project, head: head)
        try forge.script([
            ["method": "POST", "path": "/reviews$", "status": 500, "times": 1],
            ["method": "GET", "path": "/issues/7/comments$", "status": 429, "times": 1, "headers": ["Retry-After": "1"]],
            ["method": "POST", "path": "/statuses/", "action": "reset", "times": 1],
        ])
        let started = Date()
        let result = try Self.github(project, forge, head: head)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) >= 2)
        let state = try forge.state()
        #expect(state.violations == [])
        #expect(state.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/reviews") }.count == 2)
        #expect(state.requests.filter { $0.method == "GET" && $0.path.contains("/issues/7/comments") }.count == 2)
        #expect(state.reviews.count == 1 && state.statuses.count == 1 && state.comments.count == 1)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try Self.githubForge(project, head: head)
        try forge.script([["method": "GET", "path": "/pulls/7$", "action": "hang", "seconds": 20, "times": 1]])
        let started = Date()
        let result = try Self.review(project, ["--forge", "github", "--api-url", forge.apiURL, "--repo", "octo/app", "--pr", "7",
                                               "--base", project.base, "--head", head, "--timeout", "1"],
                                     environment: ["GITHUB_TOKEN": FakeForge.token])
        #expect(result.status == 3)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.stderr.lowercased().contains("timed out") || result.stderr.lowercased().contains("timeout"), "\(result.stderr)")
        #expect(result.stdout.contains("error[modified-deployed-migration]"))
    }

    @Test func aShallowCloneWithoutTheBaseSaysHowToFetchIt() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let clone = try TemporaryDirectory()
        try run("git", ["clone", "-q", "--depth", "1", "--branch", "feature", "file://\(project.git.path)", clone.path + "/work"])
        let result = try run(builtProduct("migledger"),
                             ["review", "-C", clone.path + "/work", "--forge", "github", "--repo", "octo/app", "--pr", "7",
                              "--base", project.base, "--head", head, "--dry-run"],
                             environment: ["GITHUB_ACTIONS": ""], check: false)
        #expect(result.status == 3)
        #expect(result.stderr.contains("git fetch --no-tags origin \(project.base)") && result.stderr.contains("fetch-depth: 0"))
    }

    @Test func aDryRunPrintsTheRequestsAndSendsNothing() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try Self.githubForge(project, head: head)
        let result = try Self.review(project, ["--forge", "github", "--api-url", forge.apiURL, "--repo", "octo/app", "--pr", "7",
                                               "--base", project.base, "--head", head, "--dry-run"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("POST \(forge.apiURL)/repos/octo/app/pulls/7/reviews"))
        #expect(result.stdout.contains("\"context\":\"migledger\""))
        #expect(try forge.state().requests.isEmpty)
    }

    // MARK: - GitLab and Gitea

    @Test func gitLabGetsOneThreadPerFindingAndANoteFromItsCIVariables() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try FakeForge(.gitlab)
        try forge.setPullRequest(number: 12, head: head, base: project.base, repository: project.git.path)
        let gitlab = ["GITLAB_CI": "true", "CI_API_V4_URL": forge.apiURL, "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "12",
                      "CI_MERGE_REQUEST_PROJECT_ID": "42", "CI_MERGE_REQUEST_DIFF_BASE_SHA": project.base, "CI_COMMIT_SHA": head,
                      "CI_JOB_TOKEN": "job-token-not-for-notes", "GITLAB_TOKEN": FakeForge.token]
        #expect(try Self.review(project, [], environment: gitlab).status == 1)
        var state = try forge.state()
        #expect(state.violations == [])
        let threads = state.discussions.filter { $0["individual_note"] as? Bool == false }
        #expect(threads.count == 2)
        let positions = threads.compactMap { (($0["notes"] as? [[String: Any]])?.first?["position"] as? [String: Any]) }
        #expect(Set(positions.compactMap { $0["new_line"] as? Int }) == [1, 2])
        #expect(state.comments.count == 1)
        #expect(state.statuses.first?["state"] as? String == "failed" && state.statuses.first?["name"] as? String == "migledger")
        #expect(state.requests.allSatisfy { $0.headers["PRIVATE-TOKEN"] == FakeForge.token })

        let writes = state.writes.count
        #expect(try Self.review(project, [], environment: gitlab).status == 1)
        state = try forge.state()
        #expect(state.writes.count == writes)
    }

    @Test func gitLabsJobTokenIsExplainedWhenRefused() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try FakeForge(.gitlab)
        try forge.setPullRequest(number: 12, head: head, base: project.base, repository: project.git.path)
        try forge.script([["method": "POST", "path": "/discussions$", "status": 403, "times": 5]])
        let result = try Self.review(project, ["--forge", "gitlab", "--api-url", forge.apiURL, "--repo", "group/app", "--pr", "12",
                                               "--base", project.base, "--head", head],
                                     environment: ["CI_JOB_TOKEN": FakeForge.token])
        #expect(result.status == 3)
        #expect(result.stderr.contains("CI_JOB_TOKEN cannot post merge request notes") && result.stderr.contains("`api` scope"))
        let state = try forge.state()
        #expect(state.violations == [])
        #expect(state.requests.first?.path.hasPrefix("/api/v4/projects/group%2Fapp/") == true)
    }

    @Test func aThreadGitLabRefusesMovesItsFindingToTheSummary() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try FakeForge(.gitlab)
        try forge.setPullRequest(number: 12, head: head, base: project.base, repository: project.git.path)
        try forge.script([["method": "POST", "path": "/discussions$", "status": 400, "times": 1,
                           "body": ["message": "400 Bad request - Note {:line_code=>[\"can't be blank\"]}"]]])
        let result = try Self.review(project, ["--forge", "gitlab", "--api-url", forge.apiURL, "--repo", "42", "--pr", "12",
                                               "--base", project.base, "--head", head],
                                     environment: ["GITLAB_TOKEN": FakeForge.token])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("1 new inline comment") && result.stderr.contains("1 in the summary"))
        let state = try forge.state()
        #expect(state.violations == [])
        #expect(state.discussions.filter { $0["individual_note"] as? Bool == false }.count == 1)
        let summary = try #require(state.comments.first?["body"] as? String)
        #expect(summary.contains("the forge refused a comment on its line"))
    }

    @Test func withoutATokenTheFindingsArePrintedAndTheVariableNamed() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let result = try Self.review(project, ["--forge", "github", "--repo", "octo/app", "--pr", "7",
                                               "--base", project.base, "--head", head])
        #expect(result.status == 2)
        #expect(result.stdout.contains("error[modified-deployed-migration]"))
        #expect(result.stderr.contains("GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"))
    }

    @Test func giteaActionsGetAReviewWithFileLineNumbers() throws {
        let project = try Project()
        let head = try project.twoFindings()
        let forge = try FakeForge(.gitea)
        try forge.setPullRequest(number: 3, head: head, base: project.base, repository: project.git.path)
        let event = try TemporaryDirectory()
        let eventFile = try event.write("event.json", """
            {"pull_request": {"number": 3, "head": {"sha": "\(head)"}, "base": {"sha": "\(project.base)"}}}
            """)
        let gitea = ["GITHUB_ACTIONS": "true", "GITEA_ACTIONS": "true", "GITHUB_EVENT_PATH": eventFile.path,
                     "GITHUB_REPOSITORY": "team/app", "GITHUB_API_URL": forge.apiURL, "GITEA_TOKEN": FakeForge.token]
        #expect(try Self.review(project, [], environment: gitea).status == 1)
        var state = try forge.state()
        #expect(state.violations == [])
        #expect(Set(state.reviewComments.compactMap { $0["position"] as? Int }) == [1, 2])
        #expect(state.comments.count == 1 && state.statuses.first?["context"] as? String == "migledger")
        #expect(state.requests.allSatisfy { $0.headers["Authorization"] == "token \(FakeForge.token)" })

        let writes = state.writes.count
        #expect(try Self.review(project, [], environment: gitea).status == 1)
        state = try forge.state()
        #expect(state.writes.count == writes)
    }
}

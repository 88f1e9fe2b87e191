import Foundation
import MigForge
import MigledgerKit
import Testing
import TestSupport

/// Where `migledger review` posts, read from each CI's variables or from the options.
@Suite struct ReviewDetectionTests {
    static func event(_ json: String) throws -> (TemporaryDirectory, String) {
        let folder = try TemporaryDirectory()
        return (folder, try folder.write("event.json", json).path)
    }

    static let pullRequestEvent = """
        {"number": 5, "pull_request": {"number": 5, "head": {"sha": "\(String(repeating: "b", count: 40))"}, "base": {"sha": "\(String(repeating: "a", count: 40))"}}}
        """

    @Test func gitHubActionsUsesTheEventsHeadNotTheMergeCommit() throws {
        let (folder, path) = try Self.event(Self.pullRequestEvent)
        let context = try ReviewService.detect(ReviewService.Options(), environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": path, "GITHUB_REPOSITORY": "octo/app",
            "GITHUB_SHA": String(repeating: "c", count: 40), "GITHUB_TOKEN": "t"])
        withExtendedLifetime(folder) {}
        #expect(context.forge == .github && context.apiURL.absoluteString == "https://api.github.com")
        #expect(context.repository == "octo/app" && context.pullRequest == 5 && context.token == "t")
        #expect(context.head == String(repeating: "b", count: 40) && context.base == String(repeating: "a", count: 40))
    }

    @Test func giteaAndForgejoActionsAreToldApartFromGitHub() throws {
        let (folder, path) = try Self.event(Self.pullRequestEvent)
        for marker in ["GITEA_ACTIONS", "FORGEJO_ACTIONS"] {
            let context = try ReviewService.detect(ReviewService.Options(), environment: [
                "GITHUB_ACTIONS": "true", marker: "true", "GITHUB_EVENT_PATH": path, "GITHUB_REPOSITORY": "team/app",
                "GITHUB_SERVER_URL": "https://code.example", "GITHUB_TOKEN": "t"])
            #expect(context.forge == .gitea && context.apiURL.absoluteString == "https://code.example/api/v1")
            #expect(context.token == "t")
        }
        withExtendedLifetime(folder) {}
    }

    @Test func gitLabMergeRequestPipelinesAndTheJobToken() throws {
        let base = String(repeating: "1", count: 40), head = String(repeating: "2", count: 40)
        let environment = ["GITLAB_CI": "true", "CI_API_V4_URL": "https://gitlab.example/api/v4", "CI_PROJECT_ID": "9",
                           "CI_MERGE_REQUEST_PROJECT_ID": "9", "CI_MERGE_REQUEST_IID": "31",
                           "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head, "CI_JOB_TOKEN": "job"]
        var context = try ReviewService.detect(ReviewService.Options(), environment: environment)
        #expect(context.forge == .gitlab && context.repository == "9" && context.pullRequest == 31)
        #expect(context.base == base && context.head == head && context.jobToken && context.token == "job")
        context = try ReviewService.detect(ReviewService.Options(), environment: environment.merging(["GITLAB_TOKEN": "glpat"]) { $1 })
        #expect(!context.jobToken && context.token == "glpat")
        #expect(throws: UserFacingError.self) {
            try ReviewService.detect(ReviewService.Options(), environment: environment.merging(["CI_MERGE_REQUEST_IID": ""]) { $1 })
        }
    }

    @Test func explicitOptionsWinAndMissingOnesAreNamed() throws {
        var options = ReviewService.Options()
        options.forge = .gitea
        options.apiURL = "https://gitea.example/api/v1"
        options.repository = "a/b"
        options.pullRequest = 4
        options.base = "main"
        let context = try ReviewService.detect(options, environment: ["GITEA_TOKEN": "x"])
        #expect(context.head == "HEAD" && context.token == "x" && context.apiURL.host == "gitea.example")

        options.apiURL = nil
        #expect(throws: UserFacingError.self) { try ReviewService.detect(options, environment: [:]) }
        do {
            _ = try ReviewService.detect(ReviewService.Options(), environment: [:])
            Issue.record("no CI and no options should be a usage error")
        } catch let error as UserFacingError {
            #expect(error.status == .usage && error.message.contains("--forge"))
        }
        let (folder, path) = try Self.event(#"{"ref": "refs/heads/main"}"#)
        do {
            _ = try ReviewService.detect(ReviewService.Options(), environment: ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": path,
                                                                               "GITHUB_EVENT_NAME": "push"])
            Issue.record("a push event should be refused")
        } catch let error as UserFacingError {
            #expect(error.message.contains("'push' is not a pull request"))
        }
        withExtendedLifetime(folder) {}
    }
}

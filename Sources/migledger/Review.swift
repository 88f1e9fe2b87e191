public import ArgumentParser
import Foundation
import Logging
public import MigForge
import MigReport
import MigledgerKit

extension Migledger {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Post a pull request's findings as a review, a summary comment and a commit status.",
            discussion: """
                In GitHub Actions, GitLab CI and Gitea/Forgejo Actions the pull request comes from the job's \
                environment; elsewhere give --forge, --api-url, --repo, --pr and --base. The token is read \
                from GITHUB_TOKEN, GITLAB_TOKEN (or CI_JOB_TOKEN) or GITEA_TOKEN and never printed.
                """)

        // `--repo` names the forge's repository here, so the local one is only `-C`.
        @Option(name: .customShort("C"), help: ArgumentHelp("Run in the repository at this path instead of the current directory.", valueName: "path"))
        var path: String?

        @Option(help: ArgumentHelp("Use this policy file instead of the repository's migledger.yml.", valueName: "path"))
        var policy: String?

        @Option(help: "The forge: github (also GitHub Enterprise), gitlab, gitea (also Forgejo).")
        var forge: ForgeKind?

        @Option(name: .customLong("api-url"), help: ArgumentHelp("The forge's API root, e.g. https://github.example.com/api/v3.", valueName: "url"))
        var apiURL: String?

        @Option(name: .customLong("repo"), help: ArgumentHelp("The repository: owner/name, or the GitLab project id or path.", valueName: "owner/name"))
        var repositorySlug: String?

        @Option(help: ArgumentHelp("The pull or merge request number.", valueName: "number"))
        var pr: Int?

        @Option(help: ArgumentHelp("The commit the pull request merges into (its target branch tip).", valueName: "commit"))
        var base: String?

        @Option(help: ArgumentHelp("The pull request's head commit (default: HEAD).", valueName: "commit"))
        var head: String?

        @Flag(help: "Print the requests instead of sending them.")
        var dryRun = false

        @Option(help: "Most inline comments per pull request; the rest go into the summary.")
        var maxComments = 50

        @Option(help: ArgumentHelp("Seconds allowed per request.", valueName: "seconds"))
        var timeout = 30.0

        @Flag(help: "Log every request and response status on stderr (tokens show as ***).")
        var verbose = false

        func validate() throws {
            guard maxComments >= 0 else { throw ValidationError("'--max-comments' must be 0 or more") }
            guard timeout > 0, timeout <= 600 else { throw ValidationError("'--timeout' must be between 0 and 600 seconds") }
        }

        func run() throws {
            try runReporting {
                var options = ReviewService.Options()
                options.forge = forge
                options.apiURL = apiURL
                options.repository = repositorySlug
                options.pullRequest = pr
                options.base = base
                options.head = head
                options.dryRun = dryRun
                options.maxComments = maxComments
                options.timeout = timeout
                let environment = ProcessInfo.processInfo.environment
                let context = try ReviewService.detect(options, environment: environment)
                let opened = try Workspace.open(repositoryPath: path, policyPath: policy)
                var logger = Logger(label: "migledger.http", factory: { StreamLogHandler.standardError(label: $0) })
                logger.logLevel = verbose ? .debug : .critical
                let outcome = try ReviewService.run(opened, context: context, options: options, logger: logger)
                printOut(FindingReport.render(outcome.findings, as: .text, options: .migledger(colors: standardOutputIsColorTerminal)))
                for request in outcome.dryRunRequests { printOut(request + "\n\n") }
                for message in outcome.messages { printErr(message + "\n") }
                if let error = outcome.error { throw error }
                return outcome.findings.contains { $0.severity == .error } ? .blocked : .passed
            }
        }
    }
}

extension ForgeKind: ExpressibleByArgument {}

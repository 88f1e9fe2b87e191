import ArgumentParser
import MigReport
import MigledgerKit

extension Migledger {
    struct Gate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gate",
            abstract: "Release gate: what an environment would run for a commit, and what blocks it (exit 1 when blocked).")

        @OptionGroup var workspace: WorkspaceOptions

        @Option(name: .customLong("env"), help: ArgumentHelp("The environment the commit is going to.", valueName: "env"))
        var environment: String

        @Argument(help: ArgumentHelp("The commit to deploy (default: HEAD).", valueName: "commit"))
        var commit: String?

        @Option(help: "Output format: \(GateFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: GateFormat = .markdown

        func run() throws {
            try runReporting {
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let report = try GateService.run(opened, environment: environment, revision: commit)
                if let findingFormat = FindingFormat(rawValue: format.rawValue) {
                    printOut(FindingReport.render(report.findings, as: findingFormat,
                                                  options: .migledger(colors: findingFormat == .text && standardOutputIsColorTerminal)))
                } else {
                    printOut(report.markdown())
                }
                return report.isBlocked ? .blocked : .passed
            }
        }
    }
}

/// The gate's report for release notes, or any finding format.
enum GateFormat: String, CaseIterable, ExpressibleByArgument {
    case markdown, text, json, sarif, junit, github, gitlab
}

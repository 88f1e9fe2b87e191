import ArgumentParser
import MigReport
import MigledgerKit

extension Migledger {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Findings for a range of commits or for the staged change (exit 1 on an error).")

        @OptionGroup var workspace: WorkspaceOptions

        @Argument(help: ArgumentHelp("The commits to check, as <base>..<head> (default: the commits not on origin's default branch).",
                                     valueName: "base..head"))
        var range: String?

        @Flag(help: "Check the staged change against HEAD (for a pre-commit hook).")
        var staged = false

        @Option(help: "Output format: \(FindingFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: FindingFormat = .text

        func run() throws {
            try runReporting {
                let target = try CheckService.parseTarget(range, staged: staged)
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let findings = try CheckService.run(opened, target: target)
                printOut(FindingReport.render(findings, as: format, options: .migledger(colors: format == .text && standardOutputIsColorTerminal)))
                return findings.contains { $0.severity == .error } ? .blocked : .passed
            }
        }
    }
}

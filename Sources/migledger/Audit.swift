import ArgumentParser
import MigReport
import MigledgerKit

extension Migledger {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Report drift, deletions and rollbacks found in history, with who made each change.")

        @OptionGroup var workspace: WorkspaceOptions

        @Option(name: .customLong("env"), help: ArgumentHelp("Only this environment.", valueName: "env"))
        var environment: String?

        @Option(help: "Output format: \(FindingFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: FindingFormat = .text

        func run() throws {
            try runReporting {
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let findings = try LedgerService.audit(opened, environment: environment)
                printOut(FindingReport.render(findings, as: format, options: .migledger(colors: format == .text && standardOutputIsColorTerminal)))
                return findings.contains { $0.severity == .error } ? .blocked : .passed
            }
        }
    }
}

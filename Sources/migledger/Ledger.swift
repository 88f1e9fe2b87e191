import ArgumentParser
import Foundation
import MigledgerKit

extension Migledger {
    struct Ledger: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "The per-environment record of deployed migrations, kept in refs/migledger/<env>.",
            subcommands: [Sync.self, Record.self, Show.self, Verify.self])
    }
}

extension Migledger.Ledger {
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sync", abstract: "Append the deploys found from deploy markers.")

        @OptionGroup var workspace: WorkspaceOptions

        @Option(name: .customLong("env"), help: ArgumentHelp("Only this environment (repeatable).", valueName: "env"))
        var environments: [String] = []

        @Flag(help: "Show what would be recorded without writing anything.")
        var dryRun = false

        func run() throws {
            try runReporting {
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let reports = try LedgerService.sync(opened, environments: environments, dryRun: dryRun)
                printOut(LedgerRendering.syncText(reports, dryRun: dryRun))
                return .passed
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Append an explicit deploy of a commit, for pipelines that do not tag.")

        @OptionGroup var workspace: WorkspaceOptions

        @Option(name: .customLong("env"), help: ArgumentHelp("The environment deployed to.", valueName: "env"))
        var environment: String

        @Argument(help: ArgumentHelp("The deployed commit (any revision).", valueName: "commit"))
        var commit: String

        func run() throws {
            try runReporting {
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let report = try LedgerService.record(opened, environment: environment, revision: commit)
                if report.deploys.isEmpty {
                    printOut("\(environment): \(commit) is already recorded; nothing to do\n")
                } else {
                    printOut(LedgerRendering.syncText([report], dryRun: false))
                }
                return .passed
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List each environment's deployed migrations.")

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @OptionGroup var workspace: WorkspaceOptions

        @Option(name: .customLong("env"), help: ArgumentHelp("Only this environment.", valueName: "env"))
        var environment: String?

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() throws {
            try runReporting {
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let states = try LedgerService.show(opened, environment: environment)
                switch format {
                case .text: printOut(LedgerRendering.showText(states, workspace: opened))
                case .json: printOut(LedgerRendering.showJSON(states, workspace: opened))
                }
                return .passed
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every ledger chain is append-only and its trailers are true (exit 1 if not).")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try runReporting {
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let result = try LedgerService.verify(opened)
                printOut(LedgerRendering.verifyText(environments: result.environments, problems: result.problems))
                return result.problems.isEmpty ? .passed : .blocked
            }
        }
    }
}

import ArgumentParser
import Foundation
import MigledgerKit

extension Migledger {
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Server-side git hooks; they read git's `<old> <new> <ref>` lines on stdin.",
            subcommands: [PreReceive.self, PostReceive.self])
    }
}

extension Migledger.Hook {
    struct PreReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-receive",
            abstract: "Refuse a push that edits, deletes or renames deployed migrations or breaks the policy.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let input = Array(FileHandle.standardInput.readDataToEndOfFile())
            let outcome = HookService.preReceive(input: input, environment: ProcessInfo.processInfo.environment,
                                                 repositoryPath: workspace.repositoryOptions.repository,
                                                 policyPath: workspace.policy)
            printErr(outcome.message)
            if outcome.status != .passed { throw ExitCode(outcome.status.rawValue) }
        }
    }

    struct PostReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post-receive",
            abstract: "Append to the ledger when a push created or moved a deploy marker; record overrides.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let input = Array(FileHandle.standardInput.readDataToEndOfFile())
            let outcome = HookService.postReceive(input: input, environment: ProcessInfo.processInfo.environment,
                                                  repositoryPath: workspace.repositoryOptions.repository,
                                                  policyPath: workspace.policy)
            printErr(outcome.message)
            if outcome.status != .passed { throw ExitCode(outcome.status.rawValue) }
        }
    }
}

import ArgumentParser
import Foundation
import MigledgerKit

extension Migledger {
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hook",
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
            try runHook(workspace, HookService.preReceive)
        }
    }

    struct PostReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post-receive",
            abstract: "Append to the ledger when a push created or moved a deploy marker; record overrides.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            try runHook(workspace) { HookService.postReceive(input: $0, environment: $1, repositoryPath: $2, policyPath: $3) }
        }
    }
}

/// Feeds git's stdin and environment to a hook; its message goes to stderr, which git shows
/// behind `remote:`.
private func runHook(_ workspace: WorkspaceOptions,
                     _ hook: ([UInt8], [String: String], String?, String?) -> HookOutcome) throws {
    let input = Array(FileHandle.standardInput.readDataToEndOfFile())
    let outcome = hook(input, ProcessInfo.processInfo.environment, workspace.repositoryOptions.repository, workspace.policy)
    printErr(outcome.message)
    if outcome.status != .passed { throw ExitCode(outcome.status.rawValue) }
}

import ArgumentParser
import Foundation
import MigGit
import MigledgerKit

/// Every command names itself (`commandName`): ArgumentParser would otherwise derive each name
/// with `String(describing:)`, whose dynamic casts scan all of the static binary's protocol
/// conformances, some milliseconds of every start, and a hook starts on every push.
@main
struct Migledger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migledger",
        abstract: "Keeps database migrations honest across a team's git history.",
        discussion: """
            Exit codes: 0 passed (warnings allowed), 1 blocked (a finding at error severity), \
            2 usage or policy error, 3 git, database, network or internal failure.
            """,
        version: "migledger \(Product.version) (\(LinkedLibraries.summary))",
        subcommands: [Init.self, Ledger.self, Audit.self, Check.self, Gate.self, Roundtrip.self, Hook.self, Review.self,
                      Lint.self, Rules.self]
    )

    /// ArgumentParser reports bad usage with exit code 64; DESIGN §4 promises 2.
    static func main() {
        // libgit2's initialisation loads the system's TLS certificates, some milliseconds that
        // would otherwise follow argument parsing; on another thread they overlap it.
        DispatchQueue.global().async { prepareGit() }
        // Exiting while that thread is still initialising libgit2 crashes the process, so every
        // way out waits for it; after a real command's work it has long finished.
        do {
            var command = try parseAsRoot()
            try command.run()
            prepareGit()
            endPassedRun()
        } catch {
            prepareGit()
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

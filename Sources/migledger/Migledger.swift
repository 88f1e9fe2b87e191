import ArgumentParser
import MigledgerKit

@main
struct Migledger: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "migledger",
        abstract: "Keeps database migrations honest across a team's git history.",
        discussion: """
            Exit codes: 0 passed (warnings allowed), 1 blocked (a finding at error severity), \
            2 usage or policy error, 3 git, database, network or internal failure.
            """,
        version: "migledger \(version) (\(LinkedLibraries.summary))",
        subcommands: [Init.self, Ledger.self, Audit.self]
    )
}

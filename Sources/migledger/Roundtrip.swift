import ArgumentParser
import MigPostgres
import MigReport
import MigledgerKit

extension Migledger {
    struct Roundtrip: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roundtrip",
            abstract: "Prove on PostgreSQL that each pending migration's down part restores the schema (exit 1 when one does not).",
            discussion: """
                For sql, golang-migrate, dbmate and flyway migrations: applies the migrations one by one, \
                and for each one no environment has run yet, runs up, down and up again, comparing \
                pg_dump --schema-only after each step. Runs in a database of its own, created from \
                template0 and dropped afterwards.
                """)

        @OptionGroup var workspace: WorkspaceOptions

        @Option(help: ArgumentHelp("An existing server, as a URL or key=value string; needs the right to create databases.", valueName: "url"))
        var database: String?

        @Flag(help: "Start a throwaway PostgreSQL server (initdb in a temporary folder, unix socket only) and remove it afterwards.")
        var ephemeral = false

        @Argument(help: ArgumentHelp("The commit whose migrations to try (default: HEAD).", valueName: "commit"))
        var commit: String?

        @Option(help: "Output format: \(FindingFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: FindingFormat = .text

        func validate() throws {
            guard (database != nil) != ephemeral else {
                throw ValidationError("give either '--database <url>' or '--ephemeral'")
            }
        }

        func run() throws {
            try runReporting {
                let server: RoundtripServer
                if let database {
                    do {
                        server = .database(try ConnectionParameters(parsing: database))
                    } catch {
                        throw UserFacingError(.usage, "'--database': \(error)")
                    }
                } else {
                    server = .ephemeral
                }
                let opened = try Workspace.open(repositoryPath: workspace.repositoryOptions.repository, policyPath: workspace.policy)
                let report = try RoundtripService.run(opened, revision: commit, server: server)
                if format == .text {
                    printOut(report.summary())
                    if !report.findings.isEmpty { printOut("\n") }
                }
                printOut(FindingReport.render(report.findings, as: format,
                                              options: .migledger(colors: format == .text && standardOutputIsColorTerminal)))
                return report.isBlocked ? .blocked : .passed
            }
        }
    }
}

import ArgumentParser
import MigCore
import MigReport
import MigledgerKit

extension Migledger {
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Run the content rules on migration files or folders, in a repository or not (exit 1 on an error).")

        @Argument(help: ArgumentHelp("Migration files, or folders to search for .sql, .rb and .py files.", valueName: "file"))
        var files: [String] = []

        @Option(help: "SQL dialect: \(Dialect.allCases.map(\.rawValue).joined(separator: ", ")) (default: postgres).")
        var dialect: Dialect?

        @Option(help: ArgumentHelp("Severities, exceptions and placeholders from this policy file (default: the recommended preset).",
                                   valueName: "path"))
        var policy: String?

        @Option(help: "Output format: \(FindingFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: FindingFormat = .text

        func run() throws {
            try runReporting {
                let findings = try LintService.run(paths: files, dialect: dialect, policyPath: policy)
                printOut(FindingReport.render(findings, as: format, options: .migledger(colors: format == .text && standardOutputIsColorTerminal)))
                return findings.contains { $0.severity == .error } ? .blocked : .passed
            }
        }
    }
}

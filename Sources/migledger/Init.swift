import ArgumentParser
import MigCore
import MigledgerKit

extension Migledger {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write migledger.yml, detecting migration formats, folders and dialects.")

        @OptionGroup var repositoryOptions: RepositoryOptions

        @Option(help: ArgumentHelp("The migration tool (\(MigrationFormatKind.allCases.map(\.rawValue).joined(separator: ", "))).",
                                   valueName: "format"))
        var format: MigrationFormatKind?

        @Option(help: ArgumentHelp("The folder holding the migrations, relative to the repository root.", valueName: "dir"))
        var path: String?

        @Flag(help: "Overwrite an existing migledger.yml.")
        var force = false

        func run() throws {
            try runReporting {
                let outcome = try Initializer.run(repositoryPath: repositoryOptions.repository, format: format,
                                                  folder: path, force: force)
                printOut(outcome.text)
                printErr("wrote \(outcome.file): \(outcome.sets.count) migration set(s), environments \(outcome.environments.map(\.name).joined(separator: ", "))\n")
                return .passed
            }
        }
    }
}

public import ArgumentParser
public import MigCore
public import MigReport

/// Where the repository is, shared by every command that reads one.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.customShort("C"), .customLong("repo")],
            help: ArgumentHelp("Run in the repository at this path instead of the current directory.", valueName: "path"))
    var repository: String?
}

/// The repository plus the policy file that judges it.
struct WorkspaceOptions: ParsableArguments {
    @OptionGroup var repositoryOptions: RepositoryOptions

    @Option(help: ArgumentHelp("Use this policy file instead of the repository's migledger.yml.", valueName: "path"))
    var policy: String?
}

extension FindingFormat: ExpressibleByArgument {}
extension MigrationFormatKind: ExpressibleByArgument {}
extension Dialect: ExpressibleByArgument {}

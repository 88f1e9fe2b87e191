import ArgumentParser
import MigledgerKit

extension Migledger {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the rules, or explain one with its examples.")

        @Argument(help: ArgumentHelp("A rule id.", valueName: "rule-id"))
        var id: String?

        func run() throws {
            try runReporting {
                printOut(try id.map(RulesCatalogText.explain) ?? RulesCatalogText.list())
                return .passed
            }
        }
    }
}

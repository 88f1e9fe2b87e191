@testable import migledger
import MigCore
import MigReport
import Testing

/// The CLI's parsing layer, without spawning a process: options land in the right fields and
/// bad input is refused with a message naming the flag.
@Suite struct CommandParsingTests {
    @Test func initDefaultsAndEveryOption() throws {
        let plain = try #require(try Migledger.parseAsRoot(["init"]) as? Migledger.Init)
        #expect(plain.format == nil && plain.path == nil && !plain.force && plain.repositoryOptions.repository == nil)

        let full = try #require(try Migledger.parseAsRoot(
            ["init", "--format", "golang-migrate", "--path", "db/migrations", "--force", "-C", "/srv/app"]) as? Migledger.Init)
        #expect(full.format == .golangMigrate)
        #expect(full.path == "db/migrations")
        #expect(full.force)
        #expect(full.repositoryOptions.repository == "/srv/app")
    }

    @Test func ledgerSubcommands() throws {
        let sync = try #require(try Migledger.parseAsRoot(
            ["ledger", "sync", "--env", "staging", "--env", "production", "--dry-run",
             "--policy", "ci/migledger.yml", "--repo", "/srv/app"]) as? Migledger.Ledger.Sync)
        #expect(sync.environments == ["staging", "production"])
        #expect(sync.dryRun)
        #expect(sync.workspace.policy == "ci/migledger.yml")
        #expect(sync.workspace.repositoryOptions.repository == "/srv/app")
        let everything = try #require(try Migledger.parseAsRoot(["ledger", "sync"]) as? Migledger.Ledger.Sync)
        #expect(everything.environments.isEmpty && !everything.dryRun)

        let record = try #require(try Migledger.parseAsRoot(["ledger", "record", "--env", "production", "v1.2.0"])
            as? Migledger.Ledger.Record)
        #expect(record.environment == "production")
        #expect(record.commit == "v1.2.0")

        let show = try #require(try Migledger.parseAsRoot(["ledger", "show", "--env", "staging", "--format", "json"])
            as? Migledger.Ledger.Show)
        #expect(show.environment == "staging")
        #expect(show.format == .json)
        #expect((try Migledger.parseAsRoot(["ledger", "show"]) as? Migledger.Ledger.Show)?.format == .text)

        let verify = try #require(try Migledger.parseAsRoot(["ledger", "verify", "-C", "repo"]) as? Migledger.Ledger.Verify)
        #expect(verify.workspace.repositoryOptions.repository == "repo")
    }

    @Test func audit() throws {
        let audit = try #require(try Migledger.parseAsRoot(["audit", "--env", "production", "--format", "json"])
            as? Migledger.Audit)
        #expect(audit.environment == "production")
        #expect(audit.format == FindingFormat.json)
        #expect((try Migledger.parseAsRoot(["audit"]) as? Migledger.Audit)?.format == FindingFormat.text)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        /// The start of ArgumentParser's message, which names the flag or argument at fault.
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    @Test(arguments: [
        BadInput(arguments: ["init", "--format", "liquibase"],
                 message: "The value 'liquibase' is invalid for '--format <format>'. Please provide one of the following:"),
        BadInput(arguments: ["ledger", "record", "HEAD"], message: "Missing expected argument '--env <env>'"),
        BadInput(arguments: ["ledger", "record", "--env", "production"], message: "Missing expected argument '<commit>'"),
        BadInput(arguments: ["ledger", "show", "--format", "sarif"],
                 message: "The value 'sarif' is invalid for '--format <format>'. Please provide one of 'text' and 'json'."),
        BadInput(arguments: ["deploy"], message: "Unexpected argument 'deploy'"),
        BadInput(arguments: ["ledger", "prune"], message: "Unexpected argument 'prune'"),
    ])
    func badInputIsRefusedNamingTheFlag(input: BadInput) throws {
        let error = try #require(#expect(throws: (any Error).self) { try Migledger.parseAsRoot(input.arguments) })
        #expect(Migledger.message(for: error).hasPrefix(input.message), "\(Migledger.message(for: error))")
        // ArgumentParser's code for bad usage; `Migledger.main` turns it into DESIGN's 2, which
        // the binary tests check.
        #expect(Migledger.exitCode(for: error) == .validationFailure)
    }

    @Test func everyFormatNameIsAcceptedByInit() throws {
        for kind in MigrationFormatKind.allCases {
            let command = try #require(try Migledger.parseAsRoot(["init", "--format", kind.rawValue]) as? Migledger.Init)
            #expect(command.format == kind)
        }
    }
}

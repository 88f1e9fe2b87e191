@testable import migledger
import MigForge
import Testing

/// `migledger review`'s options: where they land, and what is refused before any work.
@Suite struct ReviewParsingTests {
    @Test func everyOptionLandsInItsField() throws {
        let plain = try #require(try Migledger.parseAsRoot(["review"]) as? Migledger.Review)
        #expect(plain.forge == nil && plain.maxComments == 50 && plain.timeout == 30 && !plain.dryRun && !plain.verbose)

        let full = try #require(try Migledger.parseAsRoot([
            "review", "--forge", "gitlab", "--api-url", "https://gitlab.example/api/v4", "--repo", "group/app", "--pr", "12",
            "--base", "abc", "--head", "def", "--dry-run", "--max-comments", "10", "--timeout", "5", "--verbose",
            "-C", "/srv/app", "--policy", "ci.yml",
        ]) as? Migledger.Review)
        #expect(full.forge == .gitlab && full.apiURL == "https://gitlab.example/api/v4" && full.repositorySlug == "group/app")
        #expect(full.pr == 12 && full.base == "abc" && full.head == "def")
        #expect(full.dryRun && full.maxComments == 10 && full.timeout == 5 && full.verbose)
        #expect(full.path == "/srv/app" && full.policy == "ci.yml")
    }

    @Test(arguments: [
        (["review", "--forge", "bitbucket"], "The value 'bitbucket' is invalid for '--forge <forge>'"),
        (["review", "--max-comments=-1"], "'--max-comments' must be 0 or more"),
        (["review", "--timeout", "0"], "'--timeout' must be between 0 and 600 seconds"),
        (["review", "--pr", "seven"], "The value 'seven' is invalid for '--pr <number>'"),
    ])
    func badOptionsAreRefusedNamingTheFlag(arguments: [String], message: String) throws {
        let error = try #require(#expect(throws: (any Error).self) { try Migledger.parseAsRoot(arguments) })
        #expect(Migledger.message(for: error).hasPrefix(message), "\(Migledger.message(for: error))")
        #expect(Migledger.exitCode(for: error) == .validationFailure)
    }
}

import Foundation
import MigPolicy
import MigledgerKit
import Testing
import TestSupport

/// Every way a policy can be wrong reaches the user through `Workspace.open` as exit code 2
/// with the file, line and key to fix.
@Suite struct WorkspacePolicyTests {
    struct BadPolicy: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let yaml: String
        /// What follows the file's name in the message: `:line:column: key: problem`.
        let located: String
    }

    static let badPolicies = [
        BadPolicy(testDescription: "YAML syntax error", yaml: """
            version: 1
            rules:
              ban-drop-column: [error
            """, located: ":4:1: invalid YAML: did not find expected ',' or ']' "
                + "(while parsing a flow sequence at line 3, column 20); fix the syntax here"),
        BadPolicy(testDescription: "unknown key", yaml: """
            version: 1
            imutability: exact
            """, located: ":2:1: imutability: unknown key 'imutability' (did you mean 'immutability'?)"),
        BadPolicy(testDescription: "unknown rule", yaml: """
            version: 1
            rules:
              prefer-text-feld: off
            """, located: ":3:3: rules.prefer-text-feld: unknown rule 'prefer-text-feld' (did you mean 'prefer-text-field'?)"),
        BadPolicy(testDescription: "bad severity", yaml: """
            version: 1
            rules:
              ban-drop-column: eror
            """, located: ":3:20: rules.ban-drop-column: unknown severity 'eror' (did you mean 'error'?); use error, warning or off"),
        BadPolicy(testDescription: "bad deploy glob", yaml: """
            version: 1
            environments:
              production:
                deploys: ["v*"]
            """, located: ":4:15: environments.production.deploys[0]: invalid deploy glob 'v*': deploy globs match full "
                + "ref names starting with 'refs/' (did you mean 'refs/tags/v*'?)"),
        BadPolicy(testDescription: "missing preset", yaml: """
            version: 1
            extends: recomended
            """, located: ":2:10: extends: unknown preset 'recomended' (did you mean 'recommended'?); the presets are recommended, strict"),
    ]

    @Test(arguments: badPolicies)
    func badPolicyInTheWorkTree(policy: BadPolicy) throws {
        let fixture = try GitFixture()
        try FormatProject.sql.commit(into: fixture)
        try fixture.write("migledger.yml", policy.yaml)
        let error = try Self.openingError(fixture.path)
        #expect(ExitStatus.forError(error) == .usage)
        let description = String(describing: error)
        #expect(description.hasSuffix("migledger.yml" + policy.located), "\(description)")
    }

    @Test(arguments: badPolicies)
    func badPolicyGivenWithPolicyFlagIsNamedAsGiven(policy: BadPolicy) throws {
        let fixture = try GitFixture()
        try FormatProject.sql.commit(into: fixture)
        let elsewhere = try TemporaryDirectory()
        let file = try elsewhere.write("ci/strict.yml", policy.yaml)
        let error = try Self.openingError(fixture.path, policy: file.path)
        #expect(ExitStatus.forError(error) == .usage)
        #expect(String(describing: error) == file.path + policy.located)
    }

    @Test func missingPolicyFileIsAUsageError() throws {
        let fixture = try GitFixture()
        try FormatProject.sql.commit(into: fixture)
        let missing = fixture.path + "/config/migledger.yml"
        let error = try Self.openingError(fixture.path, policy: missing)
        #expect(ExitStatus.forError(error) == .usage)
        #expect(String(describing: error).contains(missing) && String(describing: error).contains("--policy"))
    }

    /// A server has no work tree: the policy is `HEAD`'s blob, and its errors say so.
    @Test(arguments: Policy.fileNames)
    func badPolicyAtHeadOfABareRepository(name: String) throws {
        let fixture = try GitFixture()
        try FormatProject.sql.commit(into: fixture)
        try fixture.write(name, "version: 1\nrules:\n  prefer-text-feld: off\n")
        try fixture.commitAll("a policy with a typo")
        let bare = try fixture.bareClone()
        let error = try Self.openingError(bare.path)
        #expect(ExitStatus.forError(error) == .usage)
        #expect(String(describing: error)
            == "HEAD:\(name):3:3: rules.prefer-text-feld: unknown rule 'prefer-text-feld' (did you mean 'prefer-text-field'?)")
    }

    @Test func twoPolicyFilesAreAUsageError() throws {
        let fixture = try GitFixture()
        try FormatProject.sql.commit(into: fixture)
        try fixture.write("migledger.yml", "version: 1\n")
        try fixture.write(".migledger.yml", "version: 1\n")
        let error = try Self.openingError(fixture.path)
        #expect(ExitStatus.forError(error) == .usage)
        #expect(String(describing: error).contains("both migledger.yml and .migledger.yml exist"))
    }

    /// The good path next to the bad ones: the hidden name is found, in a work tree and at `HEAD`.
    @Test func validHiddenPolicyIsFoundInTheWorkTreeAndAtHead() throws {
        let fixture = try GitFixture()
        try FormatProject.sql.commit(into: fixture)
        try fixture.write(".migledger.yml", """
            version: 1
            extends: strict
            migrations:
              - path: migrations
                format: sql
            environments:
              production:
                deploys: ["refs/tags/v*"]
            """)
        try fixture.commitAll("policy")
        let bare = try fixture.bareClone()
        let fromWorkTree = try Workspace.open(repositoryPath: fixture.path, policyPath: nil, environment: [:])
        let fromHead = try Workspace.open(repositoryPath: bare.path, policyPath: nil, environment: [:])
        #expect(fromWorkTree.policySource == ".migledger.yml")
        #expect(fromHead.policySource == "HEAD:.migledger.yml")
        #expect(fromWorkTree.policy == fromHead.policy)
        #expect(fromHead.policy.extends == "strict")
        #expect(fromHead.migrationSets.map { "\($0.path) \($0.format.rawValue)" } == ["migrations sql"])
    }

    static func openingError(_ repository: String, policy: String? = nil) throws -> any Error {
        let error = #expect(throws: (any Error).self) {
            _ = try Workspace.open(repositoryPath: repository, policyPath: policy, environment: [:])
        }
        return try #require(error)
    }
}

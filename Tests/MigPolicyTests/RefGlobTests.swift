@testable import MigPolicy
import Testing

@Suite struct RefGlobTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let glob: String
        let ref: String
        let matches: Bool
        var testDescription: String { "\(glob) \(matches ? "~" : "!~") \(ref)" }
    }

    static let table: [Case] = [
        Case(glob: "refs/tags/v*", ref: "refs/tags/v1.2", matches: true),
        Case(glob: "refs/tags/v*", ref: "refs/tags/v", matches: true),
        Case(glob: "refs/tags/v*", ref: "refs/tags/x/v1", matches: false),
        Case(glob: "refs/tags/v*", ref: "refs/tags/v1/hotfix", matches: false),
        Case(glob: "refs/tags/v*", ref: "refs/heads/v1", matches: false),
        Case(glob: "refs/tags/v*", ref: "refs/tags/release-v1", matches: false),
        Case(glob: "refs/environments/production/deployments/*",
             ref: "refs/environments/production/deployments/42", matches: true),
        Case(glob: "refs/environments/production/deployments/*",
             ref: "refs/environments/staging/deployments/42", matches: false),
        Case(glob: "refs/environments/production/deployments/*",
             ref: "refs/environments/production/deployments", matches: false),
        Case(glob: "refs/tags/deploy/**", ref: "refs/tags/deploy/eu/prod/7", matches: true),
        Case(glob: "refs/tags/deploy/**", ref: "refs/tags/deploy/7", matches: true),
        Case(glob: "refs/tags/deploy/**", ref: "refs/tags/other/7", matches: false),
        Case(glob: "refs/**/production", ref: "refs/heads/env/production", matches: true),
        Case(glob: "refs/**/production", ref: "refs/production", matches: true),
        Case(glob: "refs/**/production", ref: "refs/heads/production-2", matches: false),
        Case(glob: "refs/tags/v**", ref: "refs/tags/v1/rc/2", matches: true),
        Case(glob: "refs/tags/*/prod-*", ref: "refs/tags/eu/prod-3", matches: true),
        Case(glob: "refs/tags/*/prod-*", ref: "refs/tags/eu/west/prod-3", matches: false),
        Case(glob: "refs/tags/v?.?", ref: "refs/tags/v1.2", matches: true),
        Case(glob: "refs/tags/v?.?", ref: "refs/tags/v10.2", matches: false),
        Case(glob: "refs/tags/?", ref: "refs/tags/é", matches: true),
        Case(glob: "refs/tags/v[0-9]*", ref: "refs/tags/v3.1", matches: true),
        Case(glob: "refs/tags/v[0-9]*", ref: "refs/tags/vx", matches: false),
        Case(glob: "refs/tags/v[!0-9]*", ref: "refs/tags/vx", matches: true),
        Case(glob: "refs/tags/v[^0-9]*", ref: "refs/tags/v3", matches: false),
        Case(glob: "refs/tags/[]a]", ref: "refs/tags/]", matches: true),
        Case(glob: "refs/heads/main", ref: "refs/heads/main", matches: true),
        Case(glob: "refs/heads/main", ref: "refs/heads/main2", matches: false),
        Case(glob: "refs/tags/*-*-*-*", ref: "refs/tags/a-b-c-d-e", matches: true),
        Case(glob: "refs/tags/*-*-*-*", ref: "refs/tags/a-b-c", matches: false),
    ]

    @Test(arguments: table)
    func matching(_ entry: Case) throws {
        #expect(try RefGlob(entry.glob).matches(entry.ref) == entry.matches)
    }

    @Test func manyStarsStayFast() throws {
        let glob = try RefGlob("refs/**a**a**a**a**a**a**b")
        let ref = "refs/" + String(repeating: "a/", count: 200)
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!glob.matches(ref)) }
        #expect(elapsed < .milliseconds(200))
    }

    @Test func invalidGlobsSayWhy() {
        let reasons: [(String, String)] = [
            ("v*", "deploy globs match full ref names starting with 'refs/' (did you mean 'refs/tags/v*'?)"),
            ("tags/v*", "deploy globs match full ref names starting with 'refs/' (did you mean 'refs/tags/v*'?)"),
            ("/refs/tags/v*", "deploy globs match full ref names starting with 'refs/' (did you mean 'refs/tags/v*'?)"),
            ("environments/prod/deployments/*", "deploy globs match full ref names starting with 'refs/' "
                + "(did you mean 'refs/environments/prod/deployments/*'?)"),
            ("refs/tags/v[", "a '[' has no closing ']'"),
            ("refs/tags/[z-a]", "the range 'z-a' is empty or not ASCII"),
            ("refs/tags/x^", "it contains '^', which git does not allow in ref names"),
            ("refs/tags/a@{1}", "it contains '@{', which git does not allow in ref names"),
            ("refs/tags/x.", "a component ends with '.', which git does not allow in ref names"),
            ("refs/tags/a\\b", "it contains '\\', which git does not allow in ref names"),
            ("refs/tags/a\u{7}", "it contains a control character, which git does not allow in ref names"),
        ]
        for (glob, reason) in reasons {
            #expect(throws: RefGlobError(pattern: glob, reason: reason)) { try RefGlob(glob) }
        }
        #expect(RefGlobError(pattern: "v*", reason: "x").description == "invalid ref glob 'v*': x")
    }

    @Test func globsCompareByPattern() throws {
        #expect(try RefGlob("refs/tags/v*") == RefGlob("refs/tags/v*"))
        #expect(try RefGlob("refs/tags/v*").description == "refs/tags/v*")
    }
}

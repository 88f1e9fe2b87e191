import MigCore
@testable import MigReport
import Testing

@Suite struct FingerprintTests {
    /// FIPS 180-4 examples, plus lengths around the padding boundaries (from Python's hashlib).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 63), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ])
    func sha256MatchesKnownDigests(_ input: String, _ expected: String) {
        #expect(SHA256.hex(Array(input.utf8)) == expected)
    }

    @Test func identityIsRulePathBytesAndMessage() {
        let base = Finding(rule: "r", severity: .error, path: RepoPath("a.sql"), line: 1, column: 2,
                           message: "m", help: "h", environments: ["p"], commit: "c", author: "a")
        var elsewhere = base
        elsewhere.line = 99
        elsewhere.column = nil
        elsewhere.severity = .note
        elsewhere.help = "other"
        elsewhere.environments = []
        elsewhere.commit = nil
        #expect(Fingerprint.of([base]) == Fingerprint.of([elsewhere]))

        var otherRule = base
        otherRule.rule = "s"
        var otherPath = base
        otherPath.path = RepoPath("b.sql")
        var otherMessage = base
        otherMessage.message = "n"
        var noPath = base
        noPath.path = nil
        let all = Fingerprint.of([base]) + Fingerprint.of([otherRule]) + Fingerprint.of([otherPath])
            + Fingerprint.of([otherMessage]) + Fingerprint.of([noPath])
        #expect(Set(all).count == 5)
    }

    @Test func pathsAreHashedAsBytesNotAsPrinted() {
        let latin1 = Finding(rule: "r", severity: .error, path: RepoPath(bytes: [0x61, 0xE9]), message: "m", help: "")
        let lookalike = Finding(rule: "r", severity: .error, path: RepoPath("a\\xE9"), message: "m", help: "")
        #expect(latin1.path?.description == lookalike.path?.description)
        #expect(Fingerprint.of([latin1]) != Fingerprint.of([lookalike]))
    }

    @Test func fieldBoundariesCannotBeShifted() {
        let one = Finding(rule: "ab", severity: .error, path: RepoPath("c"), message: "m", help: "")
        let two = Finding(rule: "a", severity: .error, path: RepoPath("bc"), message: "m", help: "")
        #expect(Fingerprint.of([one]) != Fingerprint.of([two]))
    }

    @Test func repeatsAreNumberedInOrder() {
        let finding = Samples.vagueName
        let three = Fingerprint.of([finding, Samples.modified, finding, finding])
        #expect(Set(three).count == 4)
        #expect(three[0] == Fingerprint.of([finding])[0])
        #expect(three[1] == Fingerprint.of([Samples.modified])[0])
        #expect(Array(three[2...]) == Array(Fingerprint.of([finding, finding, finding])[1...]))
    }
}

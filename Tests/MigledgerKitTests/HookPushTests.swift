import Foundation
import Testing
import TestSupport

/// The hooks as a git server runs them (issue 4): every test pushes with the real `git push`
/// into a real bare repository carrying `hooks/pre-receive` and `hooks/post-receive`, so git's
/// quarantine, its all-or-nothing pre-receive, push options and the hooks' environment are the
/// real ones, not a simulation of them.
@Suite struct HookPushTests {
    enum DeployedChange: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case edit, delete, rename
        var testDescription: String { rawValue }
    }

    // MARK: 1. deployed migrations are immutable

    @Test(arguments: DeployedChange.allCases)
    func changingADeployedMigrationIsRefused(_ change: DeployedChange) throws {
        let fixture = try PushFixture.deployed()
        let path = fixture.flavor.deployedPath
        let rule: String, location: String
        switch change {
        case .edit:
            try fixture.write(path, fixture.flavor.deployedContents(after: .token))
            (rule, location) = ("modified-deployed-migration", "\(path):\(fixture.flavor.tokenLine)")
        case .delete:
            try fixture.remove(path)
            (rule, location) = ("deleted-deployed-migration", path)
        case .rename:
            let renamed = fixture.flavor.migration("20240101000000_create_accounts")
            try fixture.git("mv", path, renamed)
            (rule, location) = ("renamed-deployed-migration", renamed)
        }
        let commit = try fixture.commit("Change the deployed migration (\(change))")
        let result = try fixture.expectRefused(
            mentioning: ["[\(rule)]", location, "production", PushFixture.short(commit)], absent: [commit]) {
            try fixture.push("main")
        }
        if change == .rename { #expect(result.stderr.contains("renamed from \(path)"), "\(result.stderr)") }
    }

    // MARK: 2. a good migration

    @Test func aNewWellNamedMigrationIsAcceptedAndPostReceiveLeavesTheLedgerAlone() throws {
        let fixture = try PushFixture.deployed()
        let ledger = try fixture.serverRef("refs/migledger/production")
        try fixture.write(fixture.flavor.migration("20240201000000_create_orders"), fixture.flavor.body("orders"))
        let commit = try fixture.commit("Create orders")
        let result = try fixture.expectAccepted(try fixture.push("main"))
        #expect(!result.stderr.contains("migledger: push refused"), "\(result.stderr)")
        #expect(try fixture.serverRef("refs/heads/main") == commit)
        // Not a deploy marker: post-receive must neither record a deploy nor log an override.
        #expect(try fixture.serverRef("refs/migledger/production") == ledger)
        #expect(try fixture.serverRef("refs/migledger-overrides") == nil)
        let verify = try fixture.migledger("ledger", "verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    // MARK: 3. order and naming

    @Test func aMigrationOlderThanTheNewestDeployedIsRefused() throws {
        let fixture = try PushFixture.deployed()
        let path = fixture.flavor.migration("20231201000000_create_orders")
        try fixture.write(path, fixture.flavor.body("orders"))
        let commit = try fixture.commit("Create orders from a long-lived branch")
        try fixture.expectRefused(mentioning: ["[out-of-order-migration]", path, "production", "20240101000000",
                                               PushFixture.short(commit)], absent: [commit]) {
            try fixture.push("main")
        }
    }

    @Test func anUnsafeMigrationIsRefusedWithItsLine() throws {
        let fixture = try PushFixture.deployed(.sql)
        let path = fixture.flavor.migration("20240201000000_add_email_to_users")
        try fixture.write(path, "SELECT 1;\nALTER TABLE users ADD COLUMN email;\n")
        let commit = try fixture.commit("Add email")
        try fixture.expectRefused(mentioning: ["[sql-syntax-error]", path + ":2", PushFixture.short(commit)], absent: []) {
            try fixture.push("main")
        }
    }

    @Test func aDuplicateVersionIsRefused() throws {
        let fixture = try PushFixture.deployed()
        let path = fixture.flavor.migration("20240101000000_create_orders")
        try fixture.write(path, fixture.flavor.body("orders"))
        let commit = try fixture.commit("Create orders on a taken version")
        try fixture.expectRefused(mentioning: ["[duplicate-migration-version]", path, fixture.flavor.deployedPath,
                                               PushFixture.short(commit)], absent: [commit]) {
            try fixture.push("main")
        }
    }

    @Test func aBadlyNamedMigrationIsRefused() throws {
        let fixture = try PushFixture.deployed()
        let path = fixture.flavor.migration("2024_create orders")
        try fixture.write(path, fixture.flavor.body("orders"))
        let commit = try fixture.commit("Create orders, misnamed")
        try fixture.expectRefused(mentioning: ["[migration-naming]", path, PushFixture.short(commit)], absent: [commit]) {
            try fixture.push("main")
        }
    }

    // MARK: 4. branches, tags and deploy markers

    @Test func branchesAreCreatedWithAGoodMigrationAndDeleted() throws {
        let fixture = try PushFixture.deployed()
        let ledger = try fixture.serverRef("refs/migledger/production")
        try fixture.git("checkout", "-q", "-b", "feature/orders")
        try fixture.write(fixture.flavor.migration("20240201000000_create_orders"), fixture.flavor.body("orders"))
        let commit = try fixture.commit("Create orders")
        try fixture.expectAccepted(try fixture.push("feature/orders"))
        #expect(try fixture.serverRef("refs/heads/feature/orders") == commit)
        try fixture.expectAccepted(try fixture.push("--delete", "feature/orders"))
        #expect(try fixture.serverRef("refs/heads/feature/orders") == nil)
        #expect(try fixture.serverRef("refs/migledger/production") == ledger)
    }

    @Test func aTagIsAcceptedAndADeployMarkerAppendsToTheLedger() throws {
        let fixture = try PushFixture.deployed()
        let first = try #require(try fixture.serverRef("refs/migledger/production"))
        try fixture.tag("docs-2024")
        try fixture.expectAccepted(try fixture.push("docs-2024"))
        #expect(try fixture.serverRef("refs/tags/docs-2024") != nil)
        #expect(try fixture.serverRef("refs/migledger/production") == first, "a tag that is no deploy marker")

        let path = fixture.flavor.migration("20240201000000_create_orders")
        try fixture.write(path, fixture.flavor.body("orders"))
        let commit = try fixture.commit("Create orders")
        try fixture.tag("v1.1")
        let result = try fixture.expectAccepted(try fixture.push("main", "v1.1"))
        #expect(result.stderr.contains("production: recorded 1 deploy(s)"), "\(result.stderr)")

        let refs = try fixture.serverGit("for-each-ref", "--format=%(refname)", "refs/migledger/").stdout
        #expect(refs == "refs/migledger/production\n")
        let second = try #require(try fixture.serverRef("refs/migledger/production"))
        #expect(second != first)
        #expect(try fixture.serverGit("rev-parse", second + "^").stdout.hasPrefix(first), "appended, not replaced")
        // The ledger holds the deployed blobs themselves, so plain git can compare them.
        let inLedger = try fixture.serverGit("rev-parse", "\(second):\(path)").stdout
        let inRelease = try fixture.serverGit("rev-parse", "\(commit):\(path)").stdout
        #expect(inLedger == inRelease)
        let message = try fixture.serverGit("log", "-1", "--format=%B", second).stdout
        #expect(message.contains("Marker: refs/tags/v1.1") && message.contains("Added: \(path)"), "\(message)")
        let verify = try fixture.migledger("ledger", "verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    // MARK: 5. one bad ref refuses the push

    @Test func aPushOfSeveralRefsWithOneBadIsRefusedWhole() throws {
        let fixture = try PushFixture.deployed()
        try fixture.write(fixture.flavor.migration("20240201000000_create_orders"), fixture.flavor.body("orders"))
        let good = try fixture.commit("Create orders")
        try fixture.git("checkout", "-q", "-b", "feature/good")
        try fixture.write(fixture.flavor.migration("20240301000000_create_items"), fixture.flavor.body("items"))
        let alsoGood = try fixture.commit("Create items")
        try fixture.git("checkout", "-q", "-b", "feature/bad", "main")
        try fixture.write(fixture.flavor.deployedPath, fixture.flavor.deployedContents(after: .token))
        let bad = try fixture.commit("Edit the deployed migration")
        try fixture.tag("v1.1")
        let result = try fixture.expectRefused(
            mentioning: ["[modified-deployed-migration]", PushFixture.short(bad)], absent: [good, alsoGood, bad]) {
            try fixture.push("main", "feature/good", "feature/bad", "v1.1")
        }
        for ref in ["main -> main", "feature/good -> feature/good", "feature/bad -> feature/bad", "v1.1 -> v1.1"] {
            #expect(result.stderr.contains("[remote rejected] \(ref) (pre-receive hook declined)"), "\(result.stderr)")
        }
        #expect(!result.stderr.contains(PushFixture.short(good)) && !result.stderr.contains(PushFixture.short(alsoGood)))
    }

    // MARK: 6. every new commit is judged

    @Test func anEditRevertedInTheSamePushIsRefusedNamingTheEditingCommit() throws {
        let fixture = try PushFixture.deployed()
        try fixture.write(fixture.flavor.deployedPath, fixture.flavor.deployedContents(after: .token))
        let edit = try fixture.commit("Edit the deployed migration")
        try fixture.write(fixture.flavor.deployedPath, fixture.flavor.deployedContents)
        let revert = try fixture.commit("Revert the edit")
        #expect(try fixture.git("diff", "origin/main", "HEAD").stdout.isEmpty, "the push's net change is nothing")
        let result = try fixture.expectRefused(
            mentioning: ["[modified-deployed-migration]", PushFixture.short(edit)], absent: [edit, revert]) {
            try fixture.push("main")
        }
        #expect(!result.stderr.contains(PushFixture.short(revert)), "\(result.stderr)")
    }

    // MARK: 7. immutability settings

    struct ImmutabilityCase: Sendable, CustomTestStringConvertible {
        let mode: String
        let flavor: PushFlavor
        /// The largest change the mode allows and the note's reason for it; `exact` allows none.
        let allowed: (edit: PushFlavor.Edit, reason: String)?
        /// What the next looser mode would allow, refused here, and a real token change.
        let refused: [PushFlavor.Edit]

        var testDescription: String { "\(mode), \(flavor.rawValue)" }

        static let all: [ImmutabilityCase] = PushFlavor.allCases.flatMap { flavor in [
            ImmutabilityCase(mode: "exact", flavor: flavor, allowed: nil, refused: [.lineEndings, .token]),
            ImmutabilityCase(mode: "line-endings", flavor: flavor, allowed: (.lineEndings, "only line endings changed"),
                             refused: [.reindent, .token]),
            ImmutabilityCase(mode: "whitespace", flavor: flavor, allowed: (.reindent, "only whitespace changed"),
                             refused: [.comment, .token]),
            ImmutabilityCase(mode: "tokens", flavor: flavor, allowed: (.comment, "only comments and formatting changed"),
                             refused: [.token]),
        ] }
    }

    @Test(arguments: ImmutabilityCase.all)
    func immutabilitySettingsAllowAndRefuse(_ setting: ImmutabilityCase) throws {
        let flavor = setting.flavor
        let fixture = try PushFixture.deployed(flavor, immutability: setting.mode)
        for edit in setting.refused {
            try fixture.write(flavor.deployedPath, flavor.deployedContents(after: edit))
            let commit = try fixture.commit("Edit the deployed migration: \(edit.rawValue)")
            try fixture.expectRefused(mentioning: ["[modified-deployed-migration]", flavor.deployedPath, "production",
                                                   PushFixture.short(commit)], absent: [commit]) {
                try fixture.push("main")
            }
            try fixture.resetToServer()
        }
        if let allowed = setting.allowed {
            try fixture.write(flavor.deployedPath, flavor.deployedContents(after: allowed.edit))
            let commit = try fixture.commit("Reformat the deployed migration: \(allowed.edit.rawValue)")
            let result = try fixture.expectAccepted(try fixture.push("main"))
            #expect(result.stderr.contains("\(allowed.reason), which immutability: \(setting.mode) allows"), "\(result.stderr)")
            #expect(result.stderr.contains("note [modified-deployed-migration] \(flavor.deployedPath)"), "\(result.stderr)")
            #expect(try fixture.serverRef("refs/heads/main") == commit)
        } else {
            // `exact` compares bytes: a mode change keeps the blob, so there is nothing to note.
            try fixture.git("update-index", "--chmod=+x", flavor.deployedPath)
            let commit = try fixture.commit("Make the deployed migration executable")
            let result = try fixture.expectAccepted(try fixture.push("main"))
            #expect(!result.stderr.contains("modified-deployed-migration"), "\(result.stderr)")
            #expect(try fixture.serverRef("refs/heads/main") == commit)
        }
    }

    // MARK: 8. overrides

    @Test func anAllowedUserOverridesWithAReasonAndAuditShowsIt() throws {
        let fixture = try PushFixture.deployed()
        try fixture.write(fixture.flavor.deployedPath, fixture.flavor.deployedContents(after: .token))
        let commit = try fixture.commit("Hotfix the deployed migration")
        let reason = "incident 42: production already has accounts"
        let result = try fixture.expectAccepted(
            try fixture.push("main", pusher: "alice", options: ["migledger.override=\(reason)"]))
        #expect(result.stderr.contains("override by alice (\(reason))"), "\(result.stderr)")
        #expect(result.stderr.contains("recorded the override by alice"), "\(result.stderr)")
        #expect(try fixture.serverRef("refs/heads/main") == commit)
        #expect(try fixture.serverRef("refs/migledger-overrides") != nil)

        let audit = try fixture.migledger("audit")
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.contains("push-override"), "\(audit.stdout)")
        #expect(audit.stdout.contains("alice") && audit.stdout.contains(reason), "\(audit.stdout)")
        let json = try fixture.migledger("audit", "--format", "json")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]], "\(json.stdout)")
        let override = try #require(findings.first { $0["rule"] as? String == "push-override" }, "\(json.stdout)")
        #expect(override["commit"] as? String == commit)
        #expect((override["message"] as? String)?.contains("refs/heads/main") == true)
    }

    @Test func aUserNotAllowedCannotOverride() throws {
        let fixture = try PushFixture.deployed()
        try fixture.write(fixture.flavor.deployedPath, fixture.flavor.deployedContents(after: .token))
        let commit = try fixture.commit("Hotfix the deployed migration")
        try fixture.expectRefused(mentioning: ["[modified-deployed-migration]", "'mallory' may not override (allowed: alice)"],
                                  absent: [commit]) {
            try fixture.push("main", pusher: "mallory", options: ["migledger.override=trust me"])
        }
        try fixture.expectRefused(mentioning: ["an unidentified pusher may not override (allowed: alice)"], absent: [commit]) {
            try fixture.push("main", options: ["migledger.override=trust me"])
        }
    }

    @Test func anOverrideNeedsAReason() throws {
        let fixture = try PushFixture.deployed()
        try fixture.write(fixture.flavor.deployedPath, fixture.flavor.deployedContents(after: .token))
        let commit = try fixture.commit("Hotfix the deployed migration")
        for option in ["migledger.override=", "migledger.override", "migledger.override=   "] {
            try fixture.expectRefused(mentioning: ["an override needs a reason"], absent: [commit]) {
                try fixture.push("main", pusher: "alice", options: [option])
            }
        }
    }

    // MARK: 9. the ledger is the server's

    @Test func pushesToTheLedgerAreRefused() throws {
        let fixture = try PushFixture.deployed()
        let head = try fixture.head()
        try fixture.expectRefused(mentioning: ["refs/migledger/production is migledger's ledger"]) {
            try fixture.push("\(head):refs/migledger/production", "--force")
        }
        try fixture.expectRefused(mentioning: ["refs/migledger/staging is migledger's ledger"]) {
            try fixture.push("\(head):refs/migledger/staging")
        }
        try fixture.expectRefused(mentioning: ["refs/migledger/production is migledger's ledger"]) {
            try fixture.push("--delete", "refs/migledger/production")
        }
        try fixture.expectRefused(mentioning: ["refs/migledger-overrides is migledger's ledger"]) {
            try fixture.push("\(head):refs/migledger-overrides")
        }
    }

    // MARK: 10. a push cannot loosen its judge

    @Test func switchingTheRuleOffInTheSamePushDoesNotHelp() throws {
        let fixture = try PushFixture.deployed()
        let flavor = fixture.flavor
        let looser = PushFixture.policy(flavor, extra: "rules:\n  modified-deployed-migration: off\n")
        // One commit doing both.
        try fixture.write("migledger.yml", looser)
        try fixture.write(flavor.deployedPath, flavor.deployedContents(after: .token))
        let both = try fixture.commit("Edit the deployed migration and switch its rule off")
        try fixture.expectRefused(mentioning: ["[modified-deployed-migration]", PushFixture.short(both)], absent: [both]) {
            try fixture.push("main")
        }
        try fixture.resetToServer()
        // The policy first, the edit after it.
        try fixture.write("migledger.yml", looser)
        let policy = try fixture.commit("Switch the rule off")
        try fixture.write(flavor.deployedPath, flavor.deployedContents(after: .token))
        let edit = try fixture.commit("Edit the deployed migration")
        try fixture.expectRefused(mentioning: ["[modified-deployed-migration]", PushFixture.short(edit)],
                                  absent: [policy, edit]) {
            try fixture.push("main")
        }
    }

    // MARK: 11. bad hook input

    @Test func garbageAndTruncatedInputIsAUsageErrorThatAcceptsNothing() throws {
        let fixture = try PushFixture.deployed()
        let head = try #require(try fixture.serverRef("refs/heads/main"))
        let before = try fixture.serverRefs()
        let cases: [(input: String, message: String)] = [
            ("hello\n", "line 1 of the hook input is not `<old-sha> <new-sha> <refs/...>`: 'hello'"),
            ("\(PushFixture.zero) \(head)", "the hook input is truncated"),
            ("\(PushFixture.zero) \(head) refs/heads/other", "the hook input is truncated"),
            ("", "no ref updates on standard input"),
            ("\(head) \(PushFixture.zero) refs/heads/main\nhello\n", "line 2 of the hook input"),
        ]
        for (input, message) in cases {
            let result = try fixture.hook("pre-receive", stdin: input)
            #expect(result.status == 2, "input \(input.debugDescription): \(result.status)\n\(result.stderr)")
            #expect(result.stderr.contains("migledger: push refused: \(message)"), "\(result.stderr)")
        }
        // A well-formed line naming an object git never received fails closed.
        let unknown = String(repeating: "ab", count: 20)
        let missing = try fixture.hook("pre-receive", stdin: "\(PushFixture.zero) \(unknown) refs/heads/x\n")
        #expect(missing.status != 0, "\(missing.stderr)")
        #expect(missing.stderr.contains("migledger fails closed"), "\(missing.stderr)")
        // post-receive reads the same lines; garbage there must not reach the ledger either.
        let after = try fixture.hook("post-receive", stdin: "hello\n")
        #expect(after.status == 2 && after.stderr.contains("could not update the ledger"), "\(after.stderr)")
        #expect(try fixture.serverRefs() == before)
        try fixture.expectSound()
    }

    // MARK: 12. quarantine

    @Test func aRefusedPushLeavesNoObjectInTheServer() throws {
        let fixture = try PushFixture.deployed()
        let contents = fixture.flavor.deployedContents(after: .token)
        try fixture.write(fixture.flavor.deployedPath, contents)
        let commit = try fixture.commit("Edit the deployed migration")
        let blob = try fixture.git("rev-parse", "HEAD:\(fixture.flavor.deployedPath)").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let tree = try fixture.git("rev-parse", "HEAD^{tree}").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let objects = try fixture.serverGit("count-objects", "-v").stdout
        // The refusal names the commit and the edited line: the hook read the pushed objects,
        // which exist only in git's quarantine while the hook runs.
        let location = "\(fixture.flavor.deployedPath):\(fixture.flavor.tokenLine)"
        try fixture.expectRefused(mentioning: [PushFixture.short(commit), location], absent: [commit, tree, blob]) {
            try fixture.push("main")
        }
        #expect(try fixture.serverGit("count-objects", "-v").stdout == objects)
    }

    // MARK: 13. commits the server already has, brought into a branch

    /// A branch pushed before the deploy edits the migration; after the deploy, `main` is
    /// fast-forwarded to it. No commit is new, but `main` now carries an edited deployed file.
    @Test func fastForwardingToAnAlreadyPushedEditOfADeployedMigrationIsRefused() throws {
        let fixture = try PushFixture(flavor: .rails)
        let flavor = fixture.flavor
        try fixture.write("migledger.yml", PushFixture.policy(flavor))
        try fixture.write(flavor.deployedPath, flavor.deployedContents)
        try fixture.commit("Create users")
        try fixture.expectAccepted(try fixture.push("main"))
        try fixture.git("checkout", "-q", "-b", "tweak")
        try fixture.write(flavor.deployedPath, flavor.deployedContents(after: .token))
        let edit = try fixture.commit("Rename users to accounts before anyone ran it")
        try fixture.expectAccepted(try fixture.push("tweak"))
        try fixture.git("checkout", "-q", "main")
        try fixture.tag("v1.0")
        try fixture.expectAccepted(try fixture.push("v1.0"))
        try fixture.expectRefused(mentioning: ["[modified-deployed-migration]", flavor.deployedPath, "production",
                                               PushFixture.short(edit)]) {
            try fixture.push("tweak:main")
        }
    }

    /// The out-of-order rule's own case: a long-lived branch, pushed early, merged after newer
    /// migrations were deployed. The verdict must not depend on whether the branch was pushed.
    @Test(arguments: [true, false])
    func mergingALongLivedBranchWithAnOlderMigrationIsRefused(branchPushedFirst: Bool) throws {
        let fixture = try PushFixture.deployed()
        let flavor = fixture.flavor
        try fixture.git("checkout", "-q", "-b", "feature/items")
        let older = flavor.migration("20240115000000_create_items")
        try fixture.write(older, flavor.body("items"))
        try fixture.commit("Create items")
        if branchPushedFirst { try fixture.expectAccepted(try fixture.push("feature/items")) }
        try fixture.git("checkout", "-q", "main")
        try fixture.write(flavor.migration("20240201000000_create_orders"), flavor.body("orders"))
        try fixture.commit("Create orders")
        try fixture.tag("v1.1")
        try fixture.expectAccepted(try fixture.push("main", "v1.1"))
        try fixture.git("merge", "-q", "--no-edit", "feature/items", environment: fixture.dated())
        let merge = try fixture.head()
        try fixture.expectRefused(mentioning: ["[out-of-order-migration]", older, "production has run 20240201000000"],
                                  absent: [merge]) {
            try fixture.push("main")
        }
    }

    // MARK: 14. force pushes

    @Test func forcePushingADeployedMigrationOutOfTheBranchIsRefused() throws {
        let fixture = try PushFixture(flavor: .rails)
        let flavor = fixture.flavor
        try fixture.write("migledger.yml", PushFixture.policy(flavor))
        let root = try fixture.commit("Policy")
        try fixture.write(flavor.deployedPath, flavor.deployedContents)
        try fixture.commit("Create users")
        try fixture.expectAccepted(try fixture.push("main"))
        try fixture.tag("v1.0")
        try fixture.expectAccepted(try fixture.push("v1.0"))
        // Rewound to a commit the server has: nothing new to judge, yet the file is gone.
        try fixture.expectRefused(mentioning: ["[deleted-deployed-migration]", flavor.deployedPath, "production"]) {
            try fixture.push("--force", "\(root):refs/heads/main")
        }
        // History rewritten as if the migration had never existed.
        try fixture.git("checkout", "-q", "-b", "rewrite", root)
        try fixture.write("README.md", "Users live elsewhere now.\n")
        let rewrite = try fixture.commit("Rewrite history")
        try fixture.expectRefused(mentioning: ["[deleted-deployed-migration]", flavor.deployedPath, "production"],
                                  absent: [rewrite]) {
            try fixture.push("--force", "rewrite:main")
        }
    }

    /// What force pushes are for: a feature branch rebased onto the new `main`.
    @Test func forcePushingARebasedFeatureBranchIsAccepted() throws {
        let fixture = try PushFixture.deployed()
        let flavor = fixture.flavor
        try fixture.git("checkout", "-q", "-b", "feature/items")
        try fixture.write(flavor.migration("20240301000000_create_items"), flavor.body("items"))
        try fixture.commit("Create items")
        try fixture.expectAccepted(try fixture.push("feature/items"))
        try fixture.git("checkout", "-q", "main")
        try fixture.write(flavor.migration("20240201000000_create_orders"), flavor.body("orders"))
        try fixture.commit("Create orders")
        try fixture.tag("v1.1")
        try fixture.expectAccepted(try fixture.push("main", "v1.1"))
        try fixture.git("checkout", "-q", "feature/items")
        try fixture.git("rebase", "-q", "main", environment: fixture.dated())
        let rebased = try fixture.head()
        try fixture.expectAccepted(try fixture.push("--force", "feature/items"))
        #expect(try fixture.serverRef("refs/heads/feature/items") == rebased)
        try fixture.expectAccepted(try fixture.push("feature/items:main"))
    }
}

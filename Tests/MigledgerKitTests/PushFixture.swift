import Foundation
import Testing
import TestSupport

/// The migration flavours the push tests deploy: a Rails `.rb` and a plain `.sql` set, each with
/// one migration that production has run and the edits the `immutability` tests make to it.
enum PushFlavor: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case rails
    case sql

    var testDescription: String { rawValue }

    var folder: String { self == .rails ? "db/migrate" : "db/migrations" }
    var deployedPath: String { folder + "/20240101000000_create_users" + (self == .rails ? ".rb" : ".sql") }
    func migration(_ stem: String) -> String { folder + "/" + stem + (self == .rails ? ".rb" : ".sql") }

    var deployedContents: String {
        switch self {
        case .rails: "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users\n  end\nend\n"
        case .sql: "CREATE TABLE users (\n  id bigint PRIMARY KEY\n);\n"
        }
    }

    /// A migration body that no rule of the ledger, order or naming family objects to.
    func body(_ table: String) -> String {
        switch self {
        case .rails:
            let name = table.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            return "class Create\(name) < ActiveRecord::Migration[7.1]\n  def change\n    create_table :\(table)\n  end\nend\n"
        case .sql: return "CREATE TABLE \(table) (\n  id bigint PRIMARY KEY\n);\n"
        }
    }

    /// Changes to the deployed file, from the smallest to a real one.
    enum Edit: String, Sendable {
        case lineEndings = "CRLF line endings"
        case reindent = "re-indentation"
        case comment = "an added comment"
        case token = "a changed token"
    }

    func deployedContents(after edit: Edit) -> String {
        switch edit {
        case .lineEndings: deployedContents.replacingOccurrences(of: "\n", with: "\r\n")
        case .reindent: deployedContents.replacingOccurrences(of: "\n  ", with: "\n    ")
        case .comment: (self == .rails ? "# Written by hand.\n" : "-- Written by hand.\n") + deployedContents
        case .token: deployedContents.replacingOccurrences(of: self == .rails ? ":users" : "users",
                                                           with: self == .rails ? ":accounts" : "accounts")
        }
    }

    /// The line where `Edit.token` changes the file.
    var tokenLine: Int { self == .rails ? 3 : 1 }
}

/// A bare server repository with the repository's own hook scripts installed, and a client
/// that pushes to it with the real `git push`. Every fixture lives in its own temporary folders
/// and hands the binary to the hooks through the push's environment, so tests run in parallel.
final class PushFixture {
    static let binary = builtProduct("migledger")
    static let hooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("hooks")
    static let zero = String(repeating: "0", count: 40)

    let server: GitFixture
    let client: GitFixture
    let flavor: PushFlavor
    private var clock = 0

    /// The environment of every git command: no user or system configuration (an autocrlf or a
    /// hooks path there would change what is pushed), and the binary for the server's hooks.
    private static let base = ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "MIGLEDGER": binary]

    init(flavor: PushFlavor = .rails) throws {
        self.flavor = flavor
        server = try GitFixture(bare: true)
        for hook in ["pre-receive", "post-receive"] {
            try FileManager.default.copyItem(atPath: Self.hooks.appendingPathComponent(hook).path,
                                             toPath: server.path + "/hooks/" + hook)
        }
        try server.git("config", "receive.advertisePushOptions", "true", environment: Self.base)
        client = try GitFixture()
        try client.git("remote", "add", "origin", server.path, environment: Self.base)
    }

    static func policy(_ flavor: PushFlavor, immutability: String = "line-endings", extra: String = "") -> String {
        """
        version: 1
        migrations:
          - path: \(flavor.folder)
            format: \(flavor == .rails ? "rails" : "sql")
        environments:
          production:
            deploys: ["refs/tags/v*"]
        overrides:
          allowed: [alice]
          variable: MIGLEDGER_PUSHER
        immutability: \(immutability)
        \(extra)
        """
    }

    /// A server whose `main` holds the policy and one migration, and whose production ran it:
    /// `v1.0` was pushed and post-receive recorded `refs/migledger/production`.
    static func deployed(_ flavor: PushFlavor = .rails, immutability: String = "line-endings") throws -> PushFixture {
        let fixture = try PushFixture(flavor: flavor)
        try fixture.client.write("migledger.yml", policy(flavor, immutability: immutability))
        try fixture.client.write(flavor.deployedPath, flavor.deployedContents)
        try fixture.commit("Create users")
        try fixture.expectAccepted(try fixture.push("main"))
        try fixture.tag("v1.0")
        let tagged = try fixture.expectAccepted(try fixture.push("v1.0"))
        #expect(tagged.stderr.contains("production: recorded 1 deploy(s)"), "\(tagged.stderr)")
        #expect(try fixture.serverRef("refs/migledger/production") != nil)
        return fixture
    }

    // MARK: client

    /// An hour after the previous one, from 2024-01-01: commits and tags sort as they are made.
    private func nextDate() -> String {
        clock += 1
        return "\(1_704_067_200 + clock * 3_600) +0000"
    }

    /// Fixed dates for git commands that commit on their own (merge, rebase).
    func dated() -> [String: String] {
        let date = nextDate()
        return ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
    }

    func head() throws -> String {
        try git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ arguments: String..., environment: [String: String] = [:], check: Bool = true) throws -> CommandResult {
        try client.git(arguments: arguments, environment: Self.base.merging(environment) { $1 }, check: check)
    }

    func write(_ path: String, _ contents: String) throws {
        try client.write(path, contents)
    }

    func remove(_ path: String) throws {
        try git("rm", "-q", path)
    }

    /// Commits everything with the next fixed date; the commit's full id.
    @discardableResult
    func commit(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message, environment: dated())
        return try head()
    }

    /// An annotated tag: its fixed date decides the deploy order, as DESIGN §3 says.
    func tag(_ name: String) throws {
        try git("tag", "-a", name, "-m", "Release \(name)", environment: ["GIT_COMMITTER_DATE": nextDate()])
    }

    /// Back to what the server's `main` holds, after a refused push.
    func resetToServer() throws {
        try git("fetch", "-q", "origin")
        try git("reset", "-q", "--hard", "origin/main")
    }

    /// `git push origin <arguments>` with the hooks' binary, the pusher and push options.
    func push(_ arguments: String..., pusher: String? = nil, options: [String] = []) throws -> CommandResult {
        var environment: [String: String] = [:]
        if let pusher { environment["MIGLEDGER_PUSHER"] = pusher }
        return try git(arguments: ["push"] + options.flatMap { ["-o", $0] } + ["origin"] + arguments, environment: environment)
    }

    @discardableResult
    func git(arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try client.git(arguments: arguments, environment: Self.base.merging(environment) { $1 }, check: false)
    }

    // MARK: server

    /// Every ref of the server with its target, the ledger's and the override log's included.
    func serverRefs() throws -> String {
        try server.git("for-each-ref", "--format=%(objectname) %(refname)", environment: Self.base).stdout
    }

    func serverRef(_ name: String) throws -> String? {
        let result = try server.git("rev-parse", "--verify", "-q", name, environment: Self.base, check: false)
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    @discardableResult
    func serverGit(_ arguments: String...) throws -> CommandResult {
        try server.git(arguments: arguments, environment: Self.base)
    }

    func serverHas(_ object: String) throws -> Bool {
        try server.git("cat-file", "-e", object, environment: Self.base, check: false).status == 0
    }

    /// The binary run as git runs a hook: in the server repository, with `GIT_DIR` set.
    func hook(_ name: String, stdin: String) throws -> CommandResult {
        try run(Self.binary, ["hook", name], in: server.path,
                environment: Self.base.merging(["GIT_DIR": server.path]) { $1 }, stdin: stdin, check: false)
    }

    /// `migledger <arguments> -C <server>`, as an administrator runs it on the git server.
    func migledger(_ arguments: String...) throws -> CommandResult {
        try run(Self.binary, arguments + ["-C", server.path], in: server.path, environment: Self.base, check: false)
    }

    // MARK: verdicts

    /// A push accepted by both hooks, leaving a sound repository.
    @discardableResult
    func expectAccepted(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        #expect(result.status == 0, "push refused:\n\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("hook declined"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("could not update the ledger"), "\(result.stderr)", sourceLocation: sourceLocation)
        try expectSound(sourceLocation: sourceLocation)
        return result
    }

    /// Runs a push that must be refused by the pre-receive hook, and checks what every refusal
    /// owes: the message names what it should, no ref of the server moved (ledger and override
    /// log included), the pushed objects were dropped with git's quarantine, and `fsck` is clean.
    @discardableResult
    func expectRefused(mentioning expected: [String], absent objects: [String] = [],
                       sourceLocation: SourceLocation = #_sourceLocation,
                       _ push: () throws -> CommandResult) throws -> CommandResult {
        let before = try serverRefs()
        let result = try push()
        #expect(result.status != 0, "push accepted:\n\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("pre-receive hook declined"), "\(result.stderr)", sourceLocation: sourceLocation)
        for text in expected {
            #expect(result.stderr.contains(text), "missing '\(text)' in:\n\(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(try serverRefs() == before, "a refused push moved refs", sourceLocation: sourceLocation)
        for object in objects {
            #expect(try !serverHas(object), "\(object) of a refused push is in the server", sourceLocation: sourceLocation)
        }
        try expectSound(sourceLocation: sourceLocation)
        return result
    }

    /// `git fsck --strict` finds nothing, and no quarantine folder was left behind.
    func expectSound(sourceLocation: SourceLocation = #_sourceLocation) throws {
        // Dangling objects are no damage: a deleted branch leaves its commits, and the ledger's
        // first commit leaves the empty tree (MigGit's writeTree stores it as its base).
        let fsck = try server.git("fsck", "--strict", "--no-progress", "--no-dangling", environment: Self.base, check: false)
        #expect(fsck.status == 0 && fsck.stdout.isEmpty && fsck.stderr.isEmpty,
                "fsck: \(fsck.status)\n\(fsck.stdout)\(fsck.stderr)", sourceLocation: sourceLocation)
        let objects = try FileManager.default.contentsOfDirectory(atPath: server.path + "/objects")
        #expect(!objects.contains { $0.hasPrefix("tmp_objdir") }, "\(objects)", sourceLocation: sourceLocation)
    }

    /// The short id the hook prints for a commit.
    static func short(_ commit: String) -> String { "commit " + commit.prefix(12) }
}

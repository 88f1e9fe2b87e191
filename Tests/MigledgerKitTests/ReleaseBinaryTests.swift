import Foundation
import Testing
import TestSupport

/// The release binary, built once per test run and shared by every test that runs it.
enum ReleaseBinary {
    struct BuildFailed: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    /// Swift initializes a static once even when tests race for it, so there is one build.
    static let built: Result<String, BuildFailed> = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        // Not the tests' scratch path: `swift test` holds its lock, and a nested build would wait forever.
        // Linked as shipped: the Swift runtime inside, so a server needs only the C libraries.
        let arguments = ["build", "-c", "release", "--static-swift-stdlib", "--product", "migledger",
                         "--scratch-path", root + "/.build-e2e"]
        // `run` points HOME at the temp folder; SwiftPM keeps its caches and configuration under the real one.
        let environment = ["HOME": ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()]
        do {
            try run("swift", arguments, in: root, environment: environment)
            let folder = try run("swift", arguments + ["--show-bin-path"], in: root, environment: environment)
            return .success(folder.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/migledger")
        } catch {
            return .failure(BuildFailed(description: "building the release binary failed: \(error)"))
        }
    }()

    /// A copy of the binary alone in an empty folder, as on a git server: it must need nothing
    /// from the source tree, presets included.
    static func copy(into folder: TemporaryDirectory) throws -> String {
        let copy = folder.path + "/migledger"
        try FileManager.default.copyItem(atPath: try built.get(), toPath: copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["migledger"])
        return copy
    }
}

/// A few runs of the real binary: what only a process shows (exit codes, stdout against
/// stderr, embedded presets). Serialized, so one test waits for the build, not every thread.
@Suite(.serialized) struct ReleaseBinaryTests {
    @Test func versionAndHelpOfEveryCommand() throws {
        let folder = try TemporaryDirectory()
        let binary = try ReleaseBinary.copy(into: folder)

        let version = try run(binary, ["--version"], in: folder.path)
        #expect(version.stdout.hasPrefix("migledger 0.1.0 (libgit2 "))

        let libraries = try run("ldd", [binary]).stdout
        #expect(!libraries.contains("libswift") && !libraries.contains("Foundation"), "needs a Swift runtime: \(libraries)")

        for command in [[], ["init"], ["ledger"], ["ledger", "sync"], ["ledger", "record"], ["ledger", "show"],
                        ["ledger", "verify"], ["audit"], ["check"], ["gate"], ["roundtrip"], ["hook"], ["hook", "pre-receive"],
                        ["hook", "post-receive"], ["rules"]] {
            let help = try run(binary, command + ["--help"], in: folder.path, check: false)
            #expect(help.status == 0, "\(command)")
            #expect(help.stdout.contains("USAGE: " + (["migledger"] + command).joined(separator: " ")), "\(command)")
        }
    }

    @Test func initInARailsRepositoryThenAgain() throws {
        let folder = try TemporaryDirectory()
        let binary = try ReleaseBinary.copy(into: folder)
        let fixture = try GitFixture()
        try FormatProject.rails.commit(into: fixture)

        let first = try run(binary, ["init"], in: fixture.path, check: false)
        #expect(first.status == 0, "\(first.stderr)")
        let written = try String(contentsOfFile: fixture.path + "/migledger.yml", encoding: .utf8)
        #expect(first.stdout == written)
        #expect(written.contains("  - path: db/migrate\n    format: rails"))
        #expect(written.contains("extends: recommended"))
        #expect(first.stderr.contains("wrote ") && first.stderr.contains("1 migration set(s), environments production"))

        // Reading the new policy resolves `extends: recommended` from the presets compiled in.
        let show = try run(binary, ["ledger", "show"], in: fixture.path, check: false)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("production (refs/migledger/production): no ledger yet"))

        let again = try run(binary, ["init"], in: fixture.path, check: false)
        #expect(again.status == 2)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.hasPrefix("migledger: error: migledger.yml already exists"))
        #expect(again.stderr.contains("--force"))
        #expect(try String(contentsOfFile: fixture.path + "/migledger.yml", encoding: .utf8) == written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["migledger"])
    }

    @Test func badPolicyMakesLedgerShowExitTwo() throws {
        let folder = try TemporaryDirectory()
        let binary = try ReleaseBinary.copy(into: folder)
        let fixture = try GitFixture()
        try FormatProject.rails.commit(into: fixture)
        try fixture.write("migledger.yml", "version: 1\nrules:\n  prefer-text-feld: off\n")

        let show = try run(binary, ["ledger", "show"], in: fixture.path, check: false)
        #expect(show.status == 2)
        #expect(show.stdout.isEmpty)
        #expect(show.stderr.hasPrefix("migledger: error: "))
        #expect(show.stderr.contains(
            "migledger.yml:3:3: rules.prefer-text-feld: unknown rule 'prefer-text-feld' (did you mean 'prefer-text-field'?)\n"))
    }

    @Test func badUsageExitsTwo() throws {
        let folder = try TemporaryDirectory()
        let binary = try ReleaseBinary.copy(into: folder)
        let result = try run(binary, ["init", "--format", "liquibase"], in: folder.path, check: false)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("The value 'liquibase' is invalid for '--format <format>'"))
    }
}

public import Foundation

public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public struct CommandFailed: Error, CustomStringConvertible {
    public let command: String
    public let result: CommandResult
    public var description: String {
        "`\(command)` exited \(result.status)\nstdout: \(result.stdout)\nstderr: \(result.stderr)"
    }
}

/// Runs a program with arguments (no shell), optionally with stdin and extra environment.
@discardableResult
public func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                environment: [String: String] = [:], stdin: String? = nil,
                check: Bool = true) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for key in env.keys where key.hasPrefix("GIT_") { env[key] = nil }
    env["GIT_AUTHOR_NAME"] = "Test Author"
    env["GIT_AUTHOR_EMAIL"] = "author@example.com"
    env["GIT_COMMITTER_NAME"] = "Test Committer"
    env["GIT_COMMITTER_EMAIL"] = "committer@example.com"
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["HOME"] = FileManager.default.temporaryDirectory.path
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let outData = readAll(out.fileHandleForReading, alongside: err.fileHandleForReading)
    process.waitUntilExit()
    let result = CommandResult(status: process.terminationStatus,
                               stdout: String(decoding: outData.0, as: UTF8.self),
                               stderr: String(decoding: outData.1, as: UTF8.self))
    if check && result.status != 0 {
        throw CommandFailed(command: ([executable] + arguments).joined(separator: " "), result: result)
    }
    return result
}

/// Drains both pipes concurrently so a child that fills one of them cannot deadlock.
private func readAll(_ out: FileHandle, alongside err: FileHandle) -> (Data, Data) {
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.readDataToEndOfFile()
    group.wait()
    return (outData, errData)
}

/// A git repository made with the git CLI in a temporary folder, for building fixtures.
public final class GitFixture: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public var path: String { directory.path }

    public init(bare: Bool = false, initialBranch: String = "main") throws {
        directory = try TemporaryDirectory("migledger-repo")
        var args = ["init", "-q", "-b", initialBranch]
        if bare { args.append("--bare") }
        try run("git", args + [directory.path])
    }

    @discardableResult
    public func git(_ arguments: String..., environment: [String: String] = [:],
                    stdin: String? = nil, check: Bool = true) throws -> CommandResult {
        try run("git", arguments, in: path, environment: environment, stdin: stdin, check: check)
    }

    @discardableResult
    public func git(arguments: [String], environment: [String: String] = [:],
                    stdin: String? = nil, check: Bool = true) throws -> CommandResult {
        try run("git", arguments, in: path, environment: environment, stdin: stdin, check: check)
    }

    @discardableResult
    public func write(_ relativePath: String, _ contents: String) throws -> URL {
        try directory.write(relativePath, contents)
    }

    @discardableResult
    public func write(_ relativePath: String, bytes: [UInt8]) throws -> URL {
        try directory.write(relativePath, bytes: bytes)
    }

    /// Stages everything and commits with a fixed date, returning the new commit id.
    @discardableResult
    public func commitAll(_ message: String, date: String = "2024-01-01T12:00:00Z") throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message,
                environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        return try git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A bare clone of this repository, for tests that need a server-side (work-tree-less) view.
    public func bareClone() throws -> GitFixture {
        let clone = try GitFixture(bare: true)
        try run("git", ["clone", "-q", "--bare", "--mirror", path, clone.path + ".tmp"])
        try FileManager.default.removeItem(atPath: clone.path)
        try FileManager.default.moveItem(atPath: clone.path + ".tmp", toPath: clone.path)
        return clone
    }
}

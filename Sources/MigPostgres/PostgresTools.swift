public import Foundation

/// The PostgreSQL programs migledger runs: found on PATH or in Debian's versioned folders.
public struct PostgresTools: Sendable {
    /// The folder holding `initdb`, `postgres` and `pg_dump` of one version.
    public let binDirectory: String

    public var initdb: String { binDirectory + "/initdb" }
    public var postgres: String { binDirectory + "/postgres" }
    public var pgDump: String { binDirectory + "/pg_dump" }

    /// The folder of the first `initdb` on PATH (links followed, so a link in a shared folder
    /// leads to its version's folder), else the newest `/usr/lib/postgresql/<version>/bin`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> PostgresTools? {
        let fileManager = FileManager.default
        for folder in (environment["PATH"] ?? "").split(separator: ":").map(String.init) {
            let initdb = URL(fileURLWithPath: folder).appendingPathComponent("initdb")
            guard fileManager.isExecutableFile(atPath: initdb.path) else { continue }
            let resolved = initdb.resolvingSymlinksInPath().deletingLastPathComponent().path
            if let tools = complete(resolved) { return tools }
        }
        let debian = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: debian)) ?? [])
            .compactMap { name in Int(name).map { ($0, name) } }
            .sorted { $0.0 > $1.0 }
        for (_, name) in versions {
            if let tools = complete("\(debian)/\(name)/bin") { return tools }
        }
        return nil
    }

    private static func complete(_ folder: String) -> PostgresTools? {
        let fileManager = FileManager.default
        let all = ["initdb", "postgres", "pg_dump"].allSatisfy { fileManager.isExecutableFile(atPath: "\(folder)/\($0)") }
        return all ? PostgresTools(binDirectory: folder) : nil
    }

    /// What to tell a user whose machine lacks the server programs.
    public static let installHint = "install PostgreSQL's server programs (Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql`), or give an existing server with --database"

    /// `pg_dump` for a server given by URL: the one on PATH (Debian's wrapper picks the version
    /// matching the server), else the newest installed.
    public static func pgDump(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(folder)/pg_dump"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return locate(environment: environment)?.pgDump
    }
}

/// Runs a program to its end and returns what it printed; a failure carries its stderr.
func runTool(_ executable: String, _ arguments: [String], in directory: String? = nil,
             environment: [String: String] = [:]) throws(PostgresError) -> String {
    let process = Process()
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        throw PostgresError(kind: .tool, message: "cannot run \(executable): \(error.localizedDescription)")
    }
    // stderr is drained beside stdout, so a chatty program cannot block on a full pipe.
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errorData = errors.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let status = process.terminationStatus
    guard status == 0 else {
        let message = String(decoding: errorData, as: UTF8.self).trimmingTrailingNewlines
        throw PostgresError(kind: .tool, message: "\(URL(fileURLWithPath: executable).lastPathComponent) failed (exit \(status)): \(message)")
    }
    return String(decoding: outputData, as: UTF8.self)
}

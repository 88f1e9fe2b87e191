public import Foundation
import MigCore

/// A throwaway PostgreSQL server: a fresh cluster in a temporary folder, reachable only through
/// a unix socket in that folder, removed by `stop()`, at process exit, and on SIGINT or SIGTERM.
///
/// PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres`
/// account (else `nobody`) and its programs start through `setpriv`, which execs them in place:
/// the child the server stops is the postmaster itself.
public final class EphemeralPostgres: @unchecked Sendable {
    /// Where to connect: the socket folder, the superuser, the `postgres` database.
    public let parameters: ConnectionParameters
    public let tools: PostgresTools
    public let directory: URL
    private let lock = NSLock()
    /// Held for a whole stop, so a second caller (a signal handler while the main thread
    /// stops, or the other way round) returns only once the folder is gone.
    private let stopping = NSLock()
    private var server: Process?

    public static func start(tools: PostgresTools? = PostgresTools.locate()) throws(PostgresError) -> EphemeralPostgres {
        guard let tools else {
            throw PostgresError(kind: .tool, message: "no PostgreSQL server programs (initdb, postgres, pg_dump) found on PATH or under /usr/lib/postgresql; \(PostgresTools.installHint)")
        }
        let directory: URL
        do {
            directory = try Self.makeDirectory()
        } catch {
            throw PostgresError(kind: .tool, message: "cannot create a folder for the temporary server: \(error.localizedDescription)")
        }
        let server = EphemeralPostgres(tools: tools, directory: directory)
        Cleanup.shared.register(server)
        do {
            try server.launch()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(tools: PostgresTools, directory: URL) {
        self.tools = tools
        self.directory = directory
        parameters = ConnectionParameters(["host": directory.path, "port": "5432", "user": "postgres", "dbname": "postgres"])
    }

    deinit {
        stop()
    }

    /// A socket path has room for about 100 bytes, so the folder goes in a short temporary
    /// folder (`TMPDIR`, else `/tmp`); under root, one the server's account can reach.
    private static func makeDirectory() throws -> URL {
        let preferred = NSTemporaryDirectory()
        let base = preferred.utf8.count <= 60 && (getuid() != 0 || reachableByEveryone(preferred)) ? preferred : "/tmp"
        var template = Array(URL(fileURLWithPath: base).appendingPathComponent("migledger-pg-XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return URL(fileURLWithPath: String(cString: made))
    }

    /// True when every folder on the way to `path` lets other accounts pass through.
    private static func reachableByEveryone(_ path: String) -> Bool {
        var folder = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var info = stat()
            guard stat(folder.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
            guard folder.path != "/" else { return true }
            folder.deleteLastPathComponent()
        }
    }

    private func launch() throws(PostgresError) {
        let account = try Self.serverAccount()
        let data = directory.appendingPathComponent("data").path
        if let account, chown(directory.path, account.uid, account.gid) != 0 {
            throw PostgresError(kind: .tool, message: "cannot hand \(directory.path) to the \(account.name) account: \(String(cString: strerror(errno)))")
        }
        let initdb = try Self.command(as: account, tools.initdb, [
            "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        ])
        _ = try runTool(initdb.executable, initdb.arguments, in: directory.path)
        // No TCP listener: the socket in the private folder is the only way in.
        let postgres = try Self.command(as: account, tools.postgres, [
            "-D", data, "-k", directory.path, "-p", "5432",
            "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        ])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: postgres.executable)
        process.arguments = postgres.arguments
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try? FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PostgresError(kind: .tool, message: "cannot start \(tools.postgres): \(error.localizedDescription)")
        }
        lock.withLock { server = process }
        let deadline = Date().addingTimeInterval(30)
        while !serverAccepts(parameters) {
            let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            guard process.isRunning else {
                throw PostgresError(kind: .tool, message: "the temporary PostgreSQL server stopped while starting: \(logText.trimmingTrailingNewlines)")
            }
            guard Date() < deadline else {
                throw PostgresError(kind: .tool, message: "the temporary PostgreSQL server did not accept connections within 30 seconds: \(logText.trimmingTrailingNewlines)")
            }
            usleep(20_000)
        }
    }

    /// Stops the server (fast shutdown, then a kill if it lingers) and removes its folder.
    /// Safe to call more than once and from a signal handler's queue.
    public func stop() {
        stopping.lock()
        defer { stopping.unlock() }
        let process = lock.withLock { () -> Process? in
            defer { server = nil }
            return server
        }
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGINT)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(at: directory)
        Cleanup.shared.unregister(self)
    }

    private struct Account {
        let name: String
        let uid: uid_t
        let gid: gid_t
    }

    /// The unprivileged account to run the server as when this process is root; nil otherwise.
    private static func serverAccount() throws(PostgresError) -> Account? {
        guard getuid() == 0 else { return nil }
        for name in ["postgres", "nobody"] {
            if let entry = getpwnam(name) {
                return Account(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
            }
        }
        throw PostgresError(kind: .tool, message: "PostgreSQL refuses to run as root, and there is no `postgres` or `nobody` account to run it as")
    }

    /// `program` with `arguments`, run as `account` when there is one.
    private static func command(as account: Account?, _ program: String,
                                _ arguments: [String]) throws(PostgresError) -> (executable: String, arguments: [String]) {
        guard let account else { return (program, arguments) }
        guard let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw PostgresError(kind: .tool, message: "PostgreSQL refuses to run as root, and setpriv (util-linux) is missing to run it as \(account.name); run migledger as another user or install util-linux")
        }
        return (setpriv, ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--clear-groups", "--", program] + arguments)
    }
}

extension EphemeralPostgres {
    /// Whether this process started a temporary server, whose exit handler must then run.
    public static var anyStarted: Bool { Cleanup.created.withLock { $0 } }
}

/// Every running temporary server, stopped when the process exits or is interrupted.
final class Cleanup: @unchecked Sendable {
    static let shared = Cleanup()
    static let created = Locked(false)
    private let lock = NSLock()
    private var servers: [ObjectIdentifier: EphemeralPostgres] = [:]
    private var signalSources: [any DispatchSourceSignal] = []
    private var interrupted = false

    private init() {
        Cleanup.created.withLock { $0 = true }
        atexit {
            Cleanup.shared.processExits()
        }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Cleanup.shared.lock.withLock { Cleanup.shared.interrupted = true }
                Cleanup.shared.stopAll()
                // The conventional status of a process ended by this signal.
                _exit(128 + signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    func register(_ server: EphemeralPostgres) {
        lock.withLock { servers[ObjectIdentifier(server)] = server }
    }

    func unregister(_ server: EphemeralPostgres) {
        lock.withLock { servers[ObjectIdentifier(server)] = nil }
    }

    func stopAll() {
        let running = lock.withLock { Array(servers.values) }
        running.forEach { $0.stop() }
    }

    /// At exit, servers still running are stopped. After an interrupt, the main thread may
    /// reach exit (its queries fail as the server stops) while the handler still cleans up: it
    /// waits here for the handler to end the process with the signal's status.
    private func processExits() {
        if lock.withLock({ interrupted }) {
            while true { sleep(1) }
        }
        stopAll()
    }
}

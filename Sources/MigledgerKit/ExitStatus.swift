import MigGit
import MigPolicy
import MigPostgres
import Foundation

/// The process exit codes of DESIGN §4.
public enum ExitStatus: Int32, Sendable {
    /// Passed; warnings allowed.
    case passed = 0
    /// A finding at error severity blocks.
    case blocked = 1
    /// Bad usage, bad input or a bad policy.
    case usage = 2
    /// Git, database, network or internal failure.
    case failure = 3
}

/// An error the user can act on, with the exit status it maps to.
public struct UserFacingError: Error, Sendable, CustomStringConvertible {
    public let status: ExitStatus
    public let message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

extension ExitStatus {
    /// The exit status for any error migledger can meet: its own errors carry one, policy
    /// problems are bad input, everything from git is a failure of the environment.
    public static func forError(_ error: any Error) -> ExitStatus {
        switch error {
        case let error as UserFacingError: error.status
        case is PolicyError: .usage
        case is GitError: .failure
        case is PostgresError: .failure
        case let error as any ExitStatusProviding: error.exitStatus
        default: .failure
        }
    }
}

/// Errors of other modules that know which exit status they mean.
public protocol ExitStatusProviding: Error {
    var exitStatus: ExitStatus { get }
}

/// Ends the process after a command that passed. Unless it started a temporary PostgreSQL
/// server (whose exit handler stops it), the exit handlers of the C libraries linked in
/// (OpenSSL, GnuTLS, libcurl and theirs) are skipped: they only free memory the process hands
/// back anyway, and took some 3 ms of every run, a tenth of an incremental ledger sync.
public func endPassedRun() -> Never {
    if EphemeralPostgres.anyStarted { exit(ExitStatus.passed.rawValue) }
    fflush(nil)
    _exit(ExitStatus.passed.rawValue)
}

internal import CGit2

/// A libgit2 failure, carrying libgit2's own message and what migledger was doing.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case notFound
        case exists
        /// A compare-and-swap ref update lost the race: the ref no longer has the expected value.
        case modified
        case locked
        case ambiguous
        case invalidSpec
        case other(Int32)
    }

    public let code: Code
    public let operation: String
    public let message: String

    public init(code: Code, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    public var description: String {
        message.isEmpty ? "git: \(operation) failed" : "git: \(operation): \(message)"
    }

    /// Builds the error from libgit2's thread-local last error; call it right after the failure.
    static func last(_ result: Int32, _ operation: @autoclosure () -> String) -> GitError {
        let message: String
        if let error = git_error_last(), let text = error.pointee.message {
            message = String(cString: text).trimmingTrailingNewlines()
        } else {
            message = ""
        }
        let code: Code = switch result {
        case GIT_ENOTFOUND.rawValue: .notFound
        case GIT_EEXISTS.rawValue: .exists
        case GIT_EMODIFIED.rawValue: .modified
        case GIT_ELOCKED.rawValue: .locked
        case GIT_EAMBIGUOUS.rawValue: .ambiguous
        case GIT_EINVALIDSPEC.rawValue: .invalidSpec
        default: .other(result)
        }
        return GitError(code: code, operation: operation(), message: message)
    }
}

/// Throws a `GitError` when a libgit2 call returned a negative code.
@inline(__always)
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
    if result < 0 { throw GitError.last(result, operation()) }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}

import ArgumentParser
import Foundation
import MigledgerKit

/// Runs a command body, printing errors as one clear message on stderr and exiting with the
/// status DESIGN §4 gives them, never with a stack trace.
func runReporting(_ body: () throws -> ExitStatus) throws {
    let status: ExitStatus
    do {
        status = try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("migledger: error: \(error)\n".utf8))
        status = ExitStatus.forError(error)
    }
    if status != .passed { throw ExitCode(status.rawValue) }
}

func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

func printErr(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// Colors only on a terminal, and never when NO_COLOR is set.
var standardOutputIsColorTerminal: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
}

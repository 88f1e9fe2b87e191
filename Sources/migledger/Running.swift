import ArgumentParser
import Foundation
import MigCore
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
    write(text, to: STDOUT_FILENO)
}

func printErr(_ text: String) {
    write(text, to: STDERR_FILENO)
}

/// Writes the text's bytes in place: a lint report can be tens of megabytes, and `Data` would
/// copy it first. A reader that went away (EPIPE) or another error ends the writing quietly, as
/// nothing is left to report it to.
private func write(_ text: String, to descriptor: Int32) {
    var text = text
    _ = text.withUTF8 { writeFully($0, to: descriptor) }
}

/// Colors only on a terminal, and never when NO_COLOR is set.
var standardOutputIsColorTerminal: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
}

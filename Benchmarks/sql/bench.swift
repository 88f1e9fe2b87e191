// The SQL parse benchmark's program; run.sh builds it in release with MigSQL and runs it.
//
// Rates are per second of this process's CPU time, best of the runs: on a machine shared with
// other builds wall time says more about them than about the parser; wall time is shown too.
//
//   bench CORPUS throughput [RUNS]   statements per second, best of RUNS (default 5), for:
//                                    libpg_query alone, libpg_query + JSONSerialization,
//                                    libpg_query + migledger's JSON index, and SQLDocument.parse
//   bench CORPUS collect|stream      one SQLDocument.parse of the whole file, kept whole or read
//                                    statement by statement; time and peak memory
internal import CPgQuery
import Foundation
@testable import MigSQL

let arguments = CommandLine.arguments
guard arguments.count >= 3, let bytes = FileManager.default.contents(atPath: arguments[1]).map(Array.init) else {
    FileHandle.standardError.write(Data("usage: bench CORPUS throughput [RUNS] | collect | stream\n".utf8))
    exit(2)
}

struct Time {
    var cpu: Double
    var wall: Double
}

func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func measure(_ body: () -> Void) -> Time {
    let cpu = cpuSeconds(), wall = DispatchTime.now().uptimeNanoseconds
    body()
    return Time(cpu: cpuSeconds() - cpu, wall: Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9)
}

/// Peak resident memory of this process so far, from /proc (Linux).
func peakMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

func row(_ name: String, _ statements: Int, _ time: Time) {
    print(String(format: "| %@ | %.0f | %.3f | %.3f |", name, Double(statements) / time.cpu, time.cpu, time.wall))
}

func summary(_ mode: String, statements: Int, time: Time) {
    print(String(format: "%@: %d statements, %.0f MB: %.2f s CPU (%.2f s wall), %.0f statements/s, %.1f MB/s, peak memory %.0f MB",
                 mode, statements, Double(bytes.count) / 1e6, time.cpu, time.wall, Double(statements) / time.cpu,
                 Double(bytes.count) / time.cpu / 1e6, peakMegabytes()))
}

switch arguments[2] {
case "throughput":
    let runs = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
    let document = SQLDocument.parse(bytes)
    let texts = document.statements.filter { $0.origin == .file }.map { Array($0.text.utf8) + [0] }
    let statements = texts.count
    print("\(statements) statements, \(bytes.count) bytes, \(document.statements.count - statements) more in DO blocks, "
          + "\(document.statements.filter { $0.error != nil }.count) errors\n")
    print("| what | statements/s | CPU s | wall s |\n|---|---:|---:|---:|")
    func best(_ body: () -> Void) -> Time { (0..<runs).map { _ in measure(body) }.min { $0.cpu < $1.cpu }! }
    row("libpg_query `pg_query_parse` alone", statements, best {
        for text in texts { pg_query_free_parse_result(text.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { pg_query_parse($0.baseAddress) } }) }
    })
    row("libpg_query + Foundation `JSONSerialization`", statements, best {
        for text in texts {
            let result = text.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { pg_query_parse($0.baseAddress) } }
            let json = Data(bytes: result.parse_tree, count: strlen(result.parse_tree))
            _ = try! JSONSerialization.jsonObject(with: json)
            pg_query_free_parse_result(result)
        }
    })
    let locator = Locator(origin: .contiguous(base: 0), map: OffsetMap(edits: []))
    row("libpg_query + migledger's JSON index (`PGTree`)", statements, best {
        for text in texts { _ = try! PostgresParser.parse(Array(text.dropLast()), locator: locator) { _ in SourceLocation(offset: 0, line: 1, column: 1) } }
    })
    row("`SQLDocument.parse`: split, parse, tree, DO bodies", statements, best { _ = SQLDocument.parse(bytes) })
case "collect":
    var document: SQLDocument?
    let time = measure { document = SQLDocument.parse(bytes) }
    summary("collect", statements: document!.statements.filter { $0.origin == .file }.count, time: time)
case "stream":
    var statements = 0
    let time = measure { _ = SQLDocument.parse(bytes) { if $0.origin == .file { statements += 1 } } }
    summary("stream", statements: statements, time: time)
default:
    FileHandle.standardError.write(Data("unknown mode \(arguments[2])\n".utf8))
    exit(2)
}

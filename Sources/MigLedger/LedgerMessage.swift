public import MigCore
public import MigGit

/// The message of one ledger commit: a summary line and git trailers (DESIGN §3).
///
/// Paths that are not plain printable UTF-8 are written C-quoted, as git quotes them, so every
/// byte of a path survives the round trip through a commit message.
public struct LedgerMessage: Sendable, Hashable {
    public var environment: String
    public var sourceCommit: ObjectID
    /// The deploy marker's ref name, or `record` for an explicit `ledger record`.
    public var marker: String
    public var deployedAt: GitTime
    /// Paths first deployed by this commit.
    public var added: [RepoPath]
    /// Deployed paths whose bytes the marker changed: path and the marker's blob.
    public var drift: [Drifted]
    /// Deployed paths the marker no longer has although it descends from their deploy.
    public var deleted: [RepoPath]
    /// Deployed paths the marker lacks because it does not descend from their deploy.
    public var rolledBack: [RepoPath]

    public struct Drifted: Sendable, Hashable {
        public let path: RepoPath
        public let blob: ObjectID

        public init(path: RepoPath, blob: ObjectID) {
            self.path = path
            self.blob = blob
        }
    }

    public static let recordMarker = "record"

    public init(environment: String, sourceCommit: ObjectID, marker: String, deployedAt: GitTime,
                added: [RepoPath] = [], drift: [Drifted] = [], deleted: [RepoPath] = [], rolledBack: [RepoPath] = []) {
        self.environment = environment
        self.sourceCommit = sourceCommit
        self.marker = marker
        self.deployedAt = deployedAt
        self.added = added
        self.drift = drift
        self.deleted = deleted
        self.rolledBack = rolledBack
    }

    public var text: String {
        let shortMarker = marker == Self.recordMarker ? "commit \(sourceCommit.shortHex)" : marker
        var lines = ["Deploy \(shortMarker) to \(environment)", ""]
        lines.append("Environment: \(environment)")
        lines.append("Source-Commit: \(sourceCommit.hex)")
        lines.append("Marker: \(marker)")
        lines.append("Deployed-At: \(Timestamp.iso8601(deployedAt))")
        lines += added.map { "Added: \(PathQuoting.quote($0))" }
        lines += drift.map { "Drift: \($0.blob.hex) \(PathQuoting.quote($0.path))" }
        lines += deleted.map { "Deleted: \(PathQuoting.quote($0))" }
        lines += rolledBack.map { "Rolled-Back: \(PathQuoting.quote($0))" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses a ledger commit message; the error names the first trailer that is wrong.
    public init(parsing message: String) throws(LedgerMessageError) {
        // Byte-level: a sync reads every commit of the chain, and splitting Strings into
        // Characters cost more than reading the commits.
        var environment: String?, source: ObjectID?, marker: String?, deployedAt: GitTime?
        var added: [RepoPath] = [], drift: [Drifted] = [], deleted: [RepoPath] = [], rolledBack: [RepoPath] = []
        let bytes = Array(message.utf8)
        let newline = UInt8(ascii: "\n"), colon = UInt8(ascii: ":"), space = UInt8(ascii: " ")
        var start = 0
        var inTrailers = false
        func text(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
            let line = bytes[start..<end]
            start = end + 1
            if !inTrailers {
                if line.isEmpty { inTrailers = true }
                continue
            }
            if line.isEmpty { continue }
            guard let colonIndex = line.firstIndex(of: colon) else {
                throw LedgerMessageError("'\(text(line))' is not a trailer")
            }
            let key = line[line.startIndex..<colonIndex]
            var valueStart = colonIndex + 1
            while valueStart < line.endIndex, line[valueStart] == space { valueStart += 1 }
            let value = line[valueStart...]
            func path(_ value: ArraySlice<UInt8>) throws(LedgerMessageError) -> RepoPath {
                if let first = value.first, first != UInt8(ascii: "\"") { return RepoPath(bytes: Array(value)) }
                guard let path = PathQuoting.unquote(text(value)) else {
                    throw LedgerMessageError("\(text(key)): '\(text(value))' is not a valid path")
                }
                return path
            }
            switch text(key) {
            case "Environment": environment = text(value)
            case "Source-Commit":
                guard let id = ObjectID(hex: text(value)) else { throw LedgerMessageError("Source-Commit: '\(text(value))' is not a commit id") }
                source = id
            case "Marker": marker = text(value)
            case "Deployed-At":
                guard let time = Timestamp.parse(text(value)) else {
                    throw LedgerMessageError("Deployed-At: '\(text(value))' is not an ISO 8601 UTC time")
                }
                deployedAt = time
            case "Added": added.append(try path(value))
            case "Deleted": deleted.append(try path(value))
            case "Rolled-Back": rolledBack.append(try path(value))
            case "Drift":
                guard let spaceIndex = value.firstIndex(of: space), let blob = ObjectID(hex: text(value[..<spaceIndex])),
                      let drifted = try? path(value[(spaceIndex + 1)...]) else {
                    throw LedgerMessageError("Drift: '\(text(value))' is not '<blob> <path>'")
                }
                drift.append(Drifted(path: drifted, blob: blob))
            default:
                throw LedgerMessageError("unknown trailer '\(text(key))'")
            }
        }
        guard inTrailers else { throw LedgerMessageError("the message has no trailers") }
        guard let environment, !environment.isEmpty else { throw LedgerMessageError("the Environment trailer is missing") }
        guard let source else { throw LedgerMessageError("the Source-Commit trailer is missing") }
        guard let marker, !marker.isEmpty else { throw LedgerMessageError("the Marker trailer is missing") }
        guard let deployedAt else { throw LedgerMessageError("the Deployed-At trailer is missing") }
        self.init(environment: environment, sourceCommit: source, marker: marker, deployedAt: deployedAt,
                  added: added, drift: drift, deleted: deleted, rolledBack: rolledBack)
    }
}

public struct LedgerMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Git-style C quoting of paths, so trailers stay one line and keep every byte.
enum PathQuoting {
    static func quote(_ path: RepoPath) -> String {
        let needsQuoting = path.string == nil || path.bytes.contains { byte in
            byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
        } || path.bytes.first == UInt8(ascii: " ") || path.bytes.last == UInt8(ascii: " ")
        guard needsQuoting else { return path.string! }
        var out = "\""
        for byte in path.bytes {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\t"): out += "\\t"
            case UInt8(ascii: "\n"): out += "\\n"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out + "\""
    }

    static func unquote(_ text: some StringProtocol) -> RepoPath? {
        guard text.first == "\"" else {
            return text.isEmpty ? nil : RepoPath(String(text))
        }
        guard text.count >= 2, text.last == "\"" else { return nil }
        let inner = Array(text.utf8.dropFirst().dropLast())
        var bytes: [UInt8] = []
        var index = 0
        while index < inner.count {
            let byte = inner[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            guard index + 1 < inner.count else { return nil }
            let next = inner[index + 1]
            switch next {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(next); index += 2
            case UInt8(ascii: "t"): bytes.append(0x09); index += 2
            case UInt8(ascii: "n"): bytes.append(0x0A); index += 2
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                guard index + 3 < inner.count,
                      let value = UInt8(String(decoding: inner[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) else {
                    return nil
                }
                bytes.append(value)
                index += 4
            default: return nil
            }
        }
        return bytes.isEmpty ? nil : RepoPath(bytes: bytes)
    }
}

/// ISO 8601 UTC timestamps (`2024-05-05T05:05:05Z`) without Foundation's formatter, whose
/// behaviour differs across platforms.
public enum Timestamp {
    public static func iso8601(_ time: GitTime) -> String {
        let days = Int(floorDivide(time.seconds, 86_400))
        let secondsOfDay = Int(time.seconds - Int64(days) * 86_400)
        let (year, month, day) = civilDate(fromDays: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60))Z"
    }

    public static func parse(_ text: String) -> GitTime? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return GitTime(seconds: Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    // Howard Hinnant's civil-from-days algorithm: exact for the proleptic Gregorian calendar.
    private static func civilDate(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

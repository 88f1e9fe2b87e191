import CLibPQ
import Foundation

/// Where a database is: libpq's connection keywords (`host`, `port`, `dbname`, `user`, ...),
/// parsed from a URL or a `key=value` string.
public struct ConnectionParameters: Sendable, Hashable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// Parses `postgresql://user@host:5432/db?sslmode=disable` or `host=... dbname=...`.
    public init(parsing text: String) throws(PostgresError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "cannot parse the connection string"
            errorMessage.map { PQfreemem($0) }
            throw PostgresError(kind: .connection, message: message.trimmingTrailingNewlines)
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        self.values = values
    }

    public var database: String? { values["dbname"] }

    /// The same server, another database.
    public func with(database: String) -> ConnectionParameters {
        var copy = self
        copy.values["dbname"] = database
        return copy
    }

    /// A `key='value'` string without the password, for programs whose arguments others can
    /// read (`ps`); pass `password` through `PGPASSWORD` instead.
    public var conninfoWithoutPassword: String {
        values.filter { $0.key != "password" }.sorted { $0.key < $1.key }.map { key, value in
            "\(key)='\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
        }.joined(separator: " ")
    }

    public var password: String? { values["password"] }

    /// Where the server is, for messages: never the password.
    public var summary: String {
        let host = values["host"] ?? "localhost"
        let port = values["port"].map { ":\($0)" } ?? ""
        return "\(host)\(port)/\(values["dbname"] ?? values["user"] ?? "")"
    }
}

/// One connection to a PostgreSQL database; owns libpq's handle, which stays inside this object.
public final class PostgresConnection {
    private let handle: OpaquePointer

    public init(_ parameters: ConnectionParameters) throws(PostgresError) {
        let pairs = parameters.values.sorted { $0.key < $1.key }
        let connection = withCStrings(pairs.map(\.key)) { keywords in
            withCStrings(pairs.map(\.value)) { values in
                PQconnectdbParams(keywords, values, 0)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines
            PQfinish(connection)
            throw PostgresError(kind: .connection, message: "cannot connect to \(parameters.summary): \(message)")
        }
        handle = connection
        // NOTICEs (`... does not exist, skipping`) would otherwise go to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// Runs `sql` as one simple query: several statements run as the migration tools run a
    /// file, in one implicit transaction unless the text manages its own.
    public func execute(_ sql: String) throws(PostgresError) {
        _ = try run(sql)
    }

    /// The rows of a query, each column as text (nil for NULL).
    public func query(_ sql: String) throws(PostgresError) -> [[String?]] {
        guard let result = try run(sql) else { return [] }
        defer { PQclear(result) }
        var rows: [[String?]] = []
        for row in 0..<PQntuples(result) {
            rows.append((0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return rows
    }

    /// The result when it has rows (the caller clears it), nil otherwise; an error from the
    /// server is thrown with its fields, read before the result is cleared.
    private func run(_ sql: String) throws(PostgresError) -> OpaquePointer? {
        guard let result = PQexec(handle, sql) else {
            throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)
        }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK:
            return result
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            PQclear(result)
            return nil
        default:
            defer { PQclear(result) }
            func field(_ code: UInt8) -> String? {
                PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
            }
            // The PG_DIAG_* codes are character constants of postgres_ext.h.
            let primary = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
            throw PostgresError(kind: .statement, message: primary, sqlState: field(UInt8(ascii: "C")),
                                detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")),
                                position: field(UInt8(ascii: "P")).flatMap { Int($0) })
        }
    }

    /// `name` quoted as an SQL identifier.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Waits for a server to accept connections: true once it does.
func serverAccepts(_ parameters: ConnectionParameters) -> Bool {
    let pairs = parameters.values.sorted { $0.key < $1.key }
    return withCStrings(pairs.map(\.key)) { keywords in
        withCStrings(pairs.map(\.value)) { values in
            PQpingParams(keywords, values, 0) == PQPING_OK
        }
    }
}

/// A NULL-terminated array of C strings, alive for the call.
private func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}

internal import CPgQuery

/// libpg_query's parsers, with their results read into `PGTree`s before they are freed.
enum PostgresParser {
    /// `pg_query_parse`: the tree's root is libpg_query's `{"version": …, "stmts": […]}`.
    /// `locate` places an error's byte offset in `text`.
    static func parse(_ text: [UInt8], locator: Locator,
                      locate: (Int) -> SourceLocation) throws(SQLError) -> PGTree {
        try ParseResultOwner(text).tree(text: text, locator: locator, locate: locate)
    }

    /// `pg_query_parse_plpgsql` on `CREATE FUNCTION` text: the root is an array of
    /// `PLpgSQL_function`s. Its errors carry no position.
    static func parsePLpgSQL(_ text: [UInt8], locator: Locator) throws(SQLError) -> PGTree {
        try PLpgSQLResultOwner(text).tree(text: text, locator: locator)
    }

    fileprivate static func tree(json: UnsafePointer<CChar>?, operation: String, locator: Locator) throws(SQLError) -> PGTree {
        guard let json else { try unreadable(operation) }
        let start = UnsafeRawPointer(json).assumingMemoryBound(to: UInt8.self)
        var length = 0
        while start[length] != 0 { length += 1 }
        let bytes = UnsafeBufferPointer(start: start, count: length)
        do throws(JSONReader.Malformed) {
            return PGTree(json: Array(bytes), entries: try JSONReader.index(bytes), locator: locator)
        } catch {
            try unreadable(operation)
        }
    }

    private static func unreadable(_ operation: String) throws(SQLError) -> Never {
        throw SQLError(operation: operation, message: "libpg_query returned a parse tree that cannot be read",
                       cursorPosition: nil, location: nil)
    }

    fileprivate static func withTerminated<Result>(_ text: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result {
        (text + [0]).withUnsafeBufferPointer { terminated in
            terminated.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}

/// Owns one `PgQueryParseResult` and frees it with `pg_query_free_parse_result`.
private final class ParseResultOwner {
    private let result: PgQueryParseResult

    init(_ text: [UInt8]) {
        result = PostgresParser.withTerminated(text) { pg_query_parse($0) }
    }

    deinit {
        pg_query_free_parse_result(result)
    }

    func tree(text: [UInt8], locator: Locator, locate: (Int) -> SourceLocation) throws(SQLError) -> PGTree {
        if let error = result.error {
            throw SQLError(UnsafePointer(error), operation: "parsing", text: text, locate: locate)
        }
        return try PostgresParser.tree(json: result.parse_tree, operation: "parsing", locator: locator)
    }
}

/// Owns one `PgQueryPlpgsqlParseResult` and frees it with `pg_query_free_plpgsql_parse_result`.
private final class PLpgSQLResultOwner {
    private let result: PgQueryPlpgsqlParseResult

    init(_ text: [UInt8]) {
        result = PostgresParser.withTerminated(text) { pg_query_parse_plpgsql($0) }
    }

    deinit {
        pg_query_free_plpgsql_parse_result(result)
    }

    func tree(text: [UInt8], locator: Locator) throws(SQLError) -> PGTree {
        if let error = result.error {
            throw SQLError(UnsafePointer(error), operation: "parsing PL/pgSQL", text: text)
        }
        return try PostgresParser.tree(json: result.plpgsql_funcs, operation: "parsing PL/pgSQL", locator: locator)
    }
}

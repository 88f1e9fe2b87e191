internal import CPgQuery

/// PostgreSQL's own lexical scanner (libpg_query's `pg_query_scan`): the tokens the server
/// would see, comments included, with byte ranges into the text.
///
/// The text is taken as bytes and handed over unchanged, so byte ranges stay exact whatever
/// the encoding; bytes that are not valid UTF-8 are scanned as they are, except where an escape
/// would make the server decode them (`E'\xff'`), which is a scan error as it is on a server.
/// A NUL byte is rejected before scanning, with the message a UTF-8 server gives for it: the
/// library reads a C string and would silently stop there, hiding everything after it.
public enum PostgresScanner {
    public static func scan(_ text: String) throws(SQLError) -> [SQLToken] {
        try scan(Array(text.utf8))
    }

    public static func scan(_ text: [UInt8]) throws(SQLError) -> [SQLToken] {
        if let nul = text.firstIndex(of: 0) {
            throw SQLError(operation: "scanning", message: #"invalid byte sequence for encoding "UTF8": 0x00"#,
                           cursorPosition: nil, location: LineMap(text).location(of: nul))
        }
        let message = try ScanResultOwner(text).message(for: text)
        do throws(ScanResultDecoder.Malformed) {
            return try ScanResultDecoder.tokens(from: message, text: text)
        } catch {
            throw SQLError(operation: "scanning",
                           message: "libpg_query returned a scan result that cannot be read (\(error.reason))",
                           cursorPosition: nil, location: nil)
        }
    }
}

/// Owns one `PgQueryScanResult` and frees it with `pg_query_free_scan_result`.
private final class ScanResultOwner {
    private let result: PgQueryScanResult

    init(_ text: [UInt8]) {
        result = (text + [0]).withUnsafeBufferPointer { terminated in
            terminated.withMemoryRebound(to: CChar.self) { pg_query_scan($0.baseAddress) }
        }
    }

    deinit {
        pg_query_free_scan_result(result)
    }

    /// A copy of the protobuf message, or the library's error. Read in a method so the result
    /// stays alive while its pointers are followed.
    func message(for text: [UInt8]) throws(SQLError) -> [UInt8] {
        if let error = result.error {
            throw SQLError(UnsafePointer(error), operation: "scanning", text: text)
        }
        guard let data = result.pbuf.data else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(result.pbuf.len)))
    }
}

/// Reads the `PgQuery__ScanResult` protobuf message.
///
/// Decoded here rather than with protobuf-c's `pg_query__scan_result__unpack`: the library
/// exports it, but its header needs protobuf-c's headers, which libpg-query-dev does not ship,
/// and the message is small: `ScanResult { int32 version = 1; repeated ScanToken tokens = 2; }`,
/// `ScanToken { int32 start = 1; int32 end = 2; Token token = 4; KeywordKind keyword_kind = 5; }`.
enum ScanResultDecoder {
    struct Malformed: Error {
        let reason: String
    }

    static func tokens(from message: [UInt8], text: [UInt8]) throws(Malformed) -> [SQLToken] {
        var reader = ProtobufReader(bytes: message[...])
        var tokens: [SQLToken] = []
        while !reader.isAtEnd {
            let (field, wireType) = try reader.key()
            if field == 2, wireType == .lengthDelimited {
                tokens.append(try token(from: reader.lengthDelimited(), text: text))
            } else {
                try reader.skip(wireType)
            }
        }
        return tokens
    }

    private static func token(from message: ArraySlice<UInt8>, text: [UInt8]) throws(Malformed) -> SQLToken {
        var reader = ProtobufReader(bytes: message)
        // proto3 leaves out fields at their default, so a token at offset 0 has no `start`.
        var start: Int32 = 0, end: Int32 = 0, rawToken: Int32 = 0, keyword: Int32 = 0
        while !reader.isAtEnd {
            let (field, wireType) = try reader.key()
            guard wireType == .varint, [1, 2, 4, 5].contains(field) else {
                try reader.skip(wireType)
                continue
            }
            let value = Int32(truncatingIfNeeded: try reader.varint())
            switch field {
            case 1: start = value
            case 2: end = value
            case 4: rawToken = value
            default: keyword = value
            }
        }
        guard start >= 0, start <= end, Int(end) <= text.count else {
            throw Malformed(reason: "token range \(start)..<\(end) outside a text of \(text.count) bytes")
        }
        let keywordKind = SQLToken.KeywordKind(rawValue: keyword) ?? .none
        let quoted = start < end && text[Int(start)] == UInt8(ascii: "\"")
        return SQLToken(kind: kind(of: rawToken, keywordKind: keywordKind, quoted: quoted), keywordKind: keywordKind,
                        rawToken: rawToken, range: Int(start)..<Int(end))
    }

    /// Token numbers from `pg_query.proto`: single characters are their ASCII code; the named
    /// tokens of scan.l follow from 258; keywords come after and carry a keyword kind. Quoted
    /// and unquoted names are both `IDENT`, told apart by their first byte.
    private static func kind(of rawToken: Int32, keywordKind: SQLToken.KeywordKind, quoted: Bool) -> SQLToken.Kind {
        if keywordKind != .none { return .keyword }
        switch rawToken {
        case 258: return quoted ? .quotedIdentifier : .identifier
        case 259: return .quotedIdentifier
        case 260, 266: return .number
        case 261...264: return .string
        case 267: return .parameter
        case 265, 268...274: return .operator
        case 275: return .lineComment
        case 276: return .blockComment
        case 0..<128:
            switch UInt8(rawToken) {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
                 UInt8(ascii: ";"), UInt8(ascii: "."), UInt8(ascii: ":"):
                return .punctuation
            case UInt8(ascii: "%"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
                 UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "?"), UInt8(ascii: "\\"),
                 UInt8(ascii: "^"):
                return .operator
            default:
                return .other
            }
        default:
            return .other
        }
    }
}

/// Just enough of the protobuf wire format to walk a message and skip what it does not need.
struct ProtobufReader {
    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private var bytes: ArraySlice<UInt8>

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func varint() throws(ScanResultDecoder.Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.popFirst() {
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift >= 64 { break }
        }
        throw ScanResultDecoder.Malformed(reason: "bad varint")
    }

    mutating func key() throws(ScanResultDecoder.Malformed) -> (field: UInt64, wireType: WireType) {
        let key = try varint()
        guard let wireType = WireType(rawValue: key & 7) else {
            throw ScanResultDecoder.Malformed(reason: "unsupported wire type \(key & 7)")
        }
        return (key >> 3, wireType)
    }

    mutating func lengthDelimited() throws(ScanResultDecoder.Malformed) -> ArraySlice<UInt8> {
        let length = try varint()
        guard length <= UInt64(bytes.count) else {
            throw ScanResultDecoder.Malformed(reason: "field longer than the message")
        }
        let field = bytes.prefix(Int(length))
        bytes = bytes.dropFirst(Int(length))
        return field
    }

    mutating func skip(_ wireType: WireType) throws(ScanResultDecoder.Malformed) {
        let width: Int
        switch wireType {
        case .varint:
            _ = try varint()
            return
        case .lengthDelimited:
            _ = try lengthDelimited()
            return
        case .fixed64: width = 8
        case .fixed32: width = 4
        }
        guard bytes.count >= width else { throw ScanResultDecoder.Malformed(reason: "truncated field") }
        bytes = bytes.dropFirst(width)
    }
}

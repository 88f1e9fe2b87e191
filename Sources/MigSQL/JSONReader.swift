/// Indexes the JSON libpg_query writes, in one pass and without recursion: a tree can nest
/// tens of thousands deep. Strings stay undecoded until a rule reads one.
///
/// Measured against Foundation's JSONSerialization, which builds a dictionary per node:
/// see Benchmarks/sql/README.md.
enum JSONReader {
    struct Malformed: Error {}

    static func index(_ json: UnsafeBufferPointer<UInt8>) throws(Malformed) -> [PGTree.Entry] {
        guard json.count < UInt32.max else { throw Malformed() }
        var reader = Reader(json: json)
        try reader.read()
        // A copy without the spare capacity: one per statement, and a 50 MB file has some 300,000.
        return Array(reader.entries[...])
    }

    /// Decodes JSON escapes; only called for strings that have one.
    static func unescaped(_ content: ArraySlice<UInt8>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(content.count)
        var index = content.startIndex
        while index < content.endIndex {
            let byte = content[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < content.endIndex else {
                bytes.append(byte)
                continue
            }
            let escape = content[index]
            index += 1
            switch escape {
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "r"): bytes.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "t"): bytes.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "u"):
                guard var scalar = hex(content, at: index) else { continue }
                index += 4
                if (0xD800..<0xDC00).contains(scalar), content[index...].starts(with: [0x5C, 0x75]),
                   let low = hex(content, at: index + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                    index += 6
                }
                UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { bytes.append($0) }
            default: bytes.append(escape)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ content: ArraySlice<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= content.endIndex else { return nil }
        var value: UInt32 = 0
        for byte in content[index..<index + 4] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private struct Reader {
        let json: UnsafeBufferPointer<UInt8>
        var entries: [PGTree.Entry] = []
        var position = 0
        /// The open containers' entries.
        var stack: [Int] = []
        var key: (start: UInt32, length: UInt16) = (0, 0)

        init(json: UnsafeBufferPointer<UInt8>) {
            self.json = json
            // libpg_query's JSON averages 13 to 14 bytes a value.
            entries.reserveCapacity(json.count / 10)
        }

        private enum Expecting { case value, firstKey, key, firstElement, separator }

        mutating func read() throws(Malformed) {
            var expecting = Expecting.value
            while true {
                skipWhitespace()
                guard position < json.count else { throw Malformed() }
                let byte = json[position]
                switch expecting {
                case .value:
                    try value(byte)
                    if stack.isEmpty { return }
                    expecting = byte == UInt8(ascii: "{") ? .firstKey : byte == UInt8(ascii: "[") ? .firstElement : .separator
                case .firstKey where byte == UInt8(ascii: "}"), .firstElement where byte == UInt8(ascii: "]"):
                    close()
                    if stack.isEmpty { return try finish() }
                    expecting = .separator
                case .firstKey, .key:
                    guard byte == UInt8(ascii: "\"") else { throw Malformed() }
                    let (start, end, _) = try string()
                    guard end - start <= UInt16.max else { throw Malformed() }
                    key = (UInt32(start), UInt16(end - start))
                    skipWhitespace()
                    guard position < json.count, json[position] == UInt8(ascii: ":") else { throw Malformed() }
                    position += 1
                    expecting = .value
                case .firstElement:
                    expecting = .value
                case .separator:
                    guard let open = stack.last else { throw Malformed() }
                    let isObject = entries[open].kind == .object
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        expecting = isObject ? .key : .value
                    } else if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        close()
                        if stack.isEmpty { return try finish() }
                    } else {
                        throw Malformed()
                    }
                }
            }
        }

        private mutating func value(_ byte: UInt8) throws(Malformed) {
            let start = position
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(entries.count)
                position += 1
                append(byte == UInt8(ascii: "{") ? .object : .array, start, start, flag: false)
            case UInt8(ascii: "\""):
                let (contentStart, contentEnd, escaped) = try string()
                append(.string, contentStart, contentEnd, flag: escaped)
            case UInt8(ascii: "t"): try literal("true", .bool, flag: true)
            case UInt8(ascii: "f"): try literal("false", .bool, flag: false)
            case UInt8(ascii: "n"): try literal("null", .null, flag: false)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                position += 1
                while position < json.count, Self.isNumberByte(json[position]) { position += 1 }
                append(.number, start, position, flag: false)
            default:
                throw Malformed()
            }
            if stack.isEmpty { try finish() }
        }

        /// After the top-level value: nothing but whitespace.
        private mutating func finish() throws(Malformed) {
            skipWhitespace()
            guard position == json.count else { throw Malformed() }
        }

        private mutating func append(_ kind: PGNode.Kind, _ start: Int, _ end: Int, flag: Bool) {
            entries.append(PGTree.Entry(keyStart: key.start, valueStart: UInt32(start), valueEnd: UInt32(end),
                                        end: UInt32(entries.count + 1), keyLength: key.length, kind: kind, flag: flag))
            key = (0, 0)
        }

        private mutating func close() {
            let open = stack.removeLast()
            position += 1
            entries[open].end = UInt32(entries.count)
            entries[open].valueEnd = UInt32(position)
        }

        private mutating func literal(_ word: StaticString, _ kind: PGNode.Kind, flag: Bool) throws(Malformed) {
            let length = word.utf8CodeUnitCount
            guard json.count - position >= length,
                  (0..<length).allSatisfy({ json[position + $0] == word.utf8Start[$0] }) else { throw Malformed() }
            append(kind, position, position + length, flag: flag)
            position += length
        }

        /// The content of the string at `position`, which is left after its closing quote.
        private mutating func string() throws(Malformed) -> (Int, Int, Bool) {
            let start = position + 1
            var index = start
            var escaped = false
            while index < json.count {
                switch json[index] {
                case UInt8(ascii: "\""):
                    position = index + 1
                    return (start, index, escaped)
                case UInt8(ascii: "\\"):
                    escaped = true
                    index += 2
                default:
                    index += 1
                }
            }
            throw Malformed()
        }

        private mutating func skipWhitespace() {
            while position < json.count, json[position] == UInt8(ascii: " ") || json[position] == UInt8(ascii: "\n")
                    || json[position] == UInt8(ascii: "\t") || json[position] == UInt8(ascii: "\r") {
                position += 1
            }
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "+") || byte | 0x20 == UInt8(ascii: "e")
        }
    }
}

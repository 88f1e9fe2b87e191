/// The tables a migration file creates, read from its text without parsing it: SQL
/// `CREATE [UNLOGGED|TEMP] TABLE [IF NOT EXISTS] name` and the framework calls `create_table`
/// (Rails, Alembic). It decides which tables are new for the history context of the content
/// rules, over every pending migration of a set, so it must be cheap; a commented-out
/// `CREATE TABLE` counts too, which can only make a lock rule stay silent on that one table.
public enum CreatedTables {
    public static func names(in bytes: [UInt8]) -> Set<String> {
        let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        var names = Set<String>()
        var index = 0
        while index < lower.count {
            if matches("create", at: index, in: lower) {
                var cursor = skipSpace(index + 6, in: lower)
                if cursor > index + 6 {
                    for modifier in ["unlogged", "temporary", "temp", "global", "local"] where matches(modifier, at: cursor, in: lower) {
                        cursor = skipSpace(cursor + modifier.utf8.count, in: lower)
                    }
                    if matches("table", at: cursor, in: lower) {
                        cursor = skipSpace(cursor + 5, in: lower)
                        if matches("if not exists", at: cursor, in: lower) { cursor = skipSpace(cursor + 13, in: lower) }
                        if let name = identifier(at: cursor, in: bytes) { names.insert(name) }
                    }
                } else if matches("_table", at: index + 6, in: lower) {
                    cursor = index + 12
                    while cursor < lower.count, lower[cursor] == UInt8(ascii: "(") { cursor = skipSpace(cursor + 1, in: lower) }
                    cursor = skipSpace(cursor, in: lower)
                    if let name = identifier(at: cursor, in: bytes) { names.insert(name) }
                }
            }
            index += 1
        }
        return names
    }

    private static func matches(_ word: String, at index: Int, in bytes: [UInt8]) -> Bool {
        let word = Array(word.utf8)
        guard index + word.count <= bytes.count else { return false }
        return bytes[index..<index + word.count].elementsEqual(word)
    }

    private static func skipSpace(_ index: Int, in bytes: [UInt8]) -> Int {
        var index = index
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 || bytes[index] == 10 || bytes[index] == 13 { index += 1 }
        return index
    }

    /// A possibly schema-qualified, quoted or symbol name; its last part, lower-cased unless quoted.
    private static func identifier(at index: Int, in bytes: [UInt8]) -> String? {
        var index = index
        var name = ""
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") { index += 1; continue }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                guard let close = bytes[(index + 1)...].firstIndex(of: byte) else { return nil }
                name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                index = close + 1
            } else {
                let end = bytes[index...].firstIndex { !(isWordByte($0)) } ?? bytes.count
                guard end > index else { break }
                name = String(decoding: bytes[index..<end], as: UTF8.self).lowercased()
                index = end
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { break }
            index += 1
        }
        return name.isEmpty ? nil : name.lowercased()
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte >= 128
    }
}

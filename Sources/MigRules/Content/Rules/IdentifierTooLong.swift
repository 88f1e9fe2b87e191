/// squawk's `identifier-too-long`. libpg_query truncates long names while parsing, as the
/// server does, so the rule reads the statement's text: every unquoted or quoted name over 63
/// bytes, whether it defines an object or refers to one. DO blocks are read through the
/// statements found in their bodies; strings, comments and function bodies are skipped.
struct IdentifierTooLong: ContentRule {
    /// PostgreSQL's NAMEDATALEN minus the terminating zero.
    static let limit = 63

    static let description = ContentRuleDescription(
        id: "identifier-too-long",
        summary: "PostgreSQL silently truncates identifiers longer than 63 bytes.",
        rationale: """
            PostgreSQL cuts every name to 63 bytes with only a NOTICE: the table, column, index \
            or constraint ends up with a different name than the migration says, so code, \
            ORMs and later migrations that use the full name miss it (schema diff tools see a \
            rename), and two long names that share their first 63 bytes collide, making the \
            second CREATE fail. Multi-byte characters count by their bytes. Choose a shorter \
            name (abbreviate, drop redundant prefixes).
            """,
        triggering: [
            ContentExample("CREATE INDEX index_orders_on_customer_id_and_created_at_and_status_and_region ON orders (customer_id, created_at, status, region);\n",
                           expectedLine: 1),
            ContentExample("""
                ALTER TABLE users
                  ADD COLUMN "notification_preferences_for_marketing_emails_and_newsletters_v2" jsonb;
                """, expectedLine: 2),
            ContentExample("SELECT 1;\nDO $$ BEGIN\n  ALTER TABLE accounts ADD CONSTRAINT accounts_billing_contact_email_address_must_be_lowercase_and_valid CHECK (true);\nEND $$;\n",
                           expectedLine: 3),
        ],
        nonTriggering: [
            ContentExample("CREATE INDEX idx_orders_customer_created_status ON orders (customer_id, created_at, status);\n"),
            ContentExample("""
                -- index_orders_on_customer_id_and_created_at_and_status_and_region_and_more
                COMMENT ON TABLE orders IS 'index_orders_on_customer_id_and_created_at_and_status_and_region';
                """),
            ContentExample("CREATE TABLE table_very_long_very_long_very_long_very_long_very_long_very_lo (id bigint);\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.parts {
            for statement in part.statements where statement.type != "DoStmt" {
                for name in Self.longNames(in: part.source, statement.statement.range) {
                    let shown = String(decoding: part.source[name], as: UTF8.self)
                    hits.append(text.hit(part, at: name.lowerBound,
                                         message: "`\(shown)` is longer than \(Self.limit) bytes; PostgreSQL truncates it silently.",
                                         help: "Choose a name of at most \(Self.limit) bytes."))
                }
            }
        }
        return hits
    }

    /// The ranges of the names over the limit, quotes included, skipping comments, strings and
    /// dollar-quoted bodies.
    static func longNames(in source: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        source.withUnsafeBufferPointer { longNames(in: $0, range) }
    }

    private static func longNames(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var i = range.lowerBound
        let end = min(range.upperBound, bytes.count)
        func at(_ index: Int) -> UInt8 { index < end ? bytes[index] : 0 }
        while i < end {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "-") where at(i + 1) == UInt8(ascii: "-"):
                while i < end && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "*"):
                var depth = 0
                repeat {
                    if at(i) == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") { depth += 1; i += 2 }
                    else if at(i) == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/") { depth -= 1; i += 2 }
                    else { i += 1 }
                } while depth > 0 && i < end
            case UInt8(ascii: "'"):
                i = stringEnd(bytes, from: i, end: end, escapes: false)
            case UInt8(ascii: "\""):
                var j = i + 1, length = 0
                while j < end {
                    if bytes[j] == UInt8(ascii: "\"") {
                        guard at(j + 1) == UInt8(ascii: "\"") else { break }
                        j += 1
                    }
                    length += 1
                    j += 1
                }
                if length > limit { found.append(i..<min(j + 1, end)) }
                i = j + 1
            case UInt8(ascii: "$"):
                var j = i + 1
                if isDigit(at(j)) {
                    while isDigit(at(j)) { j += 1 }
                    i = j
                    continue
                }
                while isWordByte(at(j)) && at(j) != UInt8(ascii: "$") { j += 1 }
                guard at(j) == UInt8(ascii: "$") else { i += 1; continue }
                let tag = bytes[i...j]
                var k = j + 1
                while k + tag.count <= end && !bytes[k..<k + tag.count].elementsEqual(tag) { k += 1 }
                i = k + tag.count
            case _ where isWordByte(byte) && !isDigit(byte):
                var j = i
                while isWordByte(at(j)) { j += 1 }
                if j - i > limit { found.append(i..<j) }
                // E'…' strings take backslash escapes.
                if j - i == 1 && (byte | 0x20) == UInt8(ascii: "e") && at(j) == UInt8(ascii: "'") {
                    j = stringEnd(bytes, from: j, end: end, escapes: true)
                }
                i = j
            case _ where isDigit(byte):
                while isWordByte(at(i)) { i += 1 }
            default:
                i += 1
            }
        }
        return found
    }

    /// The index after the string literal whose opening quote is at `start`.
    private static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int, escapes: Bool) -> Int {
        var i = start + 1
        while i < end {
            if escapes && bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == UInt8(ascii: "'") {
                if i + 1 < end && bytes[i + 1] == UInt8(ascii: "'") { i += 2; continue }
                return i + 1
            }
            i += 1
        }
        return end
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// A byte of an unquoted name: ASCII letters, digits, `_`, `$`, and any byte of a
    /// multi-byte character.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...0xFF:
            true
        default:
            false
        }
    }
}

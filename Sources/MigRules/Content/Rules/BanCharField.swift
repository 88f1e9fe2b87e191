/// squawk's `ban-char-field`: `char`, `char(n)`, `character(n)` and `bpchar`. The quoted
/// one-byte `"char"` is a different internal type and is left alone.
struct BanCharField: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-char-field",
        summary: "char(n) pads values with spaces; use text or varchar.",
        rationale: """
            `char(n)` pads every value with spaces to n characters. Comparisons between two \
            `char` values ignore the padding, but a cast to `text` strips it, so concatenation, \
            `LIKE` and regular expressions see other strings than clients, who get the padded \
            value back; it is no faster than `text` and stores more. Bare `char` means \
            `char(1)`, which rejects anything longer than one character. Use `text` (with a \
            `CHECK` on the length if needed) or `varchar`.
            """,
        triggering: [
            ContentExample("CREATE TABLE countries (\n  code char(2) PRIMARY KEY,\n  name text\n);\n", expectedLine: 2),
            ContentExample("ALTER TABLE users ADD COLUMN initial character;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER TABLE orders ALTER COLUMN state TYPE bpchar(3);\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE TABLE countries (\n  code text PRIMARY KEY CHECK (char_length(code) = 2),\n  name text\n);\n"),
            ContentExample("ALTER TABLE users ADD COLUMN initial varchar(1);\n"),
            ContentExample("CREATE TABLE flags (kind \"char\" NOT NULL);\n"),
        ])

    /// libpg_query's names for the type, written or through its aliases.
    static let names = ["bpchar"]

    func check(_ text: MigrationText) -> [RuleHit] {
        text.columnTypeHits(where: { $0.isBuiltin(Self.names) },
                            message: { _ in "A char(n) column pads values with spaces, which some comparisons see and others do not." },
                            help: "Use text (with a CHECK on the length if needed) or varchar.")
    }
}

/// squawk's `ban-drop-sequence`, for objects that exist before the migration: one created earlier in the
/// same part has no clients yet.
struct BanDropSequence: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-sequence",
        summary: "Dropping a sequence breaks the defaults and clients that draw from it.",
        rationale: """
            Column defaults (`nextval(...)`), application code and ETL jobs draw ids from \
            sequences by name: after `DROP SEQUENCE` inserts fail (`CASCADE` silently removes the \
            defaults, so inserts then fail or store NULL ids). Point defaults at the replacement \
            (an identity column, another sequence) and move the clients first, then drop the \
            sequence in a later migration.
            """,
        triggering: [
            ContentExample("DROP SEQUENCE invoice_number_seq;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP SEQUENCE IF EXISTS order_seq CASCADE;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE SEQUENCE IF NOT EXISTS invoice_number_seq;\n"),
            ContentExample("CREATE SEQUENCE tmp_seq;\nDROP SEQUENCE tmp_seq;\n"),
            ContentExample("ALTER SEQUENCE invoice_number_seq RESTART WITH 1000;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_SEQUENCE"],
                      message: { "Dropping sequence \($0) breaks the defaults and clients that call nextval on it." },
                      help: "Move the column defaults and clients off the sequence first, then drop it in a later migration.")
    }
}

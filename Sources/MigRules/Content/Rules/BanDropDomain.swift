/// squawk's `ban-drop-domain`, for objects that exist before the migration: one created earlier in the
/// same part has no clients yet.
struct BanDropDomain: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-drop-domain",
        summary: "Dropping a domain breaks every column and function that uses it.",
        rationale: """
            A domain is a type: `DROP DOMAIN` fails while columns use it, and `CASCADE` drops \
            those columns with their data, along with the functions that take or return it; \
            clients that cast to the domain by name break too. Move columns to the base type \
            (or another domain) and replace the functions first, then drop the domain in a \
            later migration once nothing refers to it.
            """,
        triggering: [
            ContentExample("DROP DOMAIN email_address;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nDROP DOMAIN IF EXISTS positive_int CASCADE;\n", expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');\n"),
            ContentExample("CREATE DOMAIN tmp_code AS text;\nDROP DOMAIN tmp_code;\n"),
            ContentExample("DROP TYPE mood;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        text.dropHits(of: ["OBJECT_DOMAIN"],
                      message: { "Dropping domain \($0) breaks the columns and functions that use it." },
                      help: "Move the columns to the base type and redeploy the functions first, then drop the domain in a later migration.")
    }
}

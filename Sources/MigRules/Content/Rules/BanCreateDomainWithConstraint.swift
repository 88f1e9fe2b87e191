import MigSQL

/// squawk's `ban-create-domain-with-constraint`: CREATE DOMAIN with a CHECK or NOT NULL
/// (a DEFAULT or a bare NULL constrains nothing).
struct BanCreateDomainWithConstraint: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-create-domain-with-constraint",
        summary: "Domains with constraints cannot be changed without long locks later.",
        rationale: """
            A constraint on a domain applies to every column of that type in every table. \
            Changing it later is the hard part: adding or tightening a domain constraint checks \
            all those columns while holding a lock on each of their tables, and there is no \
            online recipe like the NOT VALID one for table constraints that also covers the \
            domain's future uses. Create the domain without constraints and put CHECK \
            constraints on the columns or tables, where NOT VALID and VALIDATE CONSTRAINT work.
            """,
        triggering: [
            ContentExample("CREATE DOMAIN positive_amount AS numeric(15, 5) CHECK (VALUE > 0);\n", expectedLine: 1),
            ContentExample("""
                CREATE DOMAIN email_address AS text
                    NOT NULL
                    CHECK (VALUE LIKE '%@%');
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("CREATE DOMAIN email_address AS text;\n"),
            ContentExample("CREATE DOMAIN counter AS bigint DEFAULT 0 NULL;\n"),
            ContentExample("""
                CREATE DOMAIN amount AS numeric(15, 5);
                ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount > 0) NOT VALID;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["CreateDomainStmt"]) { part, statement, _ in
            guard let node = statement.node, let constraint = SquawkLocks.constraints(node).first(where: { constraint in
                constraint.string("contype") != "CONSTR_DEFAULT" && constraint.string("contype") != "CONSTR_NULL"
            }) else { return }
            let domain = SquawkLocks.lastName(node["domainname"]) ?? "?"
            hits.append(text.hit(part, statement, node: constraint,
                                 message: "Domain `\(domain)` carries a constraint that every later change must check across all its columns under lock.",
                                 help: "Create the domain without constraints and put CHECK constraints on the columns that use it."))
        }
        return hits
    }
}

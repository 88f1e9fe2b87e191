import MigSQL

/// squawk's `ban-alter-domain-with-add-constraint`, with two corrections: ADD CONSTRAINT …
/// NOT VALID checks no existing value and is left alone, while SET NOT NULL, which squawk lets
/// pass, checks every column of the domain like an added constraint. Quiet for a domain the
/// file created earlier.
struct BanAlterDomainWithAddConstraint: ContentRule {
    static let description = ContentRuleDescription(
        id: "ban-alter-domain-with-add-constraint",
        summary: "Adding a constraint to a domain checks every column that uses it under a lock.",
        rationale: """
            ALTER DOMAIN … ADD CONSTRAINT (and SET NOT NULL) checks every value of every column \
            of that domain, in every table, while holding a SHARE lock on each of those tables: \
            writes to all of them wait for the whole scan, and the migration fails if any value \
            breaks the new rule. Add the constraint NOT VALID (new values are checked, old ones \
            are not) and VALIDATE CONSTRAINT in a later migration, or better put CHECK \
            constraints on the columns themselves, where NOT VALID and VALIDATE work per table. \
            A domain created earlier in the same file is left alone.
            """,
        triggering: [
            ContentExample("ALTER DOMAIN positive_amount ADD CONSTRAINT positive CHECK (VALUE > 0);\n", expectedLine: 1),
            ContentExample("""
                ALTER DOMAIN email_address DROP CONSTRAINT email_has_at;
                ALTER DOMAIN email_address SET NOT NULL;
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("""
                ALTER DOMAIN positive_amount ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;
                ALTER DOMAIN positive_amount RENAME CONSTRAINT positive TO amount_positive;
                """),
            ContentExample("""
                CREATE DOMAIN score AS integer;
                ALTER DOMAIN score ADD CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 100);
                """),
            ContentExample("ALTER DOMAIN email_address DROP NOT NULL;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        var created: Set<String> = []
        SquawkLocks.forEach(in: text, of: ["CreateDomainStmt", "AlterDomainStmt"]) { part, statement, _ in
            guard let node = statement.node else { return }
            if statement.type == "CreateDomainStmt" {
                if let name = SquawkLocks.lastName(node["domainname"]) { created.insert(name.lowercased()) }
                return
            }
            let domain = SquawkLocks.lastName(node["typeName"]) ?? "?"
            guard !created.contains(domain.lowercased()) else { return }
            let constraint = node["def"]?["Constraint"]
            switch node.string("subtype") {
            case "C" where constraint?.bool("skip_validation") != true:
                hits.append(text.hit(part, statement, node: constraint,
                                     message: "Adding this constraint to domain `\(domain)` checks every column of that type under a lock on each table.",
                                     help: "Add it NOT VALID and VALIDATE CONSTRAINT later, or put CHECK constraints on the columns instead."))
            case "O":
                hits.append(text.hit(part, statement,
                                     message: "SET NOT NULL on domain `\(domain)` checks every column of that type under a lock on each table.",
                                     help: "Put NOT NULL, through a validated CHECK (column IS NOT NULL), on the columns instead."))
            default:
                break
            }
        }
        return hits
    }
}

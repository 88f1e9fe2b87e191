import MigSQL

/// An INSERT that adds its rows again when the migration runs again.
struct NonIdempotentDataMigration: ContentRule {
    static let description = ContentRuleDescription(
        id: "non-idempotent-data-migration",
        summary: "An INSERT without ON CONFLICT or NOT EXISTS duplicates rows when the migration is rerun.",
        rationale: """
            Data migrations get rerun: after a failure halfway through a file the tool does not \
            wrap in a transaction, when a migration is replayed on a restored copy, or by hand. A \
            plain INSERT then adds its rows a second time, or fails on a unique key and stops the \
            deploy. Write `INSERT … ON CONFLICT DO NOTHING` (or `DO UPDATE`), or `INSERT … SELECT … \
            WHERE NOT EXISTS (…)` (or `NOT IN (SELECT …)`), so a second run changes nothing. Rows inserted into a table that \
            the same migration creates with a plain CREATE TABLE are left alone: a rerun fails on \
            the CREATE first. INSERTs inside a DO block are left alone too, as PL/pgSQL around them \
            (`IF NOT EXISTS … THEN`) may guard them.
            """,
        triggering: [
            ContentExample("INSERT INTO settings (key, value) VALUES ('signup_enabled', 'true');\n", expectedLine: 1),
            ContentExample("""
                CREATE TABLE IF NOT EXISTS plans (id bigint PRIMARY KEY, name text);
                INSERT INTO plans (id, name)
                SELECT id, name FROM legacy_plans;
                """, expectedLine: 2),
            ContentExample("""
                INSERT INTO roles (name) SELECT 'admin' WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'admin');
                INSERT INTO roles (name) SELECT 'auditor' WHERE EXISTS (SELECT 1 FROM roles WHERE name = 'admin');
                """, expectedLine: 2),
        ],
        nonTriggering: [
            ContentExample("INSERT INTO settings (key, value) VALUES ('signup_enabled', 'true') ON CONFLICT (key) DO NOTHING;\n"),
            ContentExample("INSERT INTO roles (name) SELECT 'admin' WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'admin');\n"),
            ContentExample("""
                INSERT INTO user_settings (user_id, theme)
                SELECT id, 'light' FROM users WHERE id NOT IN (SELECT user_id FROM user_settings);
                """),
            ContentExample("""
                CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL);
                INSERT INTO plans (id, name) VALUES (1, 'free');
                """),
            ContentExample("""
                DO $$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM roles WHERE name = 'admin') THEN
                    INSERT INTO roles (name) VALUES ('admin');
                  END IF;
                END $$;
                """),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        for part in text.upParts {
            var created: Set<String> = []
            for statement in part.statements {
                guard let node = statement.node else { continue }
                switch statement.type {
                case "CreateStmt":
                    if node.bool("if_not_exists") != true, let table = node.string("relation", "relname") {
                        created.insert(table.lowercased())
                    }
                case "InsertStmt":
                    if case .doBlock = statement.statement.origin { continue }
                    guard node["onConflictClause"] == nil,
                          !Self.isGuarded(node["selectStmt"]?["SelectStmt"]?["whereClause"]) else { continue }
                    let table = node.string("relation", "relname")?.lowercased() ?? ""
                    guard !created.contains(table) else { continue }
                    hits.append(text.hit(part, statement,
                                         message: "This INSERT adds its rows again when the migration is rerun.",
                                         help: "Add `ON CONFLICT DO NOTHING`, or insert with `SELECT … WHERE NOT EXISTS (…)`."))
                default:
                    continue
                }
            }
        }
        return hits
    }

    /// Whether a WHERE clause holds a `NOT EXISTS (…)` or `NOT IN (SELECT …)`, alone or among its
    /// conditions.
    static func isGuarded(_ clause: PGNode?) -> Bool {
        guard let clause else { return false }
        return clause.descendants("BoolExpr").contains { expression in
            guard expression.string("boolop") == "NOT_EXPR" else { return false }
            let kind = expression["args"]?[0]?.string("SubLink", "subLinkType")
            return kind == "EXISTS_SUBLINK" || kind == "ANY_SUBLINK"
        }
    }
}

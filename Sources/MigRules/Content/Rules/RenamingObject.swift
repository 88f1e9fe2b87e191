/// squawk's `renaming-object`: renames of everything but tables and table columns (which have
/// their own rules), view columns and enum values included; objects created earlier in the
/// same part have no clients yet.
struct RenamingObject: ContentRule {
    static let description = ContentRuleDescription(
        id: "renaming-object",
        summary: "Renaming an object breaks clients that still use the old name.",
        rationale: """
            Views, functions, sequences, types, enum values, schemas, constraints and indexes \
            are named in application queries, ORM mappings, error handling (`ON CONFLICT ON \
            CONSTRAINT`, constraint names in error messages), hints and other services. \
            `ALTER … RENAME` switches the name at once, so code still running with the old name \
            fails from the moment it commits. Rename in steps: create the new name alongside \
            (a view, a wrapper function, a new value), move the clients, then drop the old one \
            in a later migration.
            """,
        triggering: [
            ContentExample("ALTER VIEW active_users RENAME TO current_users;\n", expectedLine: 1),
            ContentExample("SELECT 1;\nALTER FUNCTION calc_tax(numeric) RENAME TO compute_tax;\n", expectedLine: 2),
            ContentExample("ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';\n", expectedLine: 1),
            ContentExample("ALTER TABLE users RENAME CONSTRAINT users_email_key TO users_email_unique;\n", expectedLine: 1),
            ContentExample("ALTER VIEW active_users RENAME COLUMN mail TO email;\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("CREATE VIEW current_users AS SELECT * FROM users WHERE active;\n"),
            ContentExample("CREATE SEQUENCE tmp_seq;\nALTER SEQUENCE tmp_seq RENAME TO invoice_seq;\n"),
            ContentExample("ALTER TABLE users RENAME TO members;\nALTER TABLE members RENAME COLUMN email TO email_address;\n"),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        var hits: [RuleHit] = []
        for part in text.upParts {
            for statement in part.statements {
                guard let node = statement.node else { continue }
                switch statement.type {
                case "RenameStmt":
                    guard let kind = node.string("renameType"), kind != "OBJECT_TABLE",
                          kind != "OBJECT_COLUMN" || node.string("relationType") != "OBJECT_TABLE" else { continue }
                    let name = node.string("relation", "relname") ?? node["object"].flatMap(ObjectName.of(droppedObject:))
                        ?? node.string("subname")
                    if let name, text.isNew(object: name, before: statement, in: part) { continue }
                    let old = kind == "OBJECT_SCHEMA" ? name : node.string("subname") ?? name
                    hits.append(text.hit(part, statement,
                                         message: "Renaming \(Self.noun(kind)) `\(old ?? "?")` to `\(node.string("newname") ?? "?")` breaks clients that still use the old name.",
                                         help: "Add the new name alongside, move the clients over, then drop the old name in a later migration."))
                case "AlterEnumStmt":
                    guard let old = node.string("oldVal"), let new = node.string("newVal") else { continue }
                    hits.append(text.hit(part, statement,
                                         message: "Renaming enum value '\(old)' to '\(new)' breaks clients that still write or compare the old value.",
                                         help: "Add the new value, move the clients and the rows over, and stop using the old value."))
                default:
                    continue
                }
            }
        }
        return hits
    }

    /// `OBJECT_MATVIEW` → "materialized view".
    static func noun(_ kind: String) -> String {
        switch kind {
        case "OBJECT_TABCONSTRAINT", "OBJECT_DOMCONSTRAINT": "constraint"
        case "OBJECT_MATVIEW": "materialized view"
        case "OBJECT_FOREIGN_TABLE": "foreign table"
        default: kind.dropFirst("OBJECT_".count).lowercased().split(separator: "_").joined(separator: " ")
        }
    }
}

import MigSQL

/// squawk's `adding-field-with-default` for PostgreSQL 11 and later: constants and stable
/// functions such as `now()` are stored once in the catalog; volatile defaults, serial,
/// identity and stored generated columns fill every row. Quiet on tables that are new.
struct AddingFieldWithDefault: ContentRule {
    static let description = ContentRuleDescription(
        id: "adding-field-with-default",
        summary: "ADD COLUMN with a volatile default rewrites the whole table under an exclusive lock.",
        rationale: """
            Since PostgreSQL 11, ADD COLUMN with a constant or stable default (`0`, `'{}'::jsonb`, \
            `now()`) only records the value in the catalog. A volatile default (`random()`, \
            `gen_random_uuid()`, `clock_timestamp()`, `nextval(…)`, a serial type, any function \
            not known to be stable), an identity column or a STORED generated column must be \
            computed for every row: the table is rewritten under an ACCESS EXCLUSIVE lock that \
            blocks reads and writes for as long as that takes. Add the column without a default \
            (or with a constant one), set the volatile default with ALTER COLUMN … SET DEFAULT so \
            that new rows get it, and backfill existing rows in batches. A table created by a \
            pending migration or earlier in the file is left alone.
            """,
        triggering: [
            ContentExample("ALTER TABLE users ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();\n", expectedLine: 1),
            ContentExample("""
                ALTER TABLE orders
                    ADD COLUMN total_cents bigint GENERATED ALWAYS AS (quantity * unit_cents) STORED;
                """, expectedLine: 2),
            ContentExample("ALTER TABLE events ADD COLUMN seq bigserial;\n", expectedLine: 1),
            ContentExample("ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();\n", expectedLine: 1),
        ],
        nonTriggering: [
            ContentExample("""
                ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;
                ALTER TABLE users ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb;
                ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
                """),
            ContentExample("""
                ALTER TABLE users ADD COLUMN public_id uuid;
                ALTER TABLE users ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
                """),
            ContentExample("""
                CREATE TABLE tokens (id bigint PRIMARY KEY);
                ALTER TABLE tokens ADD COLUMN value uuid NOT NULL DEFAULT gen_random_uuid();
                """),
            ContentExample("ALTER TABLE tokens ADD COLUMN value uuid DEFAULT gen_random_uuid();\n", newTables: ["tokens"]),
        ])

    /// Built-in functions that are immutable or stable (`provolatile <> 'v'`) and turn up in
    /// defaults. Any other function, a user's own included (CREATE FUNCTION makes VOLATILE
    /// functions unless told otherwise), counts as volatile.
    static let nonVolatileFunctions: Set<String> = [
        "abs", "array_length", "btrim", "ceil", "ceiling", "char_length", "coalesce", "concat", "concat_ws",
        "current_database", "current_schema", "current_setting", "current_user", "date", "date_part", "date_trunc",
        "extract", "floor", "format", "greatest", "int4", "int8", "interval", "json_build_array", "json_build_object",
        "jsonb_build_array", "jsonb_build_object", "least", "left", "length", "localtime", "localtimestamp", "lower",
        "lpad", "ltrim", "make_date", "make_interval", "make_time", "make_timestamp", "make_timestamptz", "md5",
        "now", "nullif", "numeric", "replace", "right", "round", "rpad", "rtrim", "session_user", "sha256",
        "statement_timestamp", "substr", "substring", "text", "timezone", "to_char", "to_date", "to_json", "to_jsonb",
        "to_number", "to_timestamp", "transaction_timestamp", "trim", "trunc", "upper", "uuid_nil", "version",
    ]

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres else { return [] }
        var hits: [RuleHit] = []
        SquawkLocks.forEach(in: text, of: ["AlterTableStmt"]) { part, statement, tables in
            guard let node = statement.node else { return }
            for command in SquawkLocks.commands(node) where command.string("subtype") == "AT_AddColumn" {
                guard let column = command["def"]?["ColumnDef"], let rewrite = Self.rewrite(column), tables.isLive(node) else { continue }
                let name = column.string("colname") ?? "the column"
                let table = node.string("relation", "relname") ?? "the table"
                hits.append(text.hit(part, statement, node: rewrite.place,
                                     message: "Adding `\(name)` with \(rewrite.reason) rewrites `\(table)` while blocking reads and writes.",
                                     help: "Add `\(name)` without that default, SET DEFAULT afterwards for new rows, and backfill existing rows in batches."))
            }
        }
        return hits
    }

    /// Where and why adding the column fills every row, or nil when it only touches the catalog.
    static func rewrite(_ column: PGNode) -> (place: PGNode, reason: String)? {
        if AddingRequiredField.serialTypes.contains(SquawkLocks.lastName(column["typeName"]?["names"]) ?? "") {
            return (column, "a serial type, whose sequence default is volatile,")
        }
        for constraint in SquawkLocks.constraints(column) {
            switch constraint.string("contype") {
            case "CONSTR_GENERATED":
                return (constraint, "a stored generated expression")
            case "CONSTR_IDENTITY":
                return (constraint, "an identity")
            case "CONSTR_DEFAULT":
                guard let expression = constraint["raw_expr"] else { continue }
                if let call = volatileCall(in: expression) {
                    return (constraint, "the volatile default `\(call)()`")
                }
            default:
                break
            }
        }
        return nil
    }

    /// The first function the expression calls that is not known to be stable.
    static func volatileCall(in expression: PGNode) -> String? {
        for call in expression.descendants("FuncCall") {
            let name = SquawkLocks.lastName(call["funcname"]) ?? "?"
            if !nonVolatileFunctions.contains(name.lowercased()) { return name }
        }
        return nil
    }
}

public import MigCore

/// Active Record migrations: `<digits>_<snake_name>.rb`, with `def change` or `def up`/`def down`.
public struct RailsFormat: MigrationFormat {
    public let kind = MigrationFormatKind.rails

    public init() {}

    /// Files Rails keeps next to migrations that are not migrations.
    private static let companions: Set<String> = ["schema.rb", "structure.sql", "seeds.rb", "schema_cache.yml"]

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder, sortingBy: self)
        var migrations: [Migration] = []
        for named in scan.named {
            guard let text = try scan.text(of: named.file, in: tree, strict: true) else { continue }
            let source = RubySource(text)
            migrations.append(Migration(file: named.file, format: .rails, version: named.version,
                                        order: VersionKey(parsing: named.version), name: named.name,
                                        kind: RailsFormat.kind(of: source), down: RailsFormat.down(of: source)))
        }
        return scan.finished(migrations)
    }

    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".rb") { return verdict }
        let name = relativePath.fileName.bytes
        if let text = String(validating: name, as: UTF8.self), RailsFormat.companions.contains(text) { return .ignored }
        guard FileName.hasSuffix(name, ".rb") else { return .ignored }
        guard let (version, title) = RailsFormat.parse(name) else { return .misnamed(reason: RailsFormat.namingProblem(name)) }
        return .migration(version: version, name: title, isDown: false)
    }

    /// Rails globs `**/[0-9]*_*.rb` (so subfolders count) and then requires
    /// `/\A([0-9]+)_([_a-z0-9]*)\.?([_a-z0-9]*)?\.rb\z/`, raising on a globbed file that fails it.
    static func parse(_ name: [UInt8]) -> (version: String, name: String)? {
        guard let (version, title) = FileName.versioned(name, suffix: ".rb") else { return nil }
        let allowed: (UInt8) -> Bool = { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || FileName.isDigit(byte) || byte == UInt8(ascii: "_")
        }
        let parts = title.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(allowed) }) else { return nil }
        return (version, String(decoding: parts[0], as: UTF8.self))
    }

    private static func namingProblem(_ name: [UInt8]) -> String {
        let globbed = name.first.map(FileName.isDigit) == true && name.contains(UInt8(ascii: "_"))
        return globbed
            ? "Rails refuses this name: after `<digits>_` only lowercase letters, digits and `_` may follow"
            : "has no `<digits>_` version prefix; Rails only runs files named `<digits>_<snake_name>.rb`"
    }

    static func down(of source: RubySource) -> DownPart {
        if let down = source.method(named: "down") {
            let code = source.code(of: down)
            if code.isEmpty { return .empty(.lines(down.lines)) }
            if code.first.map({ $0.kind == .identifier && ($0.text == "raise" || $0.text == "fail") }) == true {
                return .irreversible(down.lines)
            }
            return .section(down.lines)
        }
        if let change = source.method(named: "change") {
            return .reversibleChange(change.lines)
        }
        return .missing
    }

    private static let schemaMethods: Set<String> = [
        "create_table", "create_join_table", "change_table", "drop_table", "drop_join_table", "rename_table",
        "add_column", "remove_column", "remove_columns", "rename_column", "change_column", "change_column_default",
        "change_column_null", "change_column_comment", "change_table_comment", "add_index", "remove_index",
        "rename_index", "add_reference", "add_belongs_to", "remove_reference", "remove_belongs_to", "add_foreign_key",
        "remove_foreign_key", "add_timestamps", "remove_timestamps", "add_check_constraint", "remove_check_constraint",
        "add_exclusion_constraint", "add_unique_constraint", "enable_extension", "disable_extension", "create_enum",
        "drop_enum", "rename_enum", "add_enum_value", "rename_enum_value", "create_schema", "drop_schema",
        "create_virtual_table", "drop_virtual_table",
    ]
    private static let rowMethods: Set<String> = [
        "update_all", "delete_all", "destroy_all", "insert_all", "insert_all!", "upsert_all", "insert", "upsert",
        "find_each", "find_in_batches", "in_batches", "update_column", "update_columns", "update!", "update",
        "save!", "save", "create!", "create", "destroy", "find_or_create_by!", "find_or_create_by",
    ]
    private static let sqlMethods: Set<String> = ["execute", "exec_query", "exec_update", "exec_delete", "exec_insert"]

    /// Data when the forward code only moves rows (`Model.update_all`, `execute "UPDATE …"`),
    /// schema as soon as it calls a schema method or executes DDL, schema when unsure.
    static func kind(of source: RubySource) -> MigrationKind {
        let forward = source.method(named: "up") ?? source.method(named: "change")
        let code = forward.map(source.code(of:)) ?? source.tokens.filter(\.isCode)
        var sawData = false
        for (index, token) in code.enumerated() where token.kind == .identifier {
            let afterDot = index > 0 && (code[index - 1].text == "." || code[index - 1].text == "&.")
            if !afterDot, schemaMethods.contains(token.text) { return .schema }
            if !afterDot, sqlMethods.contains(token.text) {
                let argument = code[(index + 1)...].prefix(2).first { $0.kind == .string }
                switch argument?.value.flatMap({ SQLScan($0).classify() }) {
                case .schema?: return .schema
                case .data?: sawData = true
                case nil: break
                }
            }
            if afterDot, rowMethods.contains(token.text) { sawData = true }
        }
        return sawData ? .data : .schema
    }
}

public import MigCore

/// Django migrations: `<app>/migrations/<NNNN>_<name>.py` holding `class Migration`. The set's
/// folder is one app's `migrations/`, or a project folder whose every `<app>/migrations/`
/// belongs to the set, so dependencies across apps stay in one graph.
public struct DjangoFormat: MigrationFormat {
    public let kind = MigrationFormatKind.django

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        let singleApp = folder.fileName == RepoPath("migrations")
        var migrations: [Migration] = []
        for file in scan.files {
            guard let migrationsFolder = singleApp ? folder : DjangoFormat.migrationsFolder(of: file, below: folder) else {
                // Project files outside any `migrations/` (models, settings) are no concern.
                continue
            }
            let name = file.path.fileName.bytes
            if scan.setAsideBackup(file, migrationExtensions: [".py"]) { continue }
            guard FileName.hasSuffix(name, ".py"), name.first != UInt8(ascii: "_"), name.first != UInt8(ascii: "~") else {
                // Django's loader skips modules starting with `_` or `~`.
                scan.ignore(file)
                continue
            }
            guard file.path.parent == migrationsFolder else {
                scan.misnamed(file, "is in a subfolder of migrations/; Django only loads migrations from the folder itself")
                continue
            }
            guard let (version, title) = FileName.versioned(name, suffix: ".py") else {
                scan.misnamed(file, "has no `NNNN_` number; name it `<NNNN>_<name>.py` as makemigrations does")
                continue
            }
            guard let text = try scan.text(of: file, in: tree, strict: true) else { continue }
            let source = PythonSource(text)
            guard let migrationClass = source.definitions.first(where: { $0.kind == .class && $0.name == "Migration" && $0.depth == 0 }) else {
                scan.problem(file, "has no `class Migration`; Django stops with BadMigrationError")
                continue
            }
            let app = FileName.text(Array(migrationsFolder.parent.fileName.bytes))
            migrations.append(DjangoFormat.migration(file: file, version: version, name: title, app: app,
                                                     source: source, migrationClass: migrationClass))
        }
        if !singleApp {
            // Clutter of the project around the apps (`shop/__init__.py`) is no more a concern
            // than its models: only what sits in a `migrations/` folder is reported.
            scan.result.ignored.removeAll { path in
                DjangoFormat.migrationsFolder(of: TreeFile(path: path, objectID: "", mode: .regular), below: folder) == nil
            }
        }
        return scan.finished(migrations)
    }

    /// A file directly in the folder (one app's `migrations/`) or directly in an app's
    /// `migrations/` below a project folder.
    public func role(ofFileAt relativePath: RepoPath) -> MigrationFileRole {
        let folders = relativePath.parent.components
        guard folders.isEmpty || folders.last.map({ Array($0) == Array("migrations".utf8) }) == true,
              let (version, _) = FileName.versioned(relativePath.fileName.bytes, suffix: ".py") else { return .other }
        return .migration(version: version)
    }

    /// The innermost `migrations/` folder holding the file, below the project folder.
    private static func migrationsFolder(of file: TreeFile, below folder: RepoPath) -> RepoPath? {
        var directory = file.path.parent
        while directory.isInside(folder), directory != folder {
            if directory.fileName == RepoPath("migrations") { return directory }
            directory = directory.parent
        }
        return nil
    }

    private static func migration(file: TreeFile, version: String, name: String, app: String,
                                  source: PythonSource, migrationClass: PythonDefinition) -> Migration {
        let fields = Dictionary(source.assignments(in: migrationClass).map { ($0.target, $0) },
                                uniquingKeysWith: { _, last in last })
        let operations = fields["operations"]
        let topLevel: [PythonCall]
        if case .sequence(let items)? = operations?.value {
            topLevel = items.compactMap { if case .call(let call) = $0 { call } else { nil } }
        } else {
            topLevel = []
        }
        let codeOperations = operations.map { source.calls(in: $0.tokens).compactMap(codeOperation) } ?? []
        let info = DjangoMigrationInfo(
            app: app,
            dependencies: dependencies(fields["dependencies"]?.value),
            runBefore: dependencies(fields["run_before"]?.value),
            replaces: dependencies(fields["replaces"]?.value),
            isInitial: fields["initial"]?.value == .bool(true),
            codeOperations: codeOperations)
        let lines = operations?.lines ?? migrationClass.lines
        return Migration(file: file, format: .django, version: version, order: VersionKey(parsing: version), name: name,
                         kind: kind(topLevel: topLevel, codeOperations: codeOperations),
                         down: down(topLevel: topLevel, codeOperations: codeOperations, lines: lines),
                         details: .django(info))
    }

    private static func dependencies(_ value: PythonValue?) -> [DjangoDependency] {
        guard case .sequence(let items)? = value else { return [] }
        return items.compactMap { item in
            switch item {
            case .sequence(let pair) where pair.count == 2:
                guard let app = pair[0].string, let name = pair[1].string else { return nil }
                return .migration(app: app, name: name)
            case .call(let call) where call.method == "swappable_dependency":
                guard case .name(let setting)? = call.arguments.first else { return nil }
                return .swappable(setting: setting)
            default:
                return nil
            }
        }
    }

    /// `RunPython(code, reverse_code=None)` and `RunSQL(sql, reverse_sql=None)`, by keyword or position.
    private static func codeOperation(_ call: PythonCall) -> DjangoCodeOperation? {
        let operation: DjangoCodeOperation.Operation
        let reverse: PythonValue?
        switch call.method {
        case "RunPython":
            operation = .runPython
            reverse = call.argument("reverse_code", position: 1)
        case "RunSQL":
            operation = .runSQL
            reverse = call.argument("reverse_sql", position: 1)
        default:
            return nil
        }
        switch reverse {
        case nil, .noneLiteral?:
            return DjangoCodeOperation(operation: operation, line: call.line, reverse: .missing)
        case .name(let name)? where name.hasSuffix(".noop") || name == "noop":
            return DjangoCodeOperation(operation: operation, line: call.line, reverse: .noop)
        default:
            return DjangoCodeOperation(operation: operation, line: call.line, reverse: .given)
        }
    }

    /// `RunPython` makes a data migration; so does a migration of only `RunSQL` moving rows.
    private static func kind(topLevel: [PythonCall], codeOperations: [DjangoCodeOperation]) -> MigrationKind {
        if codeOperations.contains(where: { $0.operation == .runPython }) { return .data }
        guard !topLevel.isEmpty, topLevel.allSatisfy({ $0.method == "RunSQL" }) else { return .schema }
        let sql = topLevel.compactMap { $0.argument("sql", position: 0) }.flatMap(\.strings).joined(separator: ";\n")
        return SQLScan(sql).kind()
    }

    /// Django reverses operations itself, except code without its reverse; code whose every
    /// reverse is `noop`, with nothing else to reverse, makes an empty rollback.
    private static func down(topLevel: [PythonCall], codeOperations: [DjangoCodeOperation],
                             lines: ClosedRange<Int>) -> DownPart {
        if codeOperations.contains(where: { $0.reverse == .missing }) { return .missing }
        let onlyCode = !topLevel.isEmpty && topLevel.allSatisfy { $0.method == "RunPython" || $0.method == "RunSQL" }
        if onlyCode, codeOperations.allSatisfy({ $0.reverse == .noop }) { return .empty(.lines(lines)) }
        return .reversibleChange(lines)
    }
}

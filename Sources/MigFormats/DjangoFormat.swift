public import MigCore

/// Django migrations: `<app>/migrations/<NNNN>_<name>.py` holding `class Migration`. The set's
/// folder is one app's `migrations/`, or a project folder whose every `<app>/migrations/`
/// belongs to the set, so dependencies across apps stay in one graph.
public struct DjangoFormat: MigrationFormat {
    public let kind = MigrationFormatKind.django

    public init() {}

    public func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery {
        var scan = try FolderScan(tree: tree, folder: folder)
        let singleApp = DjangoFormat.isSingleApp(folder)
        for file in scan.files {
            let relative = scan.relativePath(file)
            // A project's models, settings and clutter around the apps are no concern, so
            // they are not even listed as ignored.
            guard singleApp || DjangoFormat.depthBelowMigrations(relative, singleApp: false) != nil else { continue }
            scan.sort(file, by: nameVerdict(ofFileAt: relative, in: folder))
        }
        var migrations: [Migration] = []
        for named in scan.named {
            guard let text = try scan.text(of: named.file, in: tree, strict: true) else { continue }
            let source = PythonSource(text)
            guard let migrationClass = source.definitions.first(where: { $0.kind == .class && $0.name == "Migration" && $0.depth == 0 }) else {
                scan.problem(named.file, "has no `class Migration`; Django stops with BadMigrationError")
                continue
            }
            // A migration lies directly in its app's `migrations/`, whose parent names the app.
            let app = FileName.text(Array(named.file.path.parent.parent.fileName.bytes))
            migrations.append(DjangoFormat.migration(file: named.file, version: named.version, name: named.name, app: app,
                                                     source: source, migrationClass: migrationClass))
        }
        return scan.finished(migrations)
    }

    public func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict {
        let singleApp = folder.map(DjangoFormat.isSingleApp) ?? relativePath.parent.isEmpty
        guard let depth = DjangoFormat.depthBelowMigrations(relativePath, singleApp: singleApp) else { return .ignored }
        if let verdict = NameVerdict.setAside(relativePath, migrationExtension: ".py") { return verdict }
        let name = relativePath.fileName.bytes
        // Django's loader skips modules starting with `_` or `~`.
        guard FileName.hasSuffix(name, ".py"), name.first != UInt8(ascii: "_"), name.first != UInt8(ascii: "~") else {
            return .ignored
        }
        guard depth == 0 else {
            return .misnamed(reason: "is in a subfolder of migrations/; Django only loads migrations from the folder itself")
        }
        guard let (version, title) = FileName.versioned(name, suffix: ".py") else {
            return .misnamed(reason: "has no `NNNN_` number; name it `<NNNN>_<name>.py` as makemigrations does")
        }
        return .migration(version: version, name: title, isDown: false)
    }

    /// A set's folder is one app's `migrations/`, or a project folder holding apps.
    private static func isSingleApp(_ folder: RepoPath) -> Bool {
        folder.fileName == RepoPath("migrations")
    }

    /// How many folders lie between the file and the `migrations/` holding it: the set's
    /// folder for a single app, else the innermost one below the project folder. Nil outside
    /// every app's `migrations/`.
    private static func depthBelowMigrations(_ relativePath: RepoPath, singleApp: Bool) -> Int? {
        let folders = relativePath.parent.components
        if singleApp { return folders.count }
        return folders.lastIndex { $0.elementsEqual("migrations".utf8) }.map { folders.count - 1 - $0 }
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

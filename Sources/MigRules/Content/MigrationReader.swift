public import MigCore
public import MigFormats
import MigSQL

/// Reads a migration file into the `MigrationText` the content rules look at.
public enum MigrationReader {
    /// `placeholders` are the policy's `(text, replacement)` pairs; `newTables` the tables that
    /// pending migrations create (see `MigrationText.newTables`), evaluated only if a rule asks. Callers that ran discovery pass
    /// the migration's `down` when reading any of its files (`Migration.files`), and the bytes of
    /// a separate down file when reading the forward one; without `down`, it is derived from the
    /// file alone where that can tell.
    public static func read(path: RepoPath, bytes: [UInt8], format: MigrationFormatKind, dialect: Dialect,
                            newTables: @autoclosure @escaping () -> Set<String> = [],
                            placeholders: [(String, String)] = [],
                            down: DownPart? = nil, downFile: [UInt8]? = nil) -> MigrationText {
        let lineMap = LineMap(bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        let parse = { (source: [UInt8]) -> [SQLStatement] in
            dialect == .postgres ? SQLDocument.parse(source, placeholders: placeholders).statements : []
        }
        var parts: [SQLPart] = []
        var code = FrameworkCode.none
        var transactional = true
        var hasDownSection = false
        switch format {
        case .rails:
            let ruby = RubySource(text)
            code = .ruby(ruby)
            transactional = !ruby.tokens.contains { $0.kind == .identifier && $0.text == "disable_ddl_transaction!" }
            parts = EmbeddedSQL.parts(in: ruby, lineMap: lineMap, parse: parse)
        case .alembic, .django:
            let python = PythonSource(text)
            code = .python(python)
            transactional = format == .alembic || !python.assignments.contains { assignment in
                assignment.target == "atomic" && assignment.value == .bool(false)
            }
            parts = EmbeddedSQL.parts(in: python, format: format, lineMap: lineMap, parse: parse)
        case .sql, .dbmate, .golangMigrate, .flyway, .prisma:
            let markers = SQLSectionMarkers.markers(in: text, format: format)
            hasDownSection = markers.contains(where: \.isDown)
            transactional = switch format {
            case .dbmate: !markers.contains { $0.comment.contains("transaction:false") }
            case .flyway: true
            default: false
            }
            parts = sectionParts(bytes: bytes, lineMap: lineMap, markers: markers,
                                 wholeFileIsDown: isDownFile(path, format: format), statements: parse(bytes))
        }
        if dialect == .mysql { parts = parts.map { $0.readingMySQL() } }
        return MigrationText(path: path, format: format, dialect: dialect, bytes: bytes, lineMap: lineMap,
                             parts: parts.filter { $0.direction == .up } + parts.filter { $0.direction == .down },
                             code: code, runsInTransaction: transactional,
                             down: down ?? derivedDown(path: path, text: text, format: format, hasDownSection: hasDownSection),
                             downFile: downFile.map { file in
                                 SQLPart(direction: .down, source: file, range: 0..<file.count,
                                         statements: parse(file).enumerated().map { LintStatement($0.element, index: $0.offset) },
                                         placement: .file, lineMap: LineMap(file))
                             },
                             caches: ContentCaches(newTables: newTables))
    }

    /// The down part as the format's own discovery sees the file alone, in a one-file tree. Nil
    /// where a sibling file could hold the rollback: a separate-file format, or a plain SQL file
    /// without a down section.
    static func derivedDown(path: RepoPath, text: String, format: MigrationFormatKind, hasDownSection: Bool) -> DownPart? {
        let migrationFormat = MigrationFormats.format(for: format)
        switch format {
        case .prisma:
            return .notApplicable
        case .flyway:
            if case .repeatable = migrationFormat.nameVerdict(ofFileAt: path.fileName, in: nil) { return .notApplicable }
            return nil
        case .golangMigrate:
            return nil
        case .sql where !hasDownSection:
            return nil
        case .sql, .dbmate, .rails, .alembic, .django:
            let tree = MemoryTree(files: [path.description: text], objects: MemoryObjects())
            let discovery = try? migrationFormat.discover(in: tree, folder: path.parent)
            return discovery?.migrations.first { $0.path == path }?.down
        }
    }

    /// golang-migrate and sql `.down.sql`, Flyway's `U` undo files.
    static func isDownFile(_ path: RepoPath, format: MigrationFormatKind) -> Bool {
        let name = path.fileName
        if case .migration(_, _, let isDown) = MigrationFormats.format(for: format).nameVerdict(ofFileAt: name, in: nil) {
            return isDown
        }
        return false
    }

    /// One part per section between markers; a file without markers is one part. Statements go
    /// to the section their first byte is in, so the file is parsed once.
    private static func sectionParts(bytes: [UInt8], lineMap: LineMap, markers: [SQLSectionMarker], wholeFileIsDown: Bool,
                                     statements: [SQLStatement]) -> [SQLPart] {
        var bounds: [(start: Int, isDown: Bool)] = [(0, wholeFileIsDown)]
        for marker in markers {
            bounds.append((lineMap.offset(ofLine: marker.line), marker.isDown))
        }
        var parts: [SQLPart] = []
        for (index, bound) in bounds.enumerated() {
            let end = index + 1 < bounds.count ? bounds[index + 1].start : bytes.count
            if index == 0 && bounds.count > 1 && end == 0 { continue }
            let inside = bounds.count == 1 ? statements
                : statements.filter { $0.range.lowerBound >= bound.start && $0.range.lowerBound < end }
            parts.append(SQLPart(direction: bound.isDown ? .down : .up, source: bytes, range: bound.start..<end,
                                 statements: inside.indices.map { LintStatement(inside[$0], index: $0) },
                                 placement: .file, lineMap: lineMap))
        }
        return parts
    }
}

public import MigCore

/// One migration tool's conventions: which files it runs, in which order, and their rollbacks.
public protocol MigrationFormat: Sendable {
    var kind: MigrationFormatKind { get }

    /// Reads the migrations in `folder` through `tree` only, so it works in bare repositories.
    /// Bad content never throws: it lands in `problems`. Throws only what `tree` throws.
    func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery

    /// What a file's name makes it below the set's folder, without reading it: what the
    /// pre-receive hook judges pushed files by, cheap and the same in every commit. `discover`
    /// sorts files by it, so the two agree wherever a name can decide; contents can still make
    /// a file named as a migration a problem (and, for Alembic, whose revision ids live in the
    /// code, a misnamed file).
    ///
    /// `folder` is the set's folder: Django reads a file directly in it as in one app's
    /// `migrations/` only when the folder is one, and as project code otherwise. Pass nil only
    /// where the folder is unknown; Django then takes the path's shape for the folder's.
    func nameVerdict(ofFileAt relativePath: RepoPath, in folder: RepoPath?) -> NameVerdict
}

extension MigrationFormat {
    /// Classifies a path below the set's folder by its name alone: what the ledger tracks.
    /// Down and undo files are `.migration` too, so editing a deployed rollback is caught.
    /// Callers know no folder here; a Django file is then a migration when it is one in either
    /// kind of folder, so no edit of a deployed migration slips by.
    public func role(ofFileAt relativePath: RepoPath) -> MigrationFileRole {
        MigrationFileRole(nameVerdict(ofFileAt: relativePath, in: nil))
    }
}

/// What a file's name makes it in its migration folder.
public enum MigrationFileRole: Sendable, Hashable {
    /// A file of a migration with this version (as written).
    case migration(version: String)
    /// A file the tool runs again whenever it changes (Flyway `R__`): editing it is the design.
    case repeatable
    /// Anything else: clutter, companions, misnamed look-alikes.
    case other
}

/// The registry of formats, one per `MigrationFormatKind`.
public enum MigrationFormats: Sendable {
    public static let all: [any MigrationFormat] = [
        RailsFormat(), AlembicFormat(), DjangoFormat(), FlywayFormat(),
        GolangMigrateFormat(), DbmateFormat(), PrismaFormat(), PlainSQLFormat(),
    ]

    public static func format(for kind: MigrationFormatKind) -> any MigrationFormat {
        switch kind {
        case .rails: RailsFormat()
        case .alembic: AlembicFormat()
        case .django: DjangoFormat()
        case .flyway: FlywayFormat()
        case .golangMigrate: GolangMigrateFormat()
        case .dbmate: DbmateFormat()
        case .prisma: PrismaFormat()
        case .sql: PlainSQLFormat()
        }
    }
}

/// The part of discovery every format shares: listing the folder, setting aside links and
/// submodules, sorting files by their names' verdicts, reading text safely, and sorting the result.
struct FolderScan {
    /// A file whose name makes it a migration, or the down or undo part of one.
    struct NamedFile {
        let file: TreeFile
        let version: String
        let name: String
        let isDown: Bool
    }

    let folder: RepoPath
    /// Regular files, links and submodules set aside.
    private(set) var files: [TreeFile] = []
    /// Files whose names make them migrations, in path order, waiting for their contents.
    private(set) var named: [NamedFile] = []
    /// Files whose names make them repeatables (Flyway `R__`), in path order.
    private(set) var repeatables: [(file: TreeFile, name: String)] = []
    var result = Discovery()

    init(tree: some TreeSource, folder: RepoPath) throws {
        self.folder = folder
        for file in try tree.files(under: folder) {
            switch file.mode {
            case .symlink:
                result.problems.append(PathNote(path: file.path,
                    message: "is a symbolic link; links in migration folders are not followed, commit the file itself"))
            case .submodule:
                result.problems.append(PathNote(path: file.path,
                    message: "is a submodule; migrations inside submodules are not read"))
            case .regular, .executable:
                files.append(file)
            }
        }
    }

    /// The scan for formats that need nothing but the verdict on every name.
    init(tree: some TreeSource, folder: RepoPath, sortingBy format: some MigrationFormat) throws {
        try self.init(tree: tree, folder: folder)
        for file in files {
            sort(file, by: format.nameVerdict(ofFileAt: relativePath(file), in: folder))
        }
    }

    /// The path below the scanned folder.
    func relativePath(_ file: TreeFile) -> RepoPath {
        file.path.relative(to: folder) ?? file.path
    }

    /// Lists an ignored or misnamed file at once; keeps the others for their contents.
    mutating func sort(_ file: TreeFile, by verdict: NameVerdict) {
        switch verdict {
        case .migration(let version, let name, let isDown):
            named.append(NamedFile(file: file, version: version, name: name, isDown: isDown))
        case .repeatable(let name):
            repeatables.append((file, name))
        case .ignored:
            result.ignored.append(file.path)
        case .misnamed(let reason):
            misnamed(file, reason)
        }
    }

    mutating func ignore(_ file: TreeFile) {
        result.ignored.append(file.path)
    }

    mutating func misnamed(_ file: TreeFile, _ reason: String) {
        result.misnamed.append(PathNote(path: file.path, message: reason))
    }

    mutating func problem(_ file: TreeFile, _ message: String) {
        result.problems.append(PathNote(path: file.path, message: message))
    }

    /// A file's text, or nil after recording a problem. Binary content (a NUL byte) is never a
    /// migration. Invalid UTF-8 is a problem only where the format must read the code
    /// (`strict`); SQL files are otherwise decoded with replacement characters, which keeps
    /// line numbers and every ASCII keyword intact.
    mutating func text(of file: TreeFile, in tree: some TreeSource, strict: Bool) throws -> String? {
        let bytes = try tree.contents(of: file)
        if bytes.contains(0) {
            problem(file, "has binary content (a NUL byte); a migration must be a text file")
            return nil
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        if strict {
            problem(file, "is not valid UTF-8; save it as UTF-8 so its code can be read")
            return nil
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A rollback kept in its own SQL file: empty when it holds no statement, only comments.
    mutating func separateDown(_ file: TreeFile, in tree: some TreeSource) throws -> DownPart {
        guard let text = try text(of: file, in: tree, strict: false) else { return .separateFile(file) }
        return SQLScan(text).statements.isEmpty ? .empty(.file(file)) : .separateFile(file)
    }

    /// The discovery with migrations in run order and every list sorted by path.
    func finished(_ migrations: [Migration]) -> Discovery {
        var discovery = result
        discovery.migrations = migrations.sorted { ($0.order, $0.path) < ($1.order, $1.path) }
        discovery.ignored.sort()
        discovery.misnamed.sort { $0.path < $1.path }
        discovery.problems.sort { $0.path < $1.path }
        return discovery
    }
}

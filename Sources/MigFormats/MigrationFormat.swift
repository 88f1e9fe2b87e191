public import MigCore

/// One migration tool's conventions: which files it runs, in which order, and their rollbacks.
public protocol MigrationFormat: Sendable {
    var kind: MigrationFormatKind { get }

    /// Reads the migrations in `folder` through `tree` only, so it works in bare repositories.
    /// Bad content never throws: it lands in `problems`. Throws only what `tree` throws.
    func discover(in tree: some TreeSource, folder: RepoPath) throws -> Discovery

    /// Classifies a path below the set's folder by its name alone, without reading it: what
    /// the ledger and the pre-receive hook need, cheap and the same in every commit. Down and
    /// undo files are `.migration` too, so editing a deployed rollback is caught.
    func role(ofFileAt relativePath: RepoPath) -> MigrationFileRole
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

/// The part of discovery every format shares: listing the folder, setting aside links,
/// submodules and the usual clutter, reading text safely, and sorting the result.
struct FolderScan {
    let folder: RepoPath
    /// Regular files still to be classified by the format.
    private(set) var files: [TreeFile] = []
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
                if FileName.isClutter(file.path.relative(to: folder) ?? file.path) {
                    result.ignored.append(file.path)
                } else {
                    files.append(file)
                }
            }
        }
    }

    /// The path below the scanned folder.
    func relativePath(_ file: TreeFile) -> RepoPath {
        file.path.relative(to: folder) ?? file.path
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

    /// Records misnamed backup copies (`x.sql.orig`) of files with the migration extension,
    /// and ignores backups of anything else. Returns whether `file` was such a backup.
    mutating func setAsideBackup(_ file: TreeFile, migrationExtensions: [String]) -> Bool {
        let name = file.path.fileName.bytes
        guard let suffix = FileName.backupSuffix(of: name) else { return false }
        let base = Array(name.dropLast(suffix.utf8.count))
        if migrationExtensions.contains(where: { FileName.hasSuffix(base, $0) }) {
            misnamed(file, "is a `\(suffix)` copy; the tool skips it, so delete it or restore the name")
        } else {
            ignore(file)
        }
        return true
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

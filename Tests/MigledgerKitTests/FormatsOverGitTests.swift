import Foundation
import MigCore
import MigFormats
import MigGit
import MigledgerKit
import Testing
import TestSupport

/// The formats read real repositories through `GitTreeSource`: what the pre-receive hook sees
/// on a bare server must be what a developer's clone shows.
@Suite struct FormatsOverGitTests {
    /// A committed project opened from its work-tree repository and from a bare mirror of it.
    struct Committed {
        let work: GitFixture
        let bare: GitFixture
        /// The work tree's `HEAD` first, then the bare clone's.
        let trees: [GitTreeSource]

        init(_ prepare: (GitFixture) throws -> Void) throws {
            work = try GitFixture()
            try prepare(work)
            bare = try work.bareClone()
            trees = try [work.path, bare.path].map { path in
                let repository = try Repository.open(at: path, environment: [:])
                return try GitTreeSource(repository: repository, commit: try repository.resolveCommit("HEAD"))
            }
            #expect(trees[1].repository.isBare)
        }

        /// Blob ids of `HEAD` by path, as git itself lists them.
        func blobIDs() throws -> [String: String] {
            let listing = try work.git("ls-tree", "-r", "-z", "HEAD").stdout
            var ids: [String: String] = [:]
            for line in listing.split(separator: "\0") {
                let fields = line.split(separator: "\t", maxSplits: 1)
                ids[String(fields[1])] = String(fields[0].split(separator: " ")[2])
            }
            return ids
        }
    }

    @Test(arguments: FormatProject.all)
    func discoveryFromAWorkTreeAndABareCloneAgrees(project: FormatProject) throws {
        let committed = try Committed { try project.commit(into: $0) }
        let format = MigrationFormats.format(for: project.format)
        let folder = RepoPath(project.folder)
        let discoveries = try committed.trees.map { try format.discover(in: $0, folder: folder) }
        let discovery = discoveries[0]

        #expect(discovery.migrations.map(FormatProject.describe) == project.migrations)
        #expect(discovery.ignored.map(\.description) == project.ignored)
        #expect(discovery.misnamed.isEmpty, "\(discovery.misnamed)")
        #expect(discovery.problems.isEmpty, "\(discovery.problems)")
        #expect(discoveries[1] == discovery)

        // The ledger stores blob ids, so they must be git's own, down files included.
        let blobs = try committed.blobIDs()
        for file in discovery.migrations.flatMap(\.files) {
            #expect(file.objectID == blobs[file.path.description], "\(file.path)")
        }
    }

    /// The hook classifies pushed paths by name alone; it must agree with full discovery.
    @Test(arguments: FormatProject.all)
    func nameOnlyRolesAgreeWithDiscovery(project: FormatProject) throws {
        let committed = try Committed { try project.commit(into: $0) }
        let format = MigrationFormats.format(for: project.format)
        let folder = RepoPath(project.folder)
        let discovery = try format.discover(in: committed.trees[1], folder: folder)
        #expect(!discovery.migrations.isEmpty)
        for migration in discovery.migrations {
            let expected: MigrationFileRole = migration.details.flyway?.isRepeatable == true
                ? .repeatable : .migration(version: migration.version)
            for file in migration.files {
                #expect(format.role(ofFileAt: try #require(file.path.relative(to: folder))) == expected, "\(file.path)")
            }
        }
        for path in discovery.ignored {
            #expect(format.role(ofFileAt: try #require(path.relative(to: folder))) == .other, "\(path)")
        }
    }

    @Test(arguments: FormatProject.all)
    func detectionOnGitTreesFindsTheSetFormatAndDialect(project: FormatProject) throws {
        let committed = try Committed { try project.commit(into: $0) }
        for tree in committed.trees {
            let sets = try FormatDetector.detect(in: tree)
            #expect(sets.map { "\($0.path) \($0.format.rawValue) \($0.dialect.rawValue)" }
                == ["\(project.folder) \(project.format.rawValue) \(project.dialect.rawValue)"])
        }
    }

    // MARK: - Paths git allows and tools trip on

    /// A Latin-1 `é`: a file name git stores as raw bytes, not UTF-8.
    static let latin1Name = Array("db/migrations/20240102000000_caf".utf8) + [0xE9] + Array("_menu.sql".utf8)

    @Test func trickyPathsThroughGit() throws {
        let committed = try Committed { git in
            try git.write("db/migrations/README.md", "Plain SQL, applied by version.\n")
            try git.write("db/migrations/20240101000000_create users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n")
            try Self.writeRaw(in: git, path: Self.latin1Name, Array("CREATE TABLE menu (id bigint PRIMARY KEY);\n".utf8))
            try git.write("db/migrations/2024/q1/20240103000000_add_menu_index.sql",
                          "CREATE INDEX CONCURRENTLY idx_menu_id ON menu (id);\n")
            try git.write("db/migrations/20240104000000_latin1_comment.sql",
                          bytes: Array("-- Men".utf8) + [0xFC] + Array(" f".utf8) + [0xFC] + Array("r alle\nALTER TABLE menu ADD COLUMN price numeric;\n".utf8))
            try git.write("db/migrations/20240101000000_create users.sql.orig", "CREATE TABLE users (id int);\n")
            try git.write("db/migrations/20240105000000_drop_menu.sql.bak", "DROP TABLE menu;\n")
            try git.write("db/migrations/20240105000000_drop_menu.sql~", "DROP TABLE menu;\n")
            try git.write("db/migrations/notes.txt.bak", "old notes\n")
            try git.write("db/migrations/20240107000000_snapshot.sql", bytes: Array("COPY menu FROM stdin;\n".utf8) + [0, 1, 2])
            try git.write("shared/20240106000000_linked.sql", "SELECT 1;\n")
            try FileManager.default.createSymbolicLink(atPath: git.path + "/db/migrations/20240106000000_linked.sql",
                                                       withDestinationPath: "../../shared/20240106000000_linked.sql")
            // Rails reads Ruby code, so a Latin-1 byte there is a problem, not a replacement character.
            try git.write("db/migrate/20240108000000_add_menu_notes.rb",
                          bytes: Array("# Men".utf8) + [0xFC] + Array("\nclass AddMenuNotes < ActiveRecord::Migration[7.1]\n  def change\n    add_column :menus, :notes, :text\n  end\nend\n".utf8))
            try git.git("add", "-A")
            // A gitlink has no work-tree content for `add -A` to keep, so it goes straight into the index.
            try git.git("update-index", "--add", "--cacheinfo", "160000,5f2c0d6b7a8e9f0a1b2c3d4e5f60718293a4b5c6,db/migrations/vendored")
            try git.git("commit", "-q", "-m", "tricky paths")
        }
        #expect(try committed.work.git("ls-tree", "HEAD", "db/migrations/vendored").stdout.hasPrefix("160000 commit "))

        let sql = MigrationFormats.format(for: .sql)
        let folder = RepoPath("db/migrations")
        let discovery = try sql.discover(in: committed.trees[0], folder: folder)
        #expect(discovery.migrations.map(FormatProject.describe) == [
            "db/migrations/20240101000000_create users.sql | 20240101000000 | create users | schema | missing",
            "db/migrations/20240102000000_caf\\xE9_menu.sql | 20240102000000 | caf\\xE9_menu | schema | missing",
            "db/migrations/2024/q1/20240103000000_add_menu_index.sql | 20240103000000 | add_menu_index | schema | missing",
            "db/migrations/20240104000000_latin1_comment.sql | 20240104000000 | latin1_comment | schema | missing",
        ])
        #expect(discovery.migrations[1].path.bytes == Self.latin1Name)
        #expect(discovery.ignored.map(\.description) == ["db/migrations/README.md", "db/migrations/notes.txt.bak"])
        #expect(discovery.misnamed.map { "\($0.path) \(Self.backquoted($0.message))" } == [
            "db/migrations/20240101000000_create users.sql.orig .orig",
            "db/migrations/20240105000000_drop_menu.sql.bak .bak",
            "db/migrations/20240105000000_drop_menu.sql~ ~",
        ])
        #expect(discovery.problems.map(\.path.description) == [
            "db/migrations/20240106000000_linked.sql",
            "db/migrations/20240107000000_snapshot.sql",
            "db/migrations/vendored",
        ])
        #expect(discovery.problems.map(\.message).map { $0.split(separator: ";")[0] } == [
            "is a symbolic link", "has binary content (a NUL byte)", "is a submodule",
        ])
        #expect(try sql.discover(in: committed.trees[1], folder: folder) == discovery)

        let rails = try MigrationFormats.format(for: .rails).discover(in: committed.trees[1], folder: RepoPath("db/migrate"))
        #expect(rails.migrations.isEmpty)
        #expect(rails.problems.map { "\($0.path): \($0.message)" } == [
            "db/migrate/20240108000000_add_menu_notes.rb: is not valid UTF-8; save it as UTF-8 so its code can be read",
        ])

        // `init` reads the work tree from disk, raw names included; only the gitlink has no file there.
        let onDisk = try sql.discover(in: WorkTreeSource(root: committed.work.path), folder: folder)
        #expect(onDisk.migrations.map(\.path) == discovery.migrations.map(\.path))
        #expect(onDisk.problems.map(\.path) == discovery.problems.map(\.path).filter { $0.fileName != RepoPath("vendored") })
    }

    /// Creates a file whose name is not UTF-8, which no `String` path can spell.
    static func writeRaw(in fixture: GitFixture, path: [UInt8], _ contents: [UInt8]) throws {
        let absolute = (Array(fixture.path.utf8) + [UInt8(ascii: "/")] + path + [0]).map { CChar(bitPattern: $0) }
        let descriptor = open(absolute, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0, "open(2) failed with errno \(errno)")
        defer { close(descriptor) }
        #expect(write(descriptor, contents, contents.count) == contents.count)
    }

    /// The first `` `…` `` span of a message: the suffix a backup note names.
    static func backquoted(_ message: String) -> String {
        message.split(separator: "`", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
    }
}

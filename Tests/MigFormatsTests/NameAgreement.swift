import MigCore
import MigFormats
import Testing

/// Checks `nameVerdict` on every regular file below `folder` against what `discover` found:
/// the same migrations with the same versions and names, down and undo files as downs of
/// their migration's version, the same ignored files, the same misnamed files with the same
/// reasons. Only contents may make a well-named file a problem, and only Alembic's, whose
/// revision ids live in the code, may make one misnamed. `role(ofFileAt:)` must follow.
func expectNamesAgree(_ kind: MigrationFormatKind, _ tree: some TreeSource, in folder: RepoPath, with discovery: Discovery,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
    let format = MigrationFormats.format(for: kind)
    let ignored = Set(discovery.ignored)
    let misnamed = Dictionary(discovery.misnamed.map { ($0.path, $0.message) }, uniquingKeysWith: { first, _ in first })
    let problems = Set(discovery.problems.map(\.path))
    var migrations: [RepoPath: (migration: Migration, isDown: Bool)] = [:]
    for migration in discovery.migrations {
        for (index, file) in migration.files.enumerated() { migrations[file.path] = (migration, index > 0) }
    }
    let files = try tree.files(under: folder)
    let hasVersions = files.contains { $0.path.isInside(folder.appending("versions")) }
    for file in files where file.mode == .regular || file.mode == .executable {
        let relative = try #require(file.path.relative(to: folder))
        // Whether Alembic's revisions lie in `versions/` or in the folder itself depends on the
        // tree; names tell only for files where both layouts agree.
        let pythonBesideVersions = relative.components.count == 1 && relative.fileName != RepoPath("env.py")
            && relative.description.hasSuffix(".py")
        let layoutsDiffer = hasVersions ? pythonBesideVersions
            : relative.components.count > 1 && folder.fileName != RepoPath("versions")
        if kind == .alembic, layoutsDiffer { continue }
        let verdict = format.nameVerdict(ofFileAt: relative, in: folder)
        let comment: Comment = "\(kind.rawValue) \(file.path): \(verdict)"
        if let (migration, isDown) = migrations[file.path] {
            expectMigration(verdict, of: migration, isDown: isDown, named: relative.fileName, comment, sourceLocation)
        } else if ignored.contains(file.path) {
            #expect(verdict == .ignored, comment, sourceLocation: sourceLocation)
        } else if let reason = misnamed[file.path] {
            if kind == .alembic, case .migration = verdict {
                #expect(reason.contains("revision ="), comment, sourceLocation: sourceLocation)
            } else {
                #expect(verdict == .misnamed(reason: reason), comment, sourceLocation: sourceLocation)
            }
        } else if problems.contains(file.path) {
            if case .misnamed = verdict { Issue.record("a misnamed file was read as a problem: \(comment)", sourceLocation: sourceLocation) }
        } else {
            // A Django project lists only what lies in its apps' `migrations/`.
            #expect(kind == .django && verdict == .ignored, comment, sourceLocation: sourceLocation)
        }
        // Django and Alembic read the set's folder, which the ledger's role does without; no
        // fixture's migration may lose its role to that.
        if ![.django, .alembic].contains(kind) || role(verdict) != .other {
            #expect(format.role(ofFileAt: relative) == role(verdict), comment, sourceLocation: sourceLocation)
        }
    }
}

private func expectMigration(_ verdict: NameVerdict, of migration: Migration, isDown: Bool, named fileName: RepoPath,
                             _ comment: Comment, _ sourceLocation: SourceLocation) {
    switch verdict {
    case .repeatable(let name):
        #expect(migration.details.flyway?.isRepeatable == true && name == migration.name, comment, sourceLocation: sourceLocation)
    case .migration(let version, _, true):
        #expect(isDown && VersionKey(parsing: version) == VersionKey(parsing: migration.version), comment,
                sourceLocation: sourceLocation)
    case .migration(let version, let name, _) where migration.format == .alembic:
        // Only a name that follows the default template `<rev>_<slug>.py` tells the revision.
        let stem = fileName.description.dropLast(3)
        if stem == migration.version || stem.hasPrefix(migration.version + "_") {
            #expect(version == migration.version && name == migration.name, comment, sourceLocation: sourceLocation)
        }
        #expect(!isDown, comment, sourceLocation: sourceLocation)
    case .migration(let version, let name, _):
        #expect(!isDown && version == migration.version && name == migration.name, comment, sourceLocation: sourceLocation)
    case .ignored, .misnamed:
        Issue.record("discovered as a migration: \(comment)", sourceLocation: sourceLocation)
    }
}

func role(_ verdict: NameVerdict) -> MigrationFileRole {
    switch verdict {
    case .migration(let version, _, _): .migration(version: version)
    case .repeatable: .repeatable
    case .ignored, .misnamed: .other
    }
}

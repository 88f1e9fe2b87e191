import Foundation
import MigCore
import MigGit
import Testing
import TestSupport

@Suite struct RepositoryTests {
    @Test func opensWorkTreeAndBareRepositoriesAndResolvesRevisions() throws {
        let fixture = try GitFixture()
        try fixture.write("db/migrate/20240101000000_create_users.rb", "class CreateUsers; end\n")
        let first = try fixture.commitAll("first")
        try fixture.write("README", "hello\n")
        let second = try fixture.commitAll("second", date: "2024-02-01T00:00:00Z")

        let repository = try Repository.open(at: fixture.path + "/db")
        #expect(!repository.isBare)
        #expect(try repository.resolveCommit("HEAD") == ObjectID(hex: second))
        #expect(try repository.resolveCommit("HEAD^") == ObjectID(hex: first))
        #expect(try repository.resolveCommit("main~1").hex == first)
        #expect(repository.headReferenceName == "refs/heads/main")

        let commit = try repository.commit(ObjectID(hex: second)!)
        #expect(commit.summary == "second")
        #expect(commit.parents == [ObjectID(hex: first)!])
        #expect(commit.author.name == "Test Author")
        #expect(commit.committer.time.seconds == 1_706_745_600)

        let bare = try fixture.bareClone()
        let bareRepository = try Repository.open(at: bare.path)
        #expect(bareRepository.isBare)
        #expect(bareRepository.workDirectory == nil)
        #expect(try bareRepository.resolveCommit("main").hex == second)
    }

    @Test func failuresCarryLibgit2Messages() throws {
        let empty = try TemporaryDirectory()
        #expect(throws: GitError.self) { try Repository.open(at: empty.path) }
        do {
            _ = try Repository.open(at: empty.path)
        } catch {
            #expect(error.code == .notFound)
            #expect(error.description.contains("could not find repository"))
        }
        let fixture = try GitFixture()
        try fixture.commitAll("only")
        let repository = try Repository.open(at: fixture.path)
        do {
            _ = try repository.resolveCommit("no-such-branch")
            Issue.record("resolving a missing revision must throw")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.description.contains("no-such-branch"))
        }
    }

    @Test func listsReferencesWithPeeledTargetsAndTagDates() throws {
        let fixture = try GitFixture()
        try fixture.write("a.sql", "select 1;\n")
        let commit = try fixture.commitAll("one", date: "2024-03-01T10:00:00Z")
        try fixture.git("tag", "light")
        try fixture.git("tag", "-a", "v1.0", "-m", "release",
                        environment: ["GIT_COMMITTER_DATE": "2024-05-05T05:05:05Z"])
        try fixture.git("update-ref", "refs/environments/production/deployments/7", commit)

        let repository = try Repository.open(at: fixture.path)
        let tags = try repository.references(matching: "refs/tags/*").sorted { $0.name < $1.name }
        #expect(tags.map(\.name) == ["refs/tags/light", "refs/tags/v1.0"])
        #expect(tags[0].tag == nil)
        #expect(tags[0].commit?.hex == commit)
        #expect(tags[0].date?.seconds == 1_709_287_200)
        #expect(tags[1].tag?.name == "v1.0")
        #expect(tags[1].commit?.hex == commit)
        #expect(tags[1].target != tags[1].commit)
        #expect(tags[1].date?.seconds == 1_714_885_505)

        let deployments = try repository.references(matching: "refs/environments/*")
        #expect(deployments.map(\.name) == ["refs/environments/production/deployments/7"])
        #expect(try repository.referenceTarget("refs/tags/v1.0") == ObjectID(hex: commit))
        #expect(try repository.referenceTarget("refs/tags/missing") == nil)
    }

    @Test func walksWithHidingOrderAndFirstParent() throws {
        let fixture = try GitFixture()
        let base = try fixture.commitAll("base", date: "2024-01-01T00:00:00Z")
        try fixture.git("checkout", "-q", "-b", "feature")
        let feature = try fixture.commitAll("feature", date: "2024-01-02T00:00:00Z")
        try fixture.git("checkout", "-q", "main")
        let mainline = try fixture.commitAll("mainline", date: "2024-01-03T00:00:00Z")
        try fixture.git("merge", "-q", "--no-ff", "feature", "-m", "merge",
                        environment: ["GIT_AUTHOR_DATE": "2024-01-04T00:00:00Z",
                                      "GIT_COMMITTER_DATE": "2024-01-04T00:00:00Z"])
        let merge = try fixture.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let repository = try Repository.open(at: fixture.path)
        let all = try repository.walk(pushing: [ObjectID(hex: merge)!]).all().map(\.hex)
        #expect(Set(all) == [base, feature, mainline, merge])
        #expect(all.first == merge && all.last == base)

        let reversed = try repository.walk(pushing: [ObjectID(hex: merge)!], order: [.topological, .reverse]).all()
        #expect(reversed.first?.hex == base && reversed.last?.hex == merge)

        let firstParent = try repository.walk(pushing: [ObjectID(hex: merge)!], firstParentOnly: true).all().map(\.hex)
        #expect(firstParent == [merge, mainline, base])

        let newOnly = try repository.walk(pushing: [ObjectID(hex: merge)!], hiding: [ObjectID(hex: mainline)!]).all().map(\.hex)
        #expect(Set(newOnly) == [merge, feature])

        let walk = try repository.walk(pushing: [ObjectID(hex: merge)!])
        try walk.hideReferences(matching: "refs/heads/feat*")
        #expect(Set(try walk.all().map(\.hex)) == [merge, mainline])

        #expect(try repository.isDescendant(ObjectID(hex: merge)!, of: ObjectID(hex: feature)!))
        #expect(!(try repository.isDescendant(ObjectID(hex: feature)!, of: ObjectID(hex: mainline)!)))
        #expect(!(try repository.isDescendant(ObjectID(hex: base)!, of: ObjectID(hex: base)!)))
        #expect(try repository.mergeBase(ObjectID(hex: feature)!, ObjectID(hex: mainline)!)?.hex == base)
    }

    @Test func readsTreesAndBlobsByPathIncludingNonUTF8Names() throws {
        let fixture = try GitFixture()
        try fixture.write("db/migrate/20240101000000_create users.rb", "up\r\ndown\n")
        try fixture.write("db/migrate/nested/20240102000000_add.rb", "x")
        
        let rawName: [UInt8] = Array("db/migrate/20240103000000_caf".utf8) + [0xE9] + Array(".rb".utf8)
        try FileManager.default.createDirectory(atPath: fixture.path + "/db/migrate", withIntermediateDirectories: true)
        let fd = rawName.withUnsafeBufferPointer { buffer -> Int32 in
            let path = Array((fixture.path + "/").utf8) + Array(buffer) + [0]
            return path.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        }
        #expect(fd >= 0)
        close(fd)
        let commit = try fixture.commitAll("files")

        let repository = try Repository.open(at: fixture.path)
        let tree = try repository.treeID(ofCommit: ObjectID(hex: commit)!)
        let files = try repository.files(inTree: tree, under: RepoPath("db/migrate"))
        #expect(files.map(\.path.description) == [
            "db/migrate/20240101000000_create users.rb",
            "db/migrate/20240103000000_caf\\xE9.rb",
            "db/migrate/nested/20240102000000_add.rb",
        ])
        #expect(files[1].path.string == nil)
        #expect(files[1].path.bytes == rawName)
        #expect(try repository.files(inTree: tree, under: RepoPath("no/such/dir")).isEmpty)

        let entry = try #require(try repository.entry(at: RepoPath("db/migrate/20240101000000_create users.rb"), inTree: tree))
        #expect(entry.kind == .blob)
        #expect(try repository.blob(entry.id) == Array("up\r\ndown\n".utf8))
        #expect(try repository.blobSize(entry.id) == 9)
        #expect(try repository.entry(at: RepoPath("db/migrate"), inTree: tree)?.kind == .tree)
        #expect(try repository.entry(at: RepoPath("db/missing.rb"), inTree: tree) == nil)
        #expect(try repository.entry(at: RepoPath(bytes: rawName), inTree: tree) != nil)
    }

    @Test func recognisesSymlinksAndSubmodules() throws {
        let fixture = try GitFixture()
        try fixture.write("db/real.sql", "select 1;\n")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/db/link.sql", withDestinationPath: "real.sql")
        let commit = try fixture.commitAll("links")
        try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(commit),db/vendored")
        try fixture.git("commit", "-q", "-m", "submodule")
        let withSubmodule = try fixture.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let repository = try Repository.open(at: fixture.path)
        let tree = try repository.treeID(ofCommit: ObjectID(hex: withSubmodule)!)
        let files = try repository.files(inTree: tree, under: RepoPath("db"))
        let byName = Dictionary(uniqueKeysWithValues: files.map { ($0.path.description, $0.entry) })
        #expect(byName["db/link.sql"]?.isSymlink == true)
        #expect(byName["db/vendored"]?.isSubmodule == true)
        #expect(byName["db/vendored"]?.kind == .commit)
        #expect(byName["db/real.sql"]?.isSymlink == false)
    }

    @Test func diffsTreesRestrictedToPathsWithRenames() throws {
        let fixture = try GitFixture()
        let body = (1...40).map { "line \($0)" }.joined(separator: "\n") + "\n"
        try fixture.write("db/migrate/001_old_name.rb", body)
        try fixture.write("db/migrate/002_edit.rb", "a\n")
        try fixture.write("db/migrate/003_delete.rb", "gone\n")
        try fixture.write("app/model.rb", "model\n")
        let before = try fixture.commitAll("before")
        try fixture.git("mv", "db/migrate/001_old_name.rb", "db/migrate/001_new_name.rb")
        try fixture.write("db/migrate/002_edit.rb", "b\n")
        try fixture.git("rm", "-q", "db/migrate/003_delete.rb")
        try fixture.write("db/migrate/004_add.rb", "new\n")
        try fixture.write("app/model.rb", "changed\n")
        let after = try fixture.commitAll("after")

        let repository = try Repository.open(at: fixture.path)
        let old = try repository.treeID(ofCommit: ObjectID(hex: before)!)
        let new = try repository.treeID(ofCommit: ObjectID(hex: after)!)

        let withRenames = try repository.diff(from: old, to: new, paths: [RepoPath("db/migrate")], detectRenames: true)
        let summary = withRenames.map { "\($0.status) \($0.oldPath) -> \($0.newPath)" }.sorted()
        #expect(summary == [
            "added db/migrate/004_add.rb -> db/migrate/004_add.rb",
            "deleted db/migrate/003_delete.rb -> db/migrate/003_delete.rb",
            "modified db/migrate/002_edit.rb -> db/migrate/002_edit.rb",
            "renamed db/migrate/001_old_name.rb -> db/migrate/001_new_name.rb",
        ])
        let rename = try #require(withRenames.first { $0.status == .renamed })
        #expect(rename.similarity == 100)
        #expect(rename.oldID == rename.newID)

        let withoutRenames = try repository.diff(from: old, to: new, paths: [RepoPath("db/migrate")])
        #expect(withoutRenames.count == 5)
        #expect(try repository.diff(from: old, to: new).count == 6)
        #expect(try repository.diff(from: nil, to: old, paths: [RepoPath("app")]).map(\.status) == [.added])
    }

    @Test func writesObjectsAndUpdatesReferencesCompareAndSwap() throws {
        let fixture = try GitFixture(bare: true)
        let repository = try Repository.open(at: fixture.path)
        let blob = try repository.writeBlob(Array("create table t();\n".utf8))
        let tree = try repository.writeTree(base: nil, updating: [
            TreeUpdate(path: RepoPath("db/migrate/001_a.sql"), id: blob),
            TreeUpdate(path: RepoPath("db/migrate/002_b.sql"), id: blob),
            TreeUpdate(path: RepoPath("other/x.sql"), id: blob),
        ])
        let extended = try repository.writeTree(base: tree, updating: [TreeUpdate(path: RepoPath("db/migrate/003_c.sql"), id: blob)])
        #expect(try repository.files(inTree: tree).count == 3)
        #expect(try repository.files(inTree: extended).map(\.path.description) == [
            "db/migrate/001_a.sql", "db/migrate/002_b.sql", "db/migrate/003_c.sql", "other/x.sql",
        ])
        let signature = Signature(name: "migledger", email: "migledger@localhost", time: GitTime(seconds: 1_700_000_000))
        let first = try repository.createCommit(tree: tree, parents: [], author: signature, committer: signature,
                                                message: "first\n\nEnvironment: production\n")
        let second = try repository.createCommit(tree: extended, parents: [first], author: signature,
                                                 committer: signature, message: "second\n")
        #expect(try repository.commit(second).parents == [first])
        #expect(try repository.commit(first).message.contains("Environment: production"))

        let ref = "refs/migledger/production"
        try repository.updateReference(ref, to: first, expecting: nil, message: "create")
        #expect(try repository.referenceTarget(ref) == first)
        do {
            try repository.updateReference(ref, to: second, expecting: nil, message: "create again")
            Issue.record("creating an existing ref must fail")
        } catch {
            #expect(error.code == .modified)
        }
        do {
            try repository.updateReference(ref, to: second, expecting: second, message: "stale")
            Issue.record("a stale expectation must fail")
        } catch {
            #expect(error.code == .modified)
        }
        #expect(try repository.referenceTarget(ref) == first)
        try repository.updateReference(ref, to: second, expecting: first, message: "advance")
        #expect(try repository.referenceTarget(ref) == second)
        let fsck = try run("git", ["fsck", "--strict"], in: fixture.path)
        #expect(fsck.status == 0)
    }

    @Test func seesQuarantinedObjectsThroughGitsEnvironment() throws {
        let server = try GitFixture(bare: true)
        let client = try GitFixture()
        try client.write("db/001.sql", "select 1;\n")
        let commit = try client.commitAll("pushed")

        let quarantine = try TemporaryDirectory("quarantine")
        // Git's quarantine is a separate object folder that only the hook's environment names.
        try run("git", ["init", "-q", "--bare", quarantine.path + "/scratch"])
        try run("git", ["push", "-q", quarantine.path + "/scratch", "HEAD:refs/heads/main"], in: client.path)

        let plain = try Repository.open(at: server.path)
        #expect(!plain.contains(ObjectID(hex: commit)!))
        let hooked = try Repository.open(at: nil, environment: [
            "GIT_DIR": server.path,
            "GIT_OBJECT_DIRECTORY": quarantine.path + "/scratch/objects",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": server.path + "/objects",
        ])
        #expect(hooked.contains(ObjectID(hex: commit)!))
        #expect(try hooked.commit(ObjectID(hex: commit)!).summary == "pushed")
    }

    @Test func objectIDsRoundTripHex() {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        #expect(ObjectID(hex: hex)?.hex == hex)
        #expect(ObjectID(hex: hex.uppercased())?.hex == hex)
        #expect(ObjectID(hex: "xyz") == nil)
        #expect(ObjectID(hex: String(repeating: "0", count: 40))?.isZero == true)
        #expect(ObjectID.zero.hex == String(repeating: "0", count: 40))
        #expect(ObjectID(hex: hex)!.shortHex == "0123456789ab")
    }

    @Test func reportsTheLinkedLibraryVersion() {
        #expect(libgit2Version.split(separator: ".").count == 3)
    }
}

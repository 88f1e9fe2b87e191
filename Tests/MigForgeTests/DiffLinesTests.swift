import MigCore
import MigGit
import Testing
import TestSupport

/// The lines a pull request's diff shows, from libgit2, as forges place comments on them.
@Suite struct DiffLinesTests {
    @Test func addedAndContextLinesOfEachFileWithRenamesPaired() throws {
        let git = try GitFixture()
        let lines = (1...20).map { "line \($0)" }
        try git.write("a.sql", lines.joined(separator: "\n") + "\n")
        try git.write("old.sql", "one\ntwo\nthree\nfour\nfive\n")
        try git.write("gone.sql", "bye\n")
        let base = try git.commitAll("base")
        var changed = lines
        changed[9] = "line ten"
        try git.write("a.sql", changed.joined(separator: "\n") + "\n")
        try git.git("mv", "old.sql", "new.sql")
        try git.git("rm", "-q", "gone.sql")
        try git.write("added.sql", "x\ny\n")
        let head = try git.commitAll("head")

        let repository = try Repository.open(at: git.path)
        let files = try repository.diffLines(from: try repository.treeID(ofCommit: try repository.resolveCommit(base)),
                                             to: try repository.treeID(ofCommit: try repository.resolveCommit(head)))
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.newPath.description, $0) })
        let a = try #require(byPath["a.sql"])
        #expect(a.added == [10])
        #expect(a.context == [7: 7, 8: 8, 9: 9, 11: 11, 12: 12, 13: 13])
        #expect(a.shows(7) && !a.shows(6) && !a.shows(14))
        #expect(byPath["added.sql"]?.added == [1, 2] && byPath["added.sql"]?.status == .added)
        #expect(byPath["new.sql"]?.status == .renamed && byPath["new.sql"]?.oldPath == RepoPath("old.sql"))
        #expect(byPath["new.sql"]?.added == [])
        #expect(byPath["gone.sql"]?.status == .deleted && byPath["gone.sql"]?.added == [])
    }
}

import MigCore
@testable import MigReport
import Testing

@Suite struct GitHubAnnotationsTests {
    @Test func rendersTheSamplesExactly() {
        #expect(FindingReport.render(Samples.all, as: .github) == """
            ::error file=db/migrate/20240105093000_add_status_to_users.rb,line=4,col=5,title=modified-deployed-migration::This migration was edited after production ran it.%0ARestore the file and add a new migration.
            ::warning file=db/migrate/20240106000000_update.rb,title=vague-migration-name::The name `update` says nothing about the change.%0AName the migration after what it changes.
            ::notice title=multiple-heads::Alembic has two heads.

            """)
    }

    @Test func noFindingsPrintsNothing() {
        #expect(FindingReport.render([], as: .github) == "")
    }

    @Test func escapesDataAndProperties() {
        let finding = Finding(rule: "sql-syntax-error", severity: .error, path: RepoPath("db/a,b:c%d.sql"), line: 2,
                              message: "100% broken: a, b\r\nnext", help: "Fix %0A literally.")
        #expect(FindingReport.render([finding], as: .github)
                == "::error file=db/a%2Cb%3Ac%25d.sql,line=2,title=sql-syntax-error::"
                + "100%25 broken: a, b%0D%0Anext%0AFix %250A literally.\n")
    }

    @Test func escapingFollowsActionsToolkit() {
        #expect(GitHubAnnotations.escapeData("%\r\n:,") == "%25%0D%0A:,")
        #expect(GitHubAnnotations.escapeProperty("%\r\n:,") == "%25%0D%0A%3A%2C")
        #expect(GitHubAnnotations.escapeProperty("%3A") == "%253A")
    }

    @Test func everyFindingIsOneLine() {
        let findings = Samples.all + [
            Finding(rule: "r", severity: .warning, path: RepoPath("x\ny.sql"), line: 1,
                    message: "a\nb\rc", help: "d\n\ne"),
        ]
        let lines = FindingReport.render(findings, as: .github).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == findings.count + 1)
        #expect(lines.last == "")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("::") && !$0.contains("\r") })
    }

    @Test func columnOnlyWithLineAndNoteIsNotice() {
        let finding = Finding(rule: "r", severity: .note, path: RepoPath("a.sql"), column: 4, message: "m", help: "")
        #expect(FindingReport.render([finding], as: .github) == "::notice file=a.sql,title=r::m\n")
    }

    @Test func nonUTF8PathIsPrintedAsGitQuotesIt() {
        let finding = Finding(rule: "r", severity: .warning, path: RepoPath(bytes: [0x61, 0xE9, 0x2E, 0x73]),
                              line: 1, message: "m", help: "")
        #expect(FindingReport.render([finding], as: .github) == "::warning file=a\\xE9.s,line=1,title=r::m\n")
    }
}

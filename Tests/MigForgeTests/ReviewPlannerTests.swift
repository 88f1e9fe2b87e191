import MigCore
import MigGit
import Testing
@testable import MigForge

/// The planner alone: findings, diff lines and earlier comments in, actions out.
@Suite struct ReviewPlannerTests {
    static let head = String(repeating: "a", count: 40)

    static func finding(_ rule: String, _ path: String, line: Int?, severity: Severity = .error, message: String? = nil) -> Finding {
        Finding(rule: rule, severity: severity, path: RepoPath(path), line: line,
                message: message ?? "\(rule) in \(path)", help: "Do the right thing.")
    }

    static func file(_ path: String, added: Set<Int>, context: [Int: Int] = [:], status: DeltaStatus = .modified) -> DiffLines {
        DiffLines(status: status, oldPath: RepoPath(path), newPath: RepoPath(path), added: added, context: context)
    }

    @Test func findingsOnShownLinesAreCommentedAndTheOthersSummarized() {
        let findings = [
            Self.finding("a-rule", "db/one.sql", line: 3),
            Self.finding("b-rule", "db/one.sql", line: 9),
            Self.finding("c-rule", "db/two.sql", line: nil, severity: .warning),
            Self.finding("d-rule", "db/gone.sql", line: 1),
            Self.finding("e-rule", "db/one.sql", line: 5),
        ]
        let diff = [Self.file("db/one.sql", added: [3], context: [4: 2, 5: 3]), Self.file("db/two.sql", added: [1, 2]),
                    Self.file("db/gone.sql", added: [], status: .deleted)]
        let plan = ReviewPlanner().plan(findings: findings, fingerprints: ["f1", "f2", "f3", "f4", "f5"], diff: diff,
                                        existing: ExistingReview(), headSHA: Self.head)
        #expect(plan.inline.map { "\($0.path):\($0.line)" } == ["db/one.sql:3", "db/two.sql:1", "db/one.sql:5"])
        #expect(plan.inline.map(\.oldLine) == [nil, nil, 3])
        #expect(plan.inSummary.map(\.item.fingerprint) == ["f2", "f4"])
        #expect(plan.inSummary.allSatisfy { $0.reason == .outsideDiff })
        #expect(plan.state == .failure && plan.statusDescription == "4 errors, 1 warning")
        #expect(plan.inline.allSatisfy { $0.body.hasSuffix("<!-- migledger:fp=\($0.fingerprint) -->") })
        let body = plan.summaryBody()
        #expect(body.hasPrefix("<!-- migledger:summary -->\n<!-- migledger:head=\(Self.head) -->"))
        #expect(body.contains("`b-rule` `db/one.sql:9`") && body.contains("<!-- migledger:fp=f4 -->"))
    }

    @Test func earlierCommentsAreNotRepeatedCountTowardsTheCapAndFixedOnesShowAsResolved() {
        let findings = (1...5).map { (index: Int) in Self.finding("rule", "db/one.sql", line: index, message: "problem \(index)") }
        let existing = ExistingReview(inline: ["a1": "**migledger error** `rule`: problem 1", "dead": "**migledger error** `rule`: old problem"],
                                      summary: SummaryComment(id: "9", body: "<!-- migledger:summary -->\n- **error** `x` — older <!-- migledger:fp=beef -->"))
        let plan = ReviewPlanner(maxInlineComments: 3).plan(
            findings: findings, fingerprints: ["a1", "a2", "a3", "a4", "a5"],
            diff: [Self.file("db/one.sql", added: Set(1...5))], existing: existing, headSHA: Self.head)
        #expect(plan.alreadyCommented.map(\.fingerprint) == ["a1"])
        #expect(plan.inline.map(\.fingerprint) == ["a2", "a3"])
        #expect(plan.inSummary.map(\.item.fingerprint) == ["a4", "a5"])
        #expect(plan.inSummary.allSatisfy { $0.reason == .overCap })
        #expect(plan.resolved.map(\.fingerprint) == ["beef", "dead"])
        let body = plan.summaryBody()
        #expect(body.contains("- ~~**migledger error** `rule`: old problem~~ <!-- migledger:resolved=dead -->"))
        #expect(body.contains("- ~~**error** `x` — older~~ <!-- migledger:resolved=beef -->"))
        // Resolved rows are read back from the summary on the next run.
        let next = ReviewPlanner().plan(findings: [], fingerprints: [], diff: [],
                                        existing: ExistingReview(summary: SummaryComment(id: "9", body: body)), headSHA: Self.head)
        #expect(Set(next.resolved.map(\.fingerprint)) == ["dead", "beef", "a4", "a5"])
        #expect(next.resolved.first { $0.fingerprint == "a4" }?.text == "**error** `rule` `db/one.sql:4` — problem 4")
        #expect(next.state == .success)
    }

    @Test func refusedCommentsMoveToTheSummary() {
        let plan = ReviewPlanner().plan(findings: [Self.finding("rule", "db/one.sql", line: 1)], fingerprints: ["f"],
                                        diff: [Self.file("db/one.sql", added: [1])], existing: ExistingReview(), headSHA: Self.head)
        #expect(plan.summaryBody(refused: plan.inline).contains("the forge refused a comment on its line"))
    }

    @Test func longSummariesStayUnderTheBodyLimit() {
        let findings = (1...400).map { Self.finding("rule", "db/f\($0).sql", line: 1, message: String(repeating: "x", count: 300)) }
        let plan = ReviewPlanner(maxInlineComments: 0, maxBodyLength: 65_536).plan(
            findings: findings, fingerprints: findings.indices.map { String(format: "%064x", $0) }, diff: [],
            existing: ExistingReview(), headSHA: Self.head)
        let body = plan.summaryBody()
        #expect(body.count <= 65_536)
        #expect(body.contains("more rows; run `migledger check` for the full list."))
        let longComment = ReviewPlanner.commentBody(Self.finding("rule", "a.sql", line: 1, message: String(repeating: "y", count: 70_000)),
                                                    fingerprint: "ab", limit: 65_536)
        #expect(longComment.count <= 65_536 && longComment.hasSuffix("<!-- migledger:fp=ab -->"))
    }

    @Test func markersAreReadBackWithTheirText() {
        let found = Marker.findings(in: "**migledger warning** `vague`: bad name\n\nhelp\n\n<!-- migledger:fp=abc123 -->")
        #expect(found == ["abc123": "**migledger warning** `vague`: bad name"])
        #expect(Marker.findings(in: "<!-- migledger:fp=not-hex! -->").isEmpty)
    }
}

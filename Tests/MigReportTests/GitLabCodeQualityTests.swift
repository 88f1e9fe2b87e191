import MigCore
@testable import MigReport
import Testing

@Suite struct GitLabCodeQualityTests {
    static func issues(_ findings: [Finding]) throws -> [[String: Any]] {
        try #require(try parseJSON(FindingReport.render(findings, as: .gitlab)) as? [[String: Any]])
    }

    @Test func rendersTheSamplesExactly() {
        #expect(FindingReport.render(Samples.all, as: .gitlab) == """
            [
              {
                "check_name" : "modified-deployed-migration",
                "description" : "This migration was edited after production ran it. Restore the file and add a new migration.",
                "fingerprint" : "98aa6ecceeae55514aace33262aaca19ff01cdfa3762083c8a01c8b049e743ba",
                "location" : {
                  "lines" : {
                    "begin" : 4
                  },
                  "path" : "db/migrate/20240105093000_add_status_to_users.rb"
                },
                "severity" : "critical"
              },
              {
                "check_name" : "vague-migration-name",
                "description" : "The name `update` says nothing about the change. Name the migration after what it changes.",
                "fingerprint" : "4efa25880f12054ca8173f73d9448e9db92734d0e8d8d5663bd5024e771566cb",
                "location" : {
                  "lines" : {
                    "begin" : 1
                  },
                  "path" : "db/migrate/20240106000000_update.rb"
                },
                "severity" : "minor"
              },
              {
                "check_name" : "multiple-heads",
                "description" : "Alembic has two heads.",
                "fingerprint" : "b33907a94caaaebbac520561c9f51116b7af47f1dcaca0cdab2a535eabe38b68",
                "location" : {
                  "lines" : {
                    "begin" : 1
                  },
                  "path" : ""
                },
                "severity" : "info"
              }
            ]

            """)
    }

    @Test func noFindingsIsAnEmptyArray() throws {
        #expect(try Self.issues([]).isEmpty)
    }

    @Test func everyIssueHasTheFieldsGitLabRequires() throws {
        let findings = Samples.all + [
            Finding(rule: "r", severity: .error, path: RepoPath("a.sql"), line: 0, message: "m", help: ""),
            Finding(rule: "r", severity: .warning, path: RepoPath(bytes: [0xFF]), line: 9, column: 2, message: "\u{1B}%\n", help: ""),
        ]
        let issues = try Self.issues(findings)
        #expect(issues.count == findings.count)
        for issue in issues {
            #expect(issue["description"] is String)
            #expect(issue["check_name"] is String)
            #expect(issue["fingerprint"] is String)
            #expect(["blocker", "critical", "major", "minor", "info"].contains(issue["severity"] as? String ?? ""))
            let location = try #require(issue["location"] as? [String: Any])
            #expect(location["path"] is String)
            let begin = try #require((location["lines"] as? [String: Any])?["begin"] as? Int)
            #expect(begin >= 1)
        }
        #expect(issues.map { ($0["location"] as? [String: Any])?["path"] as? String }.last == "\\xFF")
    }

    @Test func fingerprintsAreUniqueEvenForRepeatedFindings() throws {
        let repeated = (1...3).map {
            Finding(rule: "ban-drop-column", severity: .error, path: RepoPath("db/a.sql"), line: $0,
                    message: "Dropping a column breaks running code.", help: "")
        }
        let fingerprints = try Self.issues(Samples.all + repeated + Samples.all).compactMap { $0["fingerprint"] as? String }
        #expect(fingerprints.count == 9)
        #expect(Set(fingerprints).count == 9)
        #expect(fingerprints.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func fingerprintsAreStableAcrossRunsAndLineMoves() throws {
        var moved = Samples.modified
        moved.line = 40
        moved.column = nil
        moved.help = "Different advice."
        let before = try Self.issues([Samples.modified]).first?["fingerprint"] as? String
        let after = try Self.issues([moved]).first?["fingerprint"] as? String
        #expect(before == after)
        #expect(before == "98aa6ecceeae55514aace33262aaca19ff01cdfa3762083c8a01c8b049e743ba")
    }

    @Test func severityMapping() {
        #expect(GitLabCodeQuality.severity(.error) == "critical")
        #expect(GitLabCodeQuality.severity(.warning) == "minor")
        #expect(GitLabCodeQuality.severity(.note) == "info")
    }
}

import Foundation
import MigCore
@testable import MigReport
import Testing

/// The findings JSON is written by hand for speed; it must read back as the same values and
/// keep JSONEncoder's layout, which scripts may diff.
@Suite struct FindingJSONTests {
    @Test func awkwardValuesReadBackUnchanged() throws {
        let awkward = "quote \" backslash \\ slash / tab \t nl \n cr \r bell \u{07} nul \u{0} é 🦆 \u{7F}"
        let findings = [
            Finding(rule: "sql-syntax-error", severity: .error, path: RepoPath("db/a b/ü.sql"), line: 3, column: 9,
                    message: awkward, help: awkward, environments: ["prod", awkward], commit: "abc", author: "A <a@b>"),
            Finding(rule: "vague-migration-name", severity: .warning, message: "m", help: ""),
        ]
        let text = FindingReport.json(findings)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["errors": 1, "warnings": 1])
        let read = try #require(object["findings"] as? [[String: Any]])
        #expect(read.count == 2)
        #expect(read[0]["message"] as? String == awkward && read[0]["help"] as? String == awkward)
        #expect(read[0]["environments"] as? [String] == ["prod", awkward])
        #expect(read[0]["path"] as? String == "db/a b/ü.sql" && read[0]["line"] as? Int == 3 && read[0]["column"] as? Int == 9)
        #expect(read[1]["path"] is NSNull && read[1]["line"] is NSNull && read[1]["commit"] is NSNull)
        #expect((read[1]["environments"] as? [Any])?.isEmpty == true)
    }

    @Test func layoutIsJSONEncodersPrettySortedOne() {
        let finding = Finding(rule: "r", severity: .error, path: RepoPath("a/b.sql"), line: 1, message: "m", help: "h")
        #expect(FindingReport.json([finding]) == """
            {
              "findings" : [
                {
                  "author" : null,
                  "column" : null,
                  "commit" : null,
                  "environments" : [

                  ],
                  "help" : "h",
                  "line" : 1,
                  "message" : "m",
                  "path" : "a/b.sql",
                  "rule" : "r",
                  "severity" : "error"
                }
              ],
              "summary" : {
                "errors" : 1,
                "warnings" : 0
              },
              "version" : 1
            }

            """)
        #expect(FindingReport.json([]) == "{\n  \"findings\" : [\n\n  ],\n  \"summary\" : {\n    \"errors\" : 0,\n    \"warnings\" : 0\n  },\n  \"version\" : 1\n}\n")
    }
}

extension FindingJSONTests {
    /// Reports above one chunk are written on several threads and must join seamlessly.
    @Test func largeReportsKeepOrderAcrossChunks() throws {
        let findings = (0..<10_000).map { index in
            Finding(rule: "r\(index)", severity: index % 2 == 0 ? .error : .warning, path: RepoPath("f\(index).sql"), line: index,
                    message: "m\(index)", help: "h")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(FindingReport.json(findings).utf8)) as? [String: Any])
        let read = try #require(object["findings"] as? [[String: Any]])
        #expect(read.map { $0["rule"] as? String } == findings.map(\.rule))
        #expect(object["summary"] as? [String: Int] == ["errors": 5_000, "warnings": 5_000])
    }
}

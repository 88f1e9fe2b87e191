import Foundation
import MigCore
@testable import MigReport
import Testing

@Suite struct SARIFReportTests {
    static let options = ReportOptions(
        toolVersion: "0.1.0", informationURI: "https://example.com/migledger",
        ruleSummaries: ["modified-deployed-migration": "A migration an environment has already run was edited."],
        ruleHelpURIs: ["multiple-heads": "https://example.com/migledger/rules/multiple-heads"])

    static func sarif(_ findings: [Finding]) -> String {
        FindingReport.render(findings, as: .sarif, options: options)
    }

    static func results(_ findings: [Finding]) throws -> [[String: Any]] {
        let log = try #require(try parseJSON(sarif(findings)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        return try #require(run["results"] as? [[String: Any]])
    }

    @Test func rendersTheSamplesExactly() {
        #expect(Self.sarif(Samples.all) == #"""
            {
              "$schema" : "https://json.schemastore.org/sarif-2.1.0.json",
              "runs" : [
                {
                  "results" : [
                    {
                      "level" : "error",
                      "locations" : [
                        {
                          "physicalLocation" : {
                            "artifactLocation" : {
                              "uri" : "db/migrate/20240105093000_add_status_to_users.rb"
                            },
                            "region" : {
                              "startColumn" : 5,
                              "startLine" : 4
                            }
                          }
                        }
                      ],
                      "message" : {
                        "text" : "This migration was edited after production ran it.\nRestore the file and add a new migration."
                      },
                      "partialFingerprints" : {
                        "primaryLocationLineHash" : "98aa6ecceeae55514aace33262aaca19ff01cdfa3762083c8a01c8b049e743ba"
                      },
                      "properties" : {
                        "author" : "Ada Lovelace <ada@example.com>",
                        "commit" : "0123456789abcdef0123456789abcdef01234567",
                        "environments" : [
                          "production",
                          "staging"
                        ]
                      },
                      "ruleId" : "modified-deployed-migration",
                      "ruleIndex" : 0
                    },
                    {
                      "level" : "warning",
                      "locations" : [
                        {
                          "physicalLocation" : {
                            "artifactLocation" : {
                              "uri" : "db/migrate/20240106000000_update.rb"
                            }
                          }
                        }
                      ],
                      "message" : {
                        "text" : "The name `update` says nothing about the change.\nName the migration after what it changes."
                      },
                      "partialFingerprints" : {
                        "primaryLocationLineHash" : "4efa25880f12054ca8173f73d9448e9db92734d0e8d8d5663bd5024e771566cb"
                      },
                      "ruleId" : "vague-migration-name",
                      "ruleIndex" : 2
                    },
                    {
                      "level" : "note",
                      "message" : {
                        "text" : "Alembic has two heads."
                      },
                      "partialFingerprints" : {
                        "primaryLocationLineHash" : "b33907a94caaaebbac520561c9f51116b7af47f1dcaca0cdab2a535eabe38b68"
                      },
                      "ruleId" : "multiple-heads",
                      "ruleIndex" : 1
                    }
                  ],
                  "tool" : {
                    "driver" : {
                      "informationUri" : "https://example.com/migledger",
                      "name" : "migledger",
                      "rules" : [
                        {
                          "id" : "modified-deployed-migration",
                          "shortDescription" : {
                            "text" : "A migration an environment has already run was edited."
                          }
                        },
                        {
                          "helpUri" : "https://example.com/migledger/rules/multiple-heads",
                          "id" : "multiple-heads",
                          "shortDescription" : {
                            "text" : "multiple-heads"
                          }
                        },
                        {
                          "id" : "vague-migration-name",
                          "shortDescription" : {
                            "text" : "vague-migration-name"
                          }
                        }
                      ],
                      "version" : "0.1.0"
                    }
                  }
                }
              ],
              "version" : "2.1.0"
            }

            """#)
    }

    struct SchemaCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let findings: [Finding]
    }

    static let schemaCases: [SchemaCase] = [
        SchemaCase(testDescription: "samples, with and without lines", findings: Samples.all),
        SchemaCase(testDescription: "no findings", findings: []),
        SchemaCase(testDescription: "non-UTF-8 path", findings: [
            Finding(rule: "migration-naming", severity: .warning,
                    path: RepoPath(bytes: Array("db/migrate/2024_caf".utf8) + [0xE9, 0xFF] + Array(".sql".utf8)),
                    line: 1, message: "Latin-1 name.", help: "Rename it."),
        ]),
        SchemaCase(testDescription: "awkward path and message", findings: [
            Finding(rule: "sql-syntax-error", severity: .error, path: RepoPath("c:odd/100% #1 [x] ü?.sql"),
                    line: 2, column: 7, message: "Bad \"quote\"\u{1B}[0m\r\n\ttab\u{0}",
                    help: "Fix it.", environments: ["prod"], commit: "abc"),
        ]),
        SchemaCase(testDescription: "column without line, non-positive line", findings: [
            Finding(rule: "ban-drop-column", severity: .note, path: RepoPath("a.sql"), column: 3,
                    message: "m", help: "h"),
            Finding(rule: "ban-drop-column", severity: .note, path: RepoPath("a.sql"), line: 0, column: 0,
                    message: "m", help: "h"),
            Finding(rule: "ban-drop-column", severity: .note, path: RepoPath("a.sql"), line: 3, column: 0,
                    message: "m", help: "h"),
        ]),
    ]

    @Test(arguments: schemaCases)
    func validatesAgainstTheOfficialSchema(_ schemaCase: SchemaCase) throws {
        let violations = try sarifSchemaViolations(Self.sarif(schemaCase.findings))
        #expect(violations == "")
    }

    /// Proves the validator is wired up: a log it must reject.
    @Test func schemaCheckRejectsAnInvalidLog() throws {
        let broken = Self.sarif(Samples.all)
            .replacing(#""startLine" : 4"#, with: #""startLine" : 0"#)
            .replacing(#""level" : "warning""#, with: #""level" : "fatal""#)
        let violations = try sarifSchemaViolations(broken)
        #expect(violations.contains("startLine"))
        #expect(violations.contains("fatal"))
    }

    @Test func minimalOptionsStillValidate() throws {
        #expect(try sarifSchemaViolations(FindingReport.render(Samples.all, as: .sarif)) == "")
    }

    @Test func emptyListIsOneRunWithoutResultsOrRules() throws {
        let log = try #require(try parseJSON(Self.sarif([])) as? [String: Any])
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        #expect((runs[0]["results"] as? [Any])?.isEmpty == true)
        let driver = (runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect((driver?["rules"] as? [Any])?.isEmpty == true)
        #expect(driver?["name"] as? String == "migledger")
    }

    @Test func uriIsPercentEncodedFromTheRawBytes() {
        let latin1 = RepoPath(bytes: Array("db/caf".utf8) + [0xE9] + Array(" v1:2%.sql".utf8))
        #expect(SARIFReport.uriReference(latin1) == "db/caf%E9%20v1%3A2%25.sql")
        #expect(SARIFReport.uriReference(RepoPath("db/café/a+b,c=d@e.sql"))
                == "db/caf%C3%A9/a%2Bb%2Cc%3Dd%40e.sql")
        #expect(SARIFReport.uriReference(RepoPath("db/migrate/V1.2__a-b_c~d.sql")) == "db/migrate/V1.2__a-b_c~d.sql")
    }

    @Test func uriDecodesBackToThePathBytes() {
        let paths = [RepoPath(bytes: [0x61, 0x2F, 0x80, 0xFF, 0x25, 0x3A, 0x20]), RepoPath("x/ü y#z?.sql")]
        for path in paths {
            let uri = SARIFReport.uriReference(path)
            #expect(uri.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~/%".contains($0)) })
            #expect(decodeBytes(uri) == path.bytes)
        }
    }

    /// Percent-decoding to bytes; `removingPercentEncoding` gives up on non-UTF-8 results.
    private func decodeBytes(_ uri: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var scalars = Array(uri.utf8)[...]
        while let byte = scalars.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard scalars.count >= 2, let value = UInt8(String(decoding: scalars.prefix(2), as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
                scalars = scalars.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }

    @Test func regionHoldsOnlyKnownPositions() throws {
        let path = RepoPath("a.sql")
        let findings = [
            Finding(rule: "r", severity: .error, path: path, line: 3, column: 9, message: "m", help: ""),
            Finding(rule: "r", severity: .error, path: path, line: 3, message: "m", help: ""),
            Finding(rule: "r", severity: .error, path: path, message: "m", help: ""),
            Finding(rule: "r", severity: .error, path: path, column: 9, message: "m", help: ""),
            Finding(rule: "r", severity: .error, message: "m", help: ""),
        ]
        let regions = try Self.results(findings).map { result -> [String: Int]? in
            let locations = result["locations"] as? [[String: Any]]
            let physical = locations?.first?["physicalLocation"] as? [String: Any]
            return physical?["region"] as? [String: Int]
        }
        #expect(regions == [["startLine": 3, "startColumn": 9], ["startLine": 3], nil, nil, nil])
        #expect(try Self.results(findings).map { $0["locations"] == nil } == [false, false, false, false, true])
    }

    @Test func levelsFollowSeverity() throws {
        let findings = [Severity.error, .warning, .note, .off].map {
            Finding(rule: "r", severity: $0, message: "m", help: "")
        }
        #expect(try Self.results(findings).map { $0["level"] as? String } == ["error", "warning", "note", "none"])
    }

    @Test func rulesListEachRuleOnceAndResultsPointAtTheirs() throws {
        let findings = [
            Finding(rule: "z-rule", severity: .error, message: "1", help: ""),
            Finding(rule: "a-rule", severity: .error, message: "2", help: ""),
            Finding(rule: "z-rule", severity: .error, message: "3", help: ""),
        ]
        let log = try #require(try parseJSON(Self.sarif(findings)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ids = rules.map { $0["id"] as? String }
        #expect(ids == ["a-rule", "z-rule"])
        for result in try #require(run["results"] as? [[String: Any]]) {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ids[index] == result["ruleId"] as? String)
        }
    }

    @Test func propertiesCarryOnlyWhatIsKnown() throws {
        let findings = [
            Finding(rule: "r", severity: .error, message: "m", help: "", environments: ["staging"]),
            Finding(rule: "r", severity: .error, message: "m", help: "", commit: "abc"),
            Finding(rule: "r", severity: .error, message: "m", help: ""),
        ]
        let properties = try Self.results(findings).map { $0["properties"] as? [String: Any] }
        #expect(properties[0]?.keys.sorted() == ["environments"])
        #expect(properties[1]?.keys.sorted() == ["commit"])
        #expect(properties[2] == nil)
    }

    @Test func messageIsTheMessageAloneWithoutHelp() throws {
        let results = try Self.results([Samples.multipleHeads])
        #expect((results[0]["message"] as? [String: String])?["text"] == "Alembic has two heads.")
    }
}

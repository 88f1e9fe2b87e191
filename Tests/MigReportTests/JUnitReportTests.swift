import MigCore
@testable import MigReport
import Testing

@Suite struct JUnitReportTests {
    @Test func rendersTheSamplesExactly() {
        #expect(FindingReport.render(Samples.all, as: .junit) == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="migledger" tests="3" failures="1" errors="0" skipped="2">
              <testcase classname="modified-deployed-migration" name="db/migrate/20240105093000_add_status_to_users.rb:4" file="db/migrate/20240105093000_add_status_to_users.rb">
                <failure message="This migration was edited after production ran it.">error: This migration was edited after production ran it.
            help: Restore the file and add a new migration.
            environments: production, staging
            commit: 0123456789abcdef0123456789abcdef01234567 by Ada Lovelace &lt;ada@example.com&gt;</failure>
              </testcase>
              <testcase classname="vague-migration-name" name="db/migrate/20240106000000_update.rb" file="db/migrate/20240106000000_update.rb">
                <skipped message="The name `update` says nothing about the change.">warning: The name `update` says nothing about the change.
            help: Name the migration after what it changes.</skipped>
              </testcase>
              <testcase classname="multiple-heads" name="(repository)">
                <skipped message="Alembic has two heads.">note: Alembic has two heads.</skipped>
              </testcase>
            </testsuite>

            """)
    }

    @Test func noFindingsIsOnePassingCase() throws {
        let xml = FindingReport.render([], as: .junit)
        #expect(xml == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="migledger" tests="1" failures="0" errors="0" skipped="0">
              <testcase classname="migledger" name="no findings"/>
            </testsuite>

            """)
        let parsed = try ParsedXML(xml)
        #expect(parsed.all("testcase").count == 1)
        #expect(parsed.all("failure").isEmpty && parsed.all("skipped").isEmpty)
    }

    @Test func countsMatchTheCases() throws {
        let findings = Samples.all + [Samples.modified, Samples.vagueName]
        let parsed = try ParsedXML(FindingReport.render(findings, as: .junit))
        let suite = try #require(parsed.all("testsuite").first)
        #expect(parsed.all("testsuite").count == 1)
        #expect(suite.attributes["tests"] == String(parsed.all("testcase").count))
        #expect(suite.attributes["failures"] == String(parsed.all("failure").count))
        #expect(suite.attributes["skipped"] == String(parsed.all("skipped").count))
        #expect(suite.attributes["errors"] == "0")
        #expect(parsed.all("testcase").count == 5)
        #expect(parsed.all("failure").count == 2)
    }

    @Test func escapesMarkupAndReplacesWhatXMLForbids() {
        #expect(JUnitReport.escape("a<b>&\"c\" 'd'", attribute: true) == "a&lt;b&gt;&amp;&quot;c&quot; 'd'")
        #expect(JUnitReport.escape("a<b>&\"c\" 'd'", attribute: false) == "a&lt;b&gt;&amp;\"c\" 'd'")
        #expect(JUnitReport.escape("\t\n\r", attribute: true) == "&#9;&#10;&#13;")
        #expect(JUnitReport.escape("\t\n\r", attribute: false) == "\t\n&#13;")
        #expect(JUnitReport.escape("\u{0}\u{7}\u{B}\u{C}\u{1B}[0m\u{1F}\u{FFFE}\u{FFFF}", attribute: false)
                == "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}[0m\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(JUnitReport.escape("é \u{7F} \u{85} 😀 ]]>", attribute: false) == "é \u{7F} \u{85} 😀 ]]&gt;")
    }

    @Test func hostileTextParsesBackToWhatWasMeant() throws {
        let message = "DROP <table> \"users\" & 'co'\u{1B}[31m red\u{0}\r\nnext\tline ]]>"
        let finding = Finding(rule: "ban-drop-table", severity: .error,
                              path: RepoPath(bytes: Array("db/a&b<c>\"".utf8) + [0xE9] + Array(".sql".utf8)),
                              line: 3, message: message, help: "Keep < & >.")
        let parsed = try ParsedXML(FindingReport.render([finding, Samples.vagueName], as: .junit))
        let readable = "DROP <table> \"users\" & 'co'\u{FFFD}[31m red\u{FFFD}\r\nnext\tline ]]>"
        let testcase = try #require(parsed.all("testcase").first)
        #expect(testcase.attributes["name"] == #"db/a&b<c>"\xE9.sql:3"#)
        #expect(testcase.attributes["file"] == #"db/a&b<c>"\xE9.sql"#)
        let failure = try #require(parsed.all("failure").first)
        #expect(failure.attributes["message"] == readable)
        #expect(failure.text == "error: \(readable)\nhelp: Keep < & >.")
    }

    /// Proves the parser is strict enough to catch what `escape` guards against.
    @Test func parserRejectsRawControlCharactersAndMarkup() {
        #expect(throws: (any Error).self) { try ParsedXML("<a>\u{1B}</a>") }
        #expect(throws: (any Error).self) { try ParsedXML("<a b=\"<\"/>") }
        #expect(throws: (any Error).self) { try ParsedXML("<a>&</a>") }
    }

    @Test func severityChoosesTheElement() throws {
        let findings = [Severity.error, .warning, .note].map {
            Finding(rule: "r", severity: $0, path: RepoPath("a.sql"), message: "m", help: "")
        }
        let parsed = try ParsedXML(FindingReport.render(findings, as: .junit))
        #expect(parsed.elements.map(\.name) == ["testsuite", "testcase", "failure", "testcase", "skipped",
                                                "testcase", "skipped"])
    }
}

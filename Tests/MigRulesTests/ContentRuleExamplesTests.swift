import Foundation
import MigCore
import MigPolicy
@testable import MigRules
import Testing

/// Every content rule's documented examples are its tests, as for the history rules.
@Suite struct ContentRuleExamplesTests {
    static let rules: [String] = ContentRuleRegistry.all.map { $0.description.id }

    @Test(arguments: rules)
    func triggeringExamplesFire(_ id: String) throws {
        let type = try #require(ContentRuleRegistry.rule(id))
        for (index, example) in type.description.triggering.enumerated() {
            let hits = example.hits(of: type.init())
            #expect(!hits.isEmpty, "\(id): triggering example \(index + 1) did not fire:\n\(example.text)")
            if let line = example.expectedLine {
                #expect(hits.first?.line == line, "\(id): example \(index + 1) expected line \(line), got \(hits.map(\.line))")
            }
            for hit in hits {
                #expect(!hit.message.isEmpty && !hit.help.isEmpty)
                #expect(hit.line != nil, "\(id): content findings point at a line")
            }
        }
    }

    @Test(arguments: rules)
    func nonTriggeringExamplesStaySilent(_ id: String) throws {
        let type = try #require(ContentRuleRegistry.rule(id))
        for (index, example) in type.description.nonTriggering.enumerated() {
            let hits = example.hits(of: type.init())
            #expect(hits.isEmpty, "\(id): non-triggering example \(index + 1) fired: \(hits.map(\.message))\n\(example.text)")
        }
    }
}

@Suite struct ContentRuleRegistryTests {
    @Test func idsAreUniqueSortedCataloguedAndDocumented() {
        let ids = ContentRuleRegistry.all.map { $0.description.id }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids).isDisjoint(with: RuleRegistry.all.map { $0.description.id }))
        for family in ContentRuleRegistry.families {
            let names = family.map { String(describing: $0) }
            #expect(names == names.sorted(), "keep each registry list sorted: \(names)")
        }
        for rule in ContentRuleRegistry.all {
            let description = rule.description
            #expect(RuleCatalogue.rule(description.id) != nil, "\(description.id) is not in the policy's rule catalogue")
            #expect(description.triggering.count >= 2, "\(description.id)")
            #expect(description.nonTriggering.count >= 2, "\(description.id)")
            #expect(description.summary.hasSuffix(".") && description.rationale.count > 80, "\(description.id)")
        }
    }

    @Test func everyContentRuleFileIsRegistered() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/MigRules/Content/Rules").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        var declared: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("struct ") && line.contains(": ContentRule") {
                declared.append(String(line.dropFirst("struct ".count).prefix { $0 != ":" }))
            }
        }
        #expect(Set(declared) == Set(ContentRuleRegistry.all.map { String(describing: $0) }))
        #expect(declared.count == files.count, "one rule per file")
    }
}

/// Ignore comments, on a rule whose behaviour is fixed: `sql-syntax-error`.
@Suite struct SuppressionTests {
    func lint(_ sql: String, format: MigrationFormatKind = .sql, path: String = "db/migrations/1_a.sql") -> [ContentHit] {
        let text = MigrationReader.read(path: RepoPath(path), bytes: Array(sql.utf8), format: format, dialect: .postgres)
        return ContentLinter { $0 == "sql-syntax-error" }.lint(text)
    }

    @Test func aCommentWithAReasonSilencesTheNextStatement() {
        let hits = lint("-- migledger:ignore sql-syntax-error vendor extension the parser does not know\n\nALTER TABLE;\n")
        #expect(hits.isEmpty, "\(hits)")
    }

    @Test func aCommentWithoutAReasonSilencesButWarns() {
        let hits = lint("-- migledger:ignore sql-syntax-error\nALTER TABLE;\n")
        #expect(hits.map(\.rule) == ["suppression-without-reason"])
        #expect(hits.first?.hit.line == 1)
    }

    @Test func aCommentThatSilencesNothingIsReported() {
        let hits = lint("-- migledger:ignore sql-syntax-error old reason\nSELECT 1;\nALTER TABLE;\n")
        #expect(Set(hits.map(\.rule)) == ["sql-syntax-error", "unused-ignore"])
    }

    @Test func anUnknownRuleGetsADidYouMean() {
        let hits = lint("-- migledger:ignore sql-syntax-eror typo\nALTER TABLE;\n")
        let unused = hits.first { $0.rule == "unused-ignore" }
        #expect(unused?.hit.message.contains("did you mean `sql-syntax-error`") == true, "\(hits)")
    }

    @Test func aTrailingCommentCoversItsOwnLine() {
        #expect(lint("ALTER TABLE; -- migledger:ignore sql-syntax-error kept on purpose\n").isEmpty)
    }

    @Test func embeddedSQLInRailsKeepsFileLinesAndHashComments() {
        let ruby = """
            class AddThing < ActiveRecord::Migration[7.1]
              def up
                execute "ALTER TABLE users ADD COLUMN;"
                # migledger:ignore sql-syntax-error checked by hand
                execute "ALTER TABLE;"
              end
            end

            """
        let hits = lint(ruby, format: .rails, path: "db/migrate/20240101000000_add_thing.rb")
        #expect(hits.map(\.rule) == ["sql-syntax-error"])
        #expect(hits.first?.hit.line == 3)
    }
}

/// The ignore-comment rules' examples, run through the whole linter since they judge the
/// other rules' hits.
@Suite struct SuppressionRuleExamplesTests {
    @Test(arguments: Suppressions.rules.map(\.id))
    func examplesBehaveAsDocumented(_ id: String) throws {
        let description = try #require(Suppressions.rules.first { $0.id == id })
        #expect(description.triggering.count >= 2 && description.nonTriggering.count >= 2)
        #expect(RuleCatalogue.rule(id) != nil)
        for example in description.triggering {
            let hits = ContentLinter().lint(example.migrationText).filter { $0.rule == id }
            #expect(hits.first?.hit.line == example.expectedLine, "\(id): \(example.text)")
        }
        for example in description.nonTriggering {
            let hits = ContentLinter().lint(example.migrationText).filter { $0.rule == id }
            #expect(hits.isEmpty, "\(id): \(example.text)")
        }
    }
}

@Suite struct CreatedTablesTests {
    @Test func sqlAndFrameworkSpellings() {
        let sql = "CREATE TABLE IF NOT EXISTS public.\"Accounts\" (id int);\ncreate unlogged table Events(id int);\nCREATE INDEX x ON t (a);\n"
        #expect(CreatedTables.names(in: Array(sql.utf8)) == ["accounts", "events"])
        let rails = "create_table :users do |t|\n  t.string :name\nend\n"
        #expect(CreatedTables.names(in: Array(rails.utf8)) == ["users"])
        let alembic = "op.create_table(\n    'orders',\n    sa.Column('id', sa.Integer))\n"
        #expect(CreatedTables.names(in: Array(alembic.utf8)) == ["orders"])
        #expect(CreatedTables.names(in: Array("ALTER TABLE users ADD COLUMN created_at timestamptz;".utf8)).isEmpty)
    }
}

@Suite struct SuppressionReachTests {
    @Test func aCommentCoversEveryLineOfTheStatementAfterIt() {
        let sql = "-- migledger:ignore prefer-text-field legacy clients send 255 chars at most\nCREATE TABLE IF NOT EXISTS accounts (\n  id bigint PRIMARY KEY,\n  name varchar(255)\n);\n"
        let text = MigrationReader.read(path: RepoPath("db/migrations/1_a.sql"), bytes: Array(sql.utf8), format: .sql, dialect: .postgres)
        #expect(!ContentLinter { $0 == "prefer-text-field" }.lint(text).contains { $0.rule == "prefer-text-field" })
        let unsuppressed = MigrationReader.read(path: RepoPath("db/migrations/1_a.sql"), bytes: Array(sql.utf8.dropFirst(76)),
                                                format: .sql, dialect: .postgres)
        #expect(ContentLinter { $0 == "prefer-text-field" }.lint(unsuppressed).map(\.rule) == ["prefer-text-field"])
    }

    @Test func mysqlHashCommentsSuppress() {
        let sql = "# migledger:ignore mysql-ban-drop-table table unused since 2023\nDROP TABLE legacy;\n"
        let text = MigrationReader.read(path: RepoPath("db/migrations/1_a.sql"), bytes: Array(sql.utf8), format: .sql, dialect: .mysql)
        #expect(ContentLinter { $0 == "mysql-ban-drop-table" }.lint(text).isEmpty)
    }
}

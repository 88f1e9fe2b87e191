import Foundation
import MigCore
import MigPolicy
@testable import MigRules
import Testing

/// Every rule's documented examples are its tests: triggering ones must fire on the named file
/// (and line), non-triggering ones must stay silent.
@Suite struct RuleExamplesTests {
    static let rules: [String] = RuleRegistry.all.map { $0.description.id }

    @Test(arguments: rules)
    func triggeringExamplesFire(_ id: String) throws {
        let type = try #require(RuleRegistry.rule(id))
        for (index, example) in type.description.triggering.enumerated() {
            let hits = try ExampleRunner.hits(of: type.init(), in: example)
            #expect(!hits.isEmpty, "\(id): triggering example \(index + 1) did not fire:\n\(example.text)")
            if let path = example.expectedPath {
                #expect(hits.contains { $0.path == RepoPath(path) }, "\(id): example \(index + 1) fired elsewhere: \(hits.map(\.path))")
            }
            if let line = example.expectedLine {
                #expect(hits.contains { $0.hit.line == line }, "\(id): example \(index + 1) expected line \(line), got \(hits.map(\.hit.line))")
            }
            for (_, hit) in hits {
                #expect(!hit.message.isEmpty && !hit.help.isEmpty)
                #expect(hit.severity != .note, "\(id): a triggering example must be a real finding, not a note")
            }
        }
    }

    @Test(arguments: rules)
    func nonTriggeringExamplesStaySilent(_ id: String) throws {
        let type = try #require(RuleRegistry.rule(id))
        for (index, example) in type.description.nonTriggering.enumerated() {
            let hits = try ExampleRunner.hits(of: type.init(), in: example).filter { $0.hit.severity != .note }
            #expect(hits.isEmpty, "\(id): non-triggering example \(index + 1) fired: \(hits.map(\.hit.message))\n\(example.text)")
        }
    }

    @Test func anEditTheImmutabilitySettingAllowsIsANote() throws {
        let example = RuleExample(
            before: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"],
            deployed: ["production": ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\n"]],
            change: ["db/migrations/20240101000000_create_users.sql": "CREATE TABLE users (id bigint);\r\n"])
        let hits = try ExampleRunner.hits(of: ModifiedDeployedMigration(), in: example)
        #expect(hits.count == 1)
        #expect(hits.first?.hit.severity == .note)
        #expect(hits.first?.hit.message.contains("line endings") == true)
    }
}

@Suite struct RuleRegistryTests {
    @Test func idsAreUniqueSortedKebabCaseAndCatalogued() {
        let ids = RuleRegistry.all.map { $0.description.id }
        #expect(ids == ids.sorted())
        for family in RuleRegistry.families {
            let names = family.map { String(describing: $0) }
            #expect(names == names.sorted(), "keep each registry list sorted: \(names)")
        }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } && !id.hasPrefix("-") && !id.hasSuffix("-"), "\(id)")
            #expect(RuleCatalogue.rule(id) != nil, "\(id) is not in the policy's rule catalogue")
        }
    }

    @Test func everyRuleHasTwoExamplesOfEachKindAndProse() {
        for rule in RuleRegistry.all {
            let description = rule.description
            #expect(description.triggering.count >= 2, "\(description.id)")
            #expect(description.nonTriggering.count >= 2, "\(description.id)")
            #expect(description.summary.hasSuffix(".") && description.rationale.count > 80, "\(description.id)")
        }
    }

    @Test func theReadmeRuleTableMatchesTheRules() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## Rules\n").last?.components(separatedBy: "\n## ").first)
        var rows: [String: String] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            rows[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
        }
        let ids = RuleRegistry.all.map { $0.description.id } + ContentRuleRegistry.all.map { $0.description.id }
            + Suppressions.rules.map(\.id)
        let expected = Dictionary(uniqueKeysWithValues: ids.map { id in
            (id, RuleCatalogue.rule(id)?.defaultSeverity.rawValue ?? "")
        })
        #expect(rows == expected, "README.md's rule table is stale: update it from `migledger rules`")
    }

    @Test func everyRuleFileIsRegistered() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/MigRules/Rules").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        var declared: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("public struct ") && line.contains(": Rule") {
                declared.append(String(line.dropFirst("public struct ".count).prefix { $0 != ":" }))
            }
        }
        let registered = RuleRegistry.all.map { String(describing: $0) }
        #expect(Set(declared) == Set(registered))
        #expect(declared.count == files.count, "one rule per file")
    }
}

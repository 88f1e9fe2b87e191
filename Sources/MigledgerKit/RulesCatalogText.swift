import MigCore
import MigPolicy
import MigRules

/// `migledger rules`: the rules this binary runs, and one rule with its examples.
public enum RulesCatalogText {
    /// A rule as `rules` prints it, whichever engine runs it.
    private struct Entry {
        let id: String
        let summary: String
        let rationale: String
        let triggering: [String]
        let nonTriggering: [String]
    }

    private static let entries: [Entry] = (
        RuleRegistry.all.map { rule in
            let description = rule.description
            return Entry(id: description.id, summary: description.summary, rationale: description.rationale,
                         triggering: description.triggering.map(\.text), nonTriggering: description.nonTriggering.map(\.text))
        } + (ContentRuleRegistry.all.map { $0.description } + Suppressions.rules).map { description in
            Entry(id: description.id, summary: description.summary, rationale: description.rationale,
                         triggering: description.triggering.map(\.text), nonTriggering: description.nonTriggering.map(\.text))
        }
    ).sorted { $0.id < $1.id }

    /// Every rule id this binary checks.
    public static var ids: [String] { entries.map(\.id) }

    public static func list() -> String {
        var out = ""
        let width = entries.map(\.id.count).max() ?? 0
        for entry in entries {
            let severity = RuleCatalogue.rule(entry.id)?.defaultSeverity.rawValue ?? "error"
            out += "\(entry.id.padding(toLength: width, withPad: " ", startingAt: 0)) \(severity.padding(toLength: 8, withPad: " ", startingAt: 0)) \(entry.summary)\n"
        }
        return out + "\nRun `migledger rules <id>` for a rule's explanation and examples.\n"
    }

    public static func explain(_ id: String) throws -> String {
        guard let entry = entries.first(where: { $0.id == id }) else {
            let catalogued = RuleCatalogue.rule(id) != nil ? " (it is a known rule id that this version does not check yet)" : ""
            throw UserFacingError(.usage, "no rule '\(id)'\(catalogued)\(Suggestion.didYouMean(id, in: ids)); `migledger rules` lists them")
        }
        let descriptor = RuleCatalogue.rule(id)
        var out = "\(entry.id)\n"
        out += "family: \(descriptor?.family.rawValue ?? "-"), default severity: \(descriptor?.defaultSeverity.rawValue ?? "error")\n\n"
        out += "\(entry.summary)\n\n\(entry.rationale)\n"
        for (title, examples) in [("Triggers", entry.triggering), ("Does not trigger", entry.nonTriggering)] {
            for (index, example) in examples.enumerated() {
                out += "\n\(title) (\(index + 1)):\n"
                out += example.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)\n" }.joined()
            }
        }
        return out
    }
}

import MigCore
import MigPolicy
import MigRules

/// `migledger rules`: the rules this binary runs, and one rule with its examples.
public enum RulesCatalogText {
    public static func list() -> String {
        var out = ""
        for rule in RuleRegistry.all {
            let description = rule.description
            let descriptor = RuleCatalogue.rule(description.id)
            let severity = descriptor?.defaultSeverity.rawValue ?? "error"
            out += "\(description.id.padding(toLength: 30, withPad: " ", startingAt: 0)) \(severity.padding(toLength: 8, withPad: " ", startingAt: 0)) \(description.summary)\n"
        }
        return out + "\nRun `migledger rules <id>` for a rule's explanation and examples.\n"
    }

    public static func explain(_ id: String) throws -> String {
        guard let rule = RuleRegistry.rule(id) else {
            let known = RuleRegistry.all.map { $0.description.id }
            let catalogued = RuleCatalogue.rule(id) != nil ? " (it is a known rule id that this version does not check yet)" : ""
            throw UserFacingError(.usage, "no rule '\(id)'\(catalogued)\(Suggestion.didYouMean(id, in: known)); `migledger rules` lists them")
        }
        let description = rule.description
        let descriptor = RuleCatalogue.rule(id)
        var out = "\(description.id)\n"
        out += "family: \(descriptor?.family.rawValue ?? "-"), default severity: \(descriptor?.defaultSeverity.rawValue ?? "error")\n\n"
        out += "\(description.summary)\n\n\(description.rationale)\n"
        for (title, examples) in [("Triggers", description.triggering), ("Does not trigger", description.nonTriggering)] {
            for (index, example) in examples.enumerated() {
                out += "\n\(title) (\(index + 1)):\n"
                out += example.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)\n" }.joined()
            }
        }
        return out
    }
}


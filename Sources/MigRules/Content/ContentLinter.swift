import MigCore
import MigPolicy

/// One content rule's hit on a file.
public struct ContentHit: Sendable, Hashable {
    public let rule: String
    public let hit: RuleHit

    public init(rule: String, hit: RuleHit) {
        self.rule = rule
        self.hit = hit
    }
}

/// Runs the content rules on one file and applies its `migledger:ignore` comments. Severities
/// and the policy's `exceptions:` are the caller's, since `lint` may run without a policy.
public struct ContentLinter: Sendable {
    /// Each rule with its id, read once: a description is a large value to copy per file.
    private let rules: [(id: String, rule: any ContentRule)]
    private let enabled: Set<String>

    /// `isEnabled` decides which rules run, by id; ignore comments are judged against those.
    public init(isEnabled: (String) -> Bool = { _ in true }) {
        let types = ContentRuleRegistry.all.filter { isEnabled($0.description.id) }
        rules = types.map { ($0.description.id, $0.init()) }
        enabled = Set(rules.map { $0.id })
    }

    public func lint(_ text: MigrationText) -> [ContentHit] {
        var hits: [ContentHit] = []
        for (id, rule) in rules {
            hits += rule.check(text).map { ContentHit(rule: id, hit: $0) }
        }
        let suppressions = Suppressions.find(in: text)
        guard !suppressions.isEmpty else { return hits }
        // A comment before a statement covers the whole statement: a rule may point at a type
        // or a constraint on a later line of it.
        var statementLines: [Int: Int] = [:]
        for part in text.parts {
            for statement in part.statements {
                let first = part.location(ofOffset: statement.statement.range.lowerBound).line
                let last = part.location(ofOffset: max(statement.statement.range.upperBound - 1, statement.statement.range.lowerBound)).line
                statementLines[first] = max(statementLines[first] ?? first, last)
            }
        }
        var used = Set<Int>()
        hits.removeAll { hit in
            guard let line = hit.hit.line,
                  let index = suppressions.firstIndex(where: { suppression in
                      suppression.rules.contains(hit.rule)
                          && (suppression.target...(statementLines[suppression.target] ?? suppression.target)).contains(line)
                  }) else { return false }
            used.insert(index)
            return true
        }
        for (index, suppression) in suppressions.enumerated() {
            if suppression.reason == nil {
                hits.append(ContentHit(rule: "suppression-without-reason", hit: RuleHit(
                    message: "`migledger:ignore \(suppression.rules.joined(separator: ","))` does not say why the finding is acceptable.",
                    help: "Add the reason after the rule id, e.g. `-- migledger:ignore ban-drop-column column unused since v2.3`.",
                    line: suppression.line, column: suppression.column)))
            }
            guard !used.contains(index) else { continue }
            let message: String
            if let unknown = suppression.rules.first(where: { RuleCatalogue.rule($0) == nil }) {
                message = "`migledger:ignore` names `\(unknown)`, which is no migledger rule"
                    + (Suggestion.nearest(to: unknown, in: RuleCatalogue.all.map(\.id)).map { "; did you mean `\($0)`?" } ?? ".")
            } else if !suppression.rules.isEmpty, suppression.rules.allSatisfy(enabled.contains) {
                message = "`migledger:ignore \(suppression.rules.joined(separator: ","))` silences nothing on line \(suppression.target)."
            } else {
                continue
            }
            hits.append(ContentHit(rule: "unused-ignore", hit: RuleHit(
                message: message, help: "Remove the comment, or put it on the line just before the statement it is about.",
                line: suppression.line, column: suppression.column)))
        }
        return hits
    }
}

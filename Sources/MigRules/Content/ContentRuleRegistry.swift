/// Every content rule, sorted by id. Adding a rule is its file in `Content/Rules/` plus one line
/// in its family's list; each family's list lives in its own file so that authors of different
/// rule groups stay out of each other's way, and the registry test checks each list is sorted.
public enum ContentRuleRegistry {
    public static let all: [any ContentRule.Type] = families.flatMap { $0 }.sorted { $0.description.id < $1.description.id }

    static let families: [[any ContentRule.Type]] = [
        parsing, squawkLocks, squawkDrops, beyondSquawk, mysql, reversibility, framework,
    ]

    /// Rules every SQL file gets whatever its statements do.
    static let parsing: [any ContentRule.Type] = [
        SQLSyntaxError.self,
    ]

    public static func rule(_ id: String) -> (any ContentRule.Type)? {
        all.first { $0.description.id == id }
    }
}

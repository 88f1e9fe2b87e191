extension ContentRuleRegistry {
    /// squawk's rules about locks, table rewrites and transactions, under squawk's names.
    static let squawkLocks: [any ContentRule.Type] = [
        RequireConcurrentIndexCreation.self,
    ]
}

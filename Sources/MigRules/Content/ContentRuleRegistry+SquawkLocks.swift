extension ContentRuleRegistry {
    static let squawkLocks: [any ContentRule.Type] = [
    ]
}

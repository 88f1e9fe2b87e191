extension ContentRuleRegistry {
    static let squawkDrops: [any ContentRule.Type] = [
    ]
}

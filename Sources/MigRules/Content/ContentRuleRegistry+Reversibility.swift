extension ContentRuleRegistry {
    static let reversibility: [any ContentRule.Type] = [
    ]
}

extension ContentRuleRegistry {
    static let framework: [any ContentRule.Type] = [
    ]
}

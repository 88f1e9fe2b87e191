extension ContentRuleRegistry {
    static let beyondSquawk: [any ContentRule.Type] = [
    ]
}

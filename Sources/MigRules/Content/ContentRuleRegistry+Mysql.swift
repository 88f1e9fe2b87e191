extension ContentRuleRegistry {
    static let mysql: [any ContentRule.Type] = [
    ]
}

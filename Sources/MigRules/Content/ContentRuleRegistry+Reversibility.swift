extension ContentRuleRegistry {
    static let reversibility: [any ContentRule.Type] = [
        EmptyDownMigration.self,
        IrreversibleOperation.self,
        MissingDownMigration.self,
    ]
}

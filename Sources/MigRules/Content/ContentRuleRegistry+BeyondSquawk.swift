extension ContentRuleRegistry {
    /// Habits beyond squawk's rules: one change per migration, data changes apart and rerunnable, naming, indexes.
    static let beyondSquawk: [any ContentRule.Type] = [
        IndexNaming.self,
        MixedSchemaAndData.self,
        NonIdempotentDataMigration.self,
        OneChangePerMigration.self,
        UnbatchedDataMigration.self,
        UnindexedForeignKey.self,
    ]
}

extension ContentRuleRegistry {
    /// squawk's drop, rename, type-preference and statement-robustness rules.
    static let squawkDrops: [any ContentRule.Type] = [
        BanCharField.self,
        BanDropColumn.self,
        BanDropConstraint.self,
        BanDropDatabase.self,
        BanDropDefault.self,
        BanDropDomain.self,
        BanDropExtension.self,
        BanDropFunction.self,
        BanDropGeneratedExpression.self,
        BanDropNotNull.self,
        BanDropSchema.self,
        BanDropSequence.self,
        BanDropTable.self,
        BanDropType.self,
        BanDropView.self,
        BanSetSchema.self,
        BanTruncateCascade.self,
        PreferBigintOverInt.self,
        PreferBigintOverSmallint.self,
        PreferIdentity.self,
        PreferTextField.self,
        PreferTimestampTz.self,
        RenamingColumn.self,
        RenamingTable.self,
    ]
}

extension ContentRuleRegistry {
    /// squawk's rules about locks, table rewrites and transactions, under squawk's names.
    static let squawkLocks: [any ContentRule.Type] = [
        AddingFieldWithDefault.self,
        AddingForeignKeyConstraint.self,
        AddingNotNullableField.self,
        AddingRequiredField.self,
        BanConcurrentIndexCreationInTransaction.self,
        BanUncommittedTransaction.self,
        ChangingColumnType.self,
        ConstraintMissingNotValid.self,
        DisallowedUniqueConstraint.self,
        RequireConcurrentIndexCreation.self,
        RequireConcurrentIndexDeletion.self,
        RequireLockTimeout.self,
        RequireStatementTimeout.self,
        TransactionNesting.self,
    ]
}

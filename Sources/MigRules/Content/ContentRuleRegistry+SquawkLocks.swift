extension ContentRuleRegistry {
    /// squawk's rules about locks, table rewrites and transactions, under squawk's names.
    static let squawkLocks: [any ContentRule.Type] = [
        AddingFieldWithDefault.self,
        AddingForeignKeyConstraint.self,
        AddingNotNullableField.self,
        AddingRequiredField.self,
        AddingSerialPrimaryKeyField.self,
        BanAlterDomainWithAddConstraint.self,
        BanAlterIdentity.self,
        BanConcurrentIndexCreationInTransaction.self,
        BanCreateDomainWithConstraint.self,
        BanUncommittedTransaction.self,
        ChangingColumnType.self,
        ConstraintMissingNotValid.self,
        DisallowedUniqueConstraint.self,
        PreferRepack.self,
        RequireConcurrentIndexCreation.self,
        RequireConcurrentIndexDeletion.self,
        RequireConcurrentPartitionDetach.self,
        RequireConcurrentReindex.self,
        RequireLockTimeout.self,
        RequireStatementTimeout.self,
        TransactionNesting.self,
    ]
}

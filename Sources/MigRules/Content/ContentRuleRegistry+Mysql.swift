extension ContentRuleRegistry {
    /// MySQL's online DDL concerns, read from tokens: index builds, required columns, drops, renames, type changes.
    static let mysql: [any ContentRule.Type] = [
        MySQLAddingRequiredField.self,
        MySQLBanDropColumn.self,
        MySQLBanDropTable.self,
        MySQLChangingColumnType.self,
        MySQLIndexWithoutInplaceLockNone.self,
        MySQLRenamingColumn.self,
        MySQLRenamingTable.self,
    ]
}

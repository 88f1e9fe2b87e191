extension ContentRuleRegistry {
    static let framework: [any ContentRule.Type] = [
        AlembicAddRequiredColumn.self,
        AlembicCreateIndexNotConcurrently.self,
        DjangoAddIndexNotConcurrently.self,
        DjangoAddRequiredField.self,
        DjangoRunPythonWithoutReverseCode.self,
        RailsAddIndexNotConcurrently.self,
        RailsAddRequiredColumn.self,
    ]
}

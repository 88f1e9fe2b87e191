/// Every rule migledger runs, sorted by id. Adding a rule is its file plus one line here.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        DeletedDeployedMigration.self,
        DuplicateMigrationVersion.self,
        MigrationLocation.self,
        MigrationNaming.self,
        ModifiedDeployedMigration.self,
        MultipleHeads.self,
        OutOfOrderMigration.self,
        RenamedDeployedMigration.self,
        VagueMigrationName.self,
    ]

    public static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }
}

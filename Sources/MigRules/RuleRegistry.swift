/// Every rule migledger runs, sorted by id. Adding a rule is its file plus one line in its
/// family's list below; the families keep authors of different rule groups out of each other's
/// way, and the registry test checks each list stays sorted.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = families.flatMap { $0 }.sorted { $0.description.id < $1.description.id }

    static let families: [[any Rule.Type]] = [ledgerAndOrder]

    /// Ledger, order and naming rules (DESIGN §5), judged from history.
    static let ledgerAndOrder: [any Rule.Type] = [
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

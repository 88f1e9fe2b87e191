/// How serious a finding is. `off` exists only in policies: a rule set to `off` reports nothing.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case off
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .off: 0
        case .note: 1
        case .warning: 2
        case .error: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The migration tools migledger understands (DESIGN §2).
public enum MigrationFormatKind: String, Sendable, CaseIterable, Codable {
    case rails
    case alembic
    case django
    case flyway
    case golangMigrate = "golang-migrate"
    case dbmate
    case prisma
    case sql
}

/// The SQL dialect a migration set is written for.
public enum Dialect: String, Sendable, CaseIterable, Codable {
    case postgres
    case mysql
    case sqlite
}

/// Whether a migration changes the schema or only the data in it.
public enum MigrationKind: String, Sendable, Codable {
    case schema
    case data
}

public import MigReport
import MigPolicy

/// Facts about this build that several outputs carry.
public enum Product {
    public static let version = "0.1.0"
}

extension ReportOptions {
    /// Report options with this build's version and every rule's summary, so SARIF names
    /// migledger and its rules properly.
    public static func migledger(colors: Bool) -> ReportOptions {
        ReportOptions(colors: colors, toolVersion: Product.version,
                      ruleSummaries: Dictionary(uniqueKeysWithValues: RuleCatalogue.all.map { ($0.id, $0.summary) }))
    }
}

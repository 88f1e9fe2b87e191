import MigCore
public struct MigrationLocation: Rule {
    public static let description = RuleDescription(
        id: "migration-location",
        summary: "A data migration is outside `<set>/data/`, or a schema migration outside `<set>/schema/`.",
        rationale: """
            Teams that split schema and data migrations run them at different times (schema before \
            the deploy, backfills after it, under other timeouts): a file in the wrong folder runs at \
            the wrong moment. Applies where the policy sets `layout: split`.
            """,
        triggering: [
            RuleExample(folder: "migrations", change: ["migrations/schema/20240101000000_backfill_status.sql": "UPDATE users SET status = 'active';\n"],
                        splitLayout: true, expectedPath: "migrations/schema/20240101000000_backfill_status.sql"),
            RuleExample(folder: "migrations", change: ["migrations/data/20240101000000_add_status.sql": "ALTER TABLE users ADD COLUMN status text;\n"],
                        splitLayout: true, expectedPath: "migrations/data/20240101000000_add_status.sql"),
        ],
        nonTriggering: [
            RuleExample(folder: "migrations", change: ["migrations/data/20240101000000_backfill_status.sql": "UPDATE users SET status = 'active';\n"],
                        splitLayout: true),
            RuleExample(folder: "migrations", change: ["migrations/20240101000000_backfill_status.sql": "UPDATE users SET status = 'active';\n"]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard subject.set.splitLayout, subject.isNewName, case .migration = subject.verdict,
              let kind = subject.kind else { return [] }
        let expected = subject.set.path.appending(kind == .data ? "data" : "schema")
        guard !subject.path.isInside(expected) else { return [] }
        let what = kind == .data ? "only changes rows" : "changes the schema"
        return [RuleHit(message: "This migration \(what), but it is not under \(expected)/.",
                        help: "Move it to \(expected)/ so it runs with the other \(kind.rawValue) migrations.")]
    }
}

import MigCore
import MigPolicy
import Testing

@Suite struct RuleCatalogueTests {
    /// squawk's default-on rules (crates/squawk_linter/src/lib.rs: every `Rule` that is not
    /// `is_opt_in`, without the `require-timeout-settings` alias and the `unused-ignore` meta rule).
    static let squawkDefaultOn = [
        "require-concurrent-index-creation", "require-concurrent-index-deletion",
        "constraint-missing-not-valid", "adding-field-with-default", "adding-foreign-key-constraint",
        "changing-column-type", "adding-not-nullable-field", "adding-serial-primary-key-field",
        "renaming-column", "renaming-table", "disallowed-unique-constraint", "ban-drop-database",
        "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity", "prefer-repack",
        "prefer-robust-stmts", "prefer-text-field", "prefer-timestamp-tz", "ban-char-field",
        "ban-drop-column", "ban-drop-table", "ban-drop-not-null", "transaction-nesting",
        "adding-required-field", "ban-concurrent-index-creation-in-transaction",
        "ban-create-domain-with-constraint", "ban-alter-domain-with-add-constraint",
        "ban-truncate-cascade", "ban-uncommitted-transaction", "require-enum-value-ordering",
        "identifier-too-long", "require-concurrent-partition-detach", "require-concurrent-reindex",
        "require-lock-timeout", "require-statement-timeout", "ban-duplicate-column-assignments",
        "ban-drop-view", "ban-drop-function", "ban-drop-type", "ban-drop-default", "ban-drop-schema",
        "ban-drop-sequence", "ban-drop-domain", "ban-drop-constraint", "ban-drop-generated-expression",
        "renaming-object", "ban-set-schema", "ban-alter-identity", "ban-drop-extension",
    ]

    /// Every rule id DESIGN §5 names.
    static let designNames = [
        "modified-deployed-migration", "deleted-deployed-migration", "renamed-deployed-migration",
        "not-promoted", "rollback-deploy", "out-of-order-migration", "duplicate-migration-version",
        "migration-naming", "vague-migration-name", "migration-location", "multiple-heads",
        "missing-down-migration", "empty-down-migration", "irreversible-operation",
        "adding-required-field", "adding-not-nullable-field", "adding-field-with-default",
        "adding-foreign-key-constraint", "constraint-missing-not-valid", "adding-serial-primary-key-field",
        "disallowed-unique-constraint", "require-concurrent-index-creation",
        "require-concurrent-index-deletion", "require-concurrent-reindex",
        "ban-concurrent-index-creation-in-transaction", "ban-drop-column", "ban-drop-table",
        "ban-drop-database", "ban-drop-not-null", "ban-drop-default", "ban-drop-constraint",
        "ban-truncate-cascade", "ban-char-field", "ban-set-schema", "renaming-column", "renaming-table",
        "renaming-object", "changing-column-type", "prefer-bigint-over-int",
        "prefer-bigint-over-smallint", "prefer-identity", "prefer-text-field", "prefer-timestamp-tz",
        "prefer-robust-stmts", "require-lock-timeout", "require-statement-timeout",
        "transaction-nesting", "ban-uncommitted-transaction", "identifier-too-long",
        "require-enum-value-ordering", "sql-syntax-error", "mixed-schema-and-data",
        "one-change-per-migration", "non-idempotent-data-migration", "unbatched-data-migration",
        "index-naming", "unindexed-foreign-key", "suppression-without-reason",
    ]

    @Test func squawkDefaultOnRulesAreAllThere() {
        #expect(Self.squawkDefaultOn.count == 50)
        #expect(Set(Self.squawkDefaultOn).count == 50)
        for id in Self.squawkDefaultOn {
            #expect(RuleCatalogue.rule(id)?.family == .contentPostgres, "\(id)")
        }
        #expect(RuleCatalogue.all.filter { $0.family == .contentPostgres }.map(\.id).sorted()
            == (Self.squawkDefaultOn + ["sql-syntax-error"]).sorted())
    }

    @Test func everyRuleDesignNamesIsThere() {
        for id in Self.designNames {
            #expect(RuleCatalogue.rule(id) != nil, "\(id)")
        }
    }

    @Test func idsAreUniqueAndKebabCase() {
        let ids = RuleCatalogue.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let isKebab = id.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
            }
            #expect(isKebab, "\(id)")
        }
    }

    @Test func everyEntryIsDescribed() {
        for rule in RuleCatalogue.all {
            #expect(rule.summary.hasSuffix("."), "\(rule.id)")
            #expect(rule.defaultSeverity == .error || rule.defaultSeverity == .warning, "\(rule.id)")
            #expect(RuleCatalogue.rule(rule.id) == rule)
        }
        for family in RuleFamily.allCases {
            #expect(RuleCatalogue.all.contains { $0.family == family }, "\(family)")
        }
        #expect(RuleCatalogue.rule("no-such-rule") == nil)
    }

    @Test func styleRulesDefaultToWarnings() {
        let style = ["index-naming", "vague-migration-name"]
            + RuleCatalogue.all.map(\.id).filter { $0.hasPrefix("prefer-") }
        #expect(style.count == 9)
        for id in style {
            #expect(RuleCatalogue.rule(id)?.defaultSeverity == .warning, "\(id)")
        }
    }

    @Test func lockAndLedgerRulesDefaultToErrors() {
        for id in ["modified-deployed-migration", "require-concurrent-index-creation", "ban-drop-column",
                   "adding-required-field", "sql-syntax-error", "mysql-index-without-inplace-lock-none"] {
            #expect(RuleCatalogue.rule(id)?.defaultSeverity == .error, "\(id)")
        }
    }
}

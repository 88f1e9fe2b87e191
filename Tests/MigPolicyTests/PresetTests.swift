import MigCore
import MigPolicy
import Testing

@Suite struct PresetTests {
    @Test func bothPresetsAreEmbedded() throws {
        #expect(Policy.presetNames == ["recommended", "strict"])
        for name in Policy.presetNames {
            let preset = try #require(try Policy.preset(named: name))
            #expect(preset.extends == name)
        }
    }

    @Test func recommendedSetsEveryRuleAtItsDefault() {
        let recommended = Policy.recommended
        #expect(recommended.rules.count == RuleCatalogue.all.count)
        for rule in RuleCatalogue.all {
            #expect(recommended.rules[rule.id] == rule.defaultSeverity, "\(rule.id)")
            #expect(recommended.severity(of: rule.id) == rule.defaultSeverity, "\(rule.id)")
        }
        #expect(!recommended.warningsAsErrors)
        #expect(recommended.immutability == .lineEndings)
        #expect(recommended.hook.onError == .reject)
        #expect(recommended.migrations.isEmpty)
        #expect(recommended.environments.isEmpty)
    }

    @Test func strictMakesEveryWarningAnError() throws {
        let strict = try #require(try Policy.preset(named: "strict"))
        #expect(strict.warningsAsErrors)
        for rule in RuleCatalogue.all {
            #expect(strict.severity(of: rule.id) == .error, "\(rule.id)")
        }
    }

    @Test func fileExtendingStrictEscalatesButKeepsItsOwnWarnings() throws {
        let policy = try policy("""
            version: 1
            extends: strict
            rules:
              index-naming: warning
              prefer-text-field: off
            """)
        #expect(policy.extends == "strict")
        #expect(policy.severity(of: "index-naming") == .warning)
        #expect(policy.severity(of: "prefer-text-field") == .off)
        #expect(policy.severity(of: "vague-migration-name") == .error)
        #expect(policy.severity(of: "ban-drop-column") == .error)
    }

    @Test func fileCanTurnEscalationOff() throws {
        let policy = try policy("""
            version: 1
            extends: strict
            warnings-as-errors: false
            """)
        #expect(policy.severity(of: "vague-migration-name") == .warning)
    }

    @Test func fileCanTurnEscalationOnWithoutStrict() throws {
        let policy = try policy("""
            version: 1
            warnings-as-errors: true
            rules:
              index-naming: warning
            """)
        #expect(policy.severity(of: "prefer-identity") == .error)
        #expect(policy.severity(of: "index-naming") == .warning)
    }

    @Test func fileOverridesThePresetRuleByRule() throws {
        let policy = try policy("""
            version: 1
            extends: recommended
            rules:
              require-concurrent-index-creation: warning
              prefer-text-field: off
              index-naming: error
            """)
        #expect(policy.severity(of: "require-concurrent-index-creation") == .warning)
        #expect(policy.severity(of: "prefer-text-field") == .off)
        #expect(policy.severity(of: "index-naming") == .error)
        // Everything the file does not mention keeps the preset's severity.
        #expect(policy.severity(of: "ban-drop-column") == .error)
        #expect(policy.severity(of: "prefer-identity") == .warning)
        #expect(policy.rules.count == RuleCatalogue.all.count)
        #expect(policy.immutability == .lineEndings)
    }

    @Test func fileSettingsReplaceThePresets() throws {
        let policy = try policy("""
            version: 1
            extends: strict
            immutability: tokens
            hook:
              on-error: allow
            """)
        #expect(policy.immutability == .tokens)
        #expect(policy.hook.onError == .allow)
        #expect(policy.warningsAsErrors)
    }

    @Test func withoutExtendsRulesKeepCatalogueDefaults() throws {
        let policy = try policy("version: 1\n")
        #expect(policy.extends == nil)
        #expect(policy.rules.isEmpty)
        #expect(policy.severity(of: "prefer-text-field") == .warning)
        #expect(policy.severity(of: "ban-drop-table") == .error)
        #expect(policy.immutability == .lineEndings)
        #expect(policy.hook.onError == .reject)
        #expect(policy.protected.isEmpty)
    }

    @Test func unknownRuleIdInCodeFailsClosed() {
        #expect(Policy.recommended.severity(of: "not-a-rule") == .error)
    }

    @Test func unknownPresetByNameIsNil() throws {
        #expect(try Policy.preset(named: "strikt") == nil)
    }
}

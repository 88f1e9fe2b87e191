import MigPolicy
import Testing

/// Every way a policy can be wrong, with the exact text, place and key the user sees.
@Suite struct PolicyErrorTests {
    @Test func fullDescriptionNamesFileLineColumnAndKey() {
        do throws(PolicyError) {
            _ = try policy("""
                version: 1
                rules:
                  prefer-text-feld: off
                """)
            Issue.record("expected an error")
        } catch {
            #expect(error.description
                == "migledger.yml:3:3: rules.prefer-text-feld: unknown rule 'prefer-text-feld' (did you mean 'prefer-text-field'?)")
        }
    }

    @Test func yamlSyntaxErrorHasYamlsLine() {
        #expect(located("""
            version: 1
            rules:
              ban-drop-column: [error
            """) == [
            "4:1: invalid YAML: did not find expected ',' or ']' "
                + "(while parsing a flow sequence at line 3, column 20); fix the syntax here",
        ])
        #expect(located("version: 1\n\tprotect: []\n") == [
            "2:1: invalid YAML: found a tab character that violates indentation "
                + "(while scanning a plain scalar at line 1, column 10); fix the syntax here",
        ])
    }

    @Test func emptyFile() {
        #expect(located("") == [": the policy is empty; start it with `version: 1`"])
        #expect(located("# nothing yet\n") == [": the policy is empty; start it with `version: 1`"])
    }

    @Test func wrongTopLevelType() {
        #expect(located("- version: 1\n")
            == ["1:1: the policy must be a mapping of settings such as `version: 1`, found a list"])
        #expect(located("just text\n")
            == ["1:1: the policy must be a mapping of settings such as `version: 1`, found 'just text'"])
    }

    @Test func missingOrWrongVersion() {
        #expect(located("immutability: exact\n") == ["1:1: version: missing; add `version: 1` at the top of the file"])
        #expect(located("version: 2\n") == ["1:10: version: unsupported policy version '2'; this migledger reads `version: 1`"])
        #expect(located("version: 1.0\n") == ["1:10: version: unsupported policy version '1.0'; this migledger reads `version: 1`"])
        #expect(located("version:\n") == ["1:9: version: expected the number 1, found nothing"])
        #expect(located("version: [1]\n") == ["1:10: version: expected the number 1, found a list"])
    }

    @Test func unknownKeysAtEveryLevelSuggest() {
        #expect(located("""
            version: 1
            imutability: exact
            migrations:
              - path: db/migrate
                formt: rails
            environments:
              production:
                deploy: [refs/tags/v*]
            overrides:
              alowed: [alice]
            hook:
              on_error: allow
            exceptions:
              - rule: ban-drop-column
                path: a.sql
                reason: ok
                expire: 2026-01-01
            frobnicate: true
            """) == [
            "2:1: imutability: unknown key 'imutability' (did you mean 'immutability'?)",
            "5:5: migrations[0].formt: unknown key 'formt' (did you mean 'format'?)",
            "8:5: environments.production.deploy: unknown key 'deploy' (did you mean 'deploys'?)",
            "10:3: overrides.alowed: unknown key 'alowed' (did you mean 'allowed'?)",
            "12:3: hook.on_error: unknown key 'on_error' (did you mean 'on-error'?)",
            "17:5: exceptions[0].expire: unknown key 'expire' (did you mean 'expires'?)",
            "18:1: frobnicate: unknown key 'frobnicate'; the keys here are version, extends, migrations, "
                + "environments, protect, rules, warnings-as-errors, exceptions, overrides, immutability, "
                + "placeholders, hook",
        ])
    }

    @Test func duplicateKeys() {
        #expect(located("""
            version: 1
            rules:
              ban-drop-column: off
              ban-drop-column: error
            version: 1
            """) == [
            "4:3: rules.ban-drop-column: duplicate key 'ban-drop-column', first set on line 3; keep one",
            "5:1: version: duplicate key 'version', first set on line 1; keep one",
        ])
    }

    @Test func wrongValueTypes() {
        #expect(located("""
            version: 1
            migrations: db/migrate
            environments: [staging]
            rules:
              ban-drop-column: [off]
            warnings-as-errors: maybe
            protect: staging
            placeholders:
              '${schema}': [a]
            overrides: alice
            """) == [
            "2:13: migrations: expected a list, found 'db/migrate'",
            "3:15: environments: expected a mapping of `key: value` lines, found a list",
            "5:20: rules.ban-drop-column: expected error, warning or off, found a list",
            "6:21: warnings-as-errors: expected true or false, found 'maybe'",
            "7:10: protect: expected a list, found 'staging'",
            "9:16: placeholders.${schema}: expected the replacement text, found a list",
            "10:12: overrides: expected a mapping of `key: value` lines, found 'alice'",
        ])
    }

    @Test func unknownRules() {
        #expect(located("""
            version: 1
            rules:
              prefer-text-feld: off
              prefer-timestamptz: off
              no-such-thing-at-all: error
            """) == [
            "3:3: rules.prefer-text-feld: unknown rule 'prefer-text-feld' (did you mean 'prefer-text-field'?)",
            "4:3: rules.prefer-timestamptz: unknown rule 'prefer-timestamptz' (did you mean 'prefer-timestamp-tz'?)",
            "5:3: rules.no-such-thing-at-all: unknown rule 'no-such-thing-at-all'; `migledger rules` lists every rule id",
        ])
    }

    @Test func badSeverity() {
        #expect(located("""
            version: 1
            rules:
              ban-drop-column: eror
              ban-drop-table: fatal
              ban-drop-database: note
            """) == [
            "3:20: rules.ban-drop-column: unknown severity 'eror' (did you mean 'error'?); use error, warning or off",
            "4:19: rules.ban-drop-table: unknown severity 'fatal'; use error, warning or off",
            "5:22: rules.ban-drop-database: unknown severity 'note'; use error, warning or off",
        ])
    }

    @Test func badEnumeratedValues() {
        #expect(located("""
            version: 1
            migrations:
              - path: db/migrate
                format: rials
                dialect: postgresql
                layout: nested
            immutability: bytes
            hook:
              on-error: ignore
            """) == [
            "4:13: migrations[0].format: unknown format 'rials' (did you mean 'rails'?); "
                + "use one of rails, alembic, django, flyway, golang-migrate, dbmate, prisma, sql",
            "5:14: migrations[0].dialect: unknown dialect 'postgresql' (did you mean 'postgres'?); "
                + "use one of postgres, mysql, sqlite",
            "6:13: migrations[0].layout: unknown layout 'nested'; use one of flat, split",
            "7:15: immutability: unknown immutability mode 'bytes'; use one of exact, line-endings, whitespace, tokens",
            "9:13: hook.on-error: unknown value 'ignore'; use one of reject, allow",
        ])
    }

    @Test func unknownPreset() {
        #expect(located("version: 1\nextends: recomended\n") == [
            "2:10: extends: unknown preset 'recomended' (did you mean 'recommended'?); the presets are recommended, strict",
        ])
        #expect(located("version: 1\nextends: paranoid\n") == [
            "2:10: extends: unknown preset 'paranoid'; the presets are recommended, strict",
        ])
    }

    @Test func badMigrationPaths() {
        #expect(located("""
            version: 1
            migrations:
              - path: ""
              - path: /srv/app/db/migrate
              - path: ../shared/migrations
              - format: rails
              - path: db/migrate
              - path: db/migrate/
            """) == [
            "3:11: migrations[0].path: empty; give the folder that holds the migrations, relative to the repository root",
            "4:11: migrations[1].path: '/srv/app/db/migrate' is absolute; give the folder that holds the migrations "
                + "relative to the repository root, e.g. 'srv/app/db/migrate'",
            "5:11: migrations[2].path: '../shared/migrations' contains '..'; give the folder that holds the migrations "
                + "inside the repository, relative to its root",
            "6:5: migrations[3]: missing `path`; give the folder that holds the migrations, e.g. `path: db/migrate`",
            "8:11: migrations[5].path: 'db/migrate' is already listed as migrations[4]; list each folder once",
        ])
        #expect(located("version: 1\nmigrations: []\n") == [
            "2:13: migrations: the list is empty; list at least one migration set, "
                + "or remove `migrations` to detect them automatically",
        ])
    }

    @Test func badDeployGlobs() {
        #expect(located("""
            version: 1
            environments:
              production:
                deploys:
                  - v*
                  - heads/release
                  - refs/tags/[0-9*
                  - ""
                  - refs/tags/v1..2
                  - refs/tags/my tag
                  - refs/tags/a:b
                  - refs/heads/
                  - refs//x
                  - refs/tags/.hidden
                  - refs/heads/x.lock
              staging:
                deploys: refs/tags/staging-*
            """) == [
            "5:9: environments.production.deploys[0]: invalid deploy glob 'v*': deploy globs match full ref names "
                + "starting with 'refs/' (did you mean 'refs/tags/v*'?)",
            "6:9: environments.production.deploys[1]: invalid deploy glob 'heads/release': deploy globs match full "
                + "ref names starting with 'refs/' (did you mean 'refs/heads/release'?)",
            "7:9: environments.production.deploys[2]: invalid deploy glob 'refs/tags/[0-9*': a '[' has no closing ']'",
            "8:9: environments.production.deploys[3]: invalid deploy glob '': it is empty; write a full ref pattern "
                + "such as 'refs/tags/v*'",
            "9:9: environments.production.deploys[4]: invalid deploy glob 'refs/tags/v1..2': it contains '..', "
                + "which git does not allow in ref names",
            "10:9: environments.production.deploys[5]: invalid deploy glob 'refs/tags/my tag': it contains a space, "
                + "which git does not allow in ref names",
            "11:9: environments.production.deploys[6]: invalid deploy glob 'refs/tags/a:b': it contains ':', "
                + "which git does not allow in ref names",
            "12:9: environments.production.deploys[7]: invalid deploy glob 'refs/heads/': it ends with '/'; "
                + "name the refs below it, such as 'refs/heads/*'",
            "13:9: environments.production.deploys[8]: invalid deploy glob 'refs//x': it has an empty path component ('//')",
            "14:9: environments.production.deploys[9]: invalid deploy glob 'refs/tags/.hidden': a component starts "
                + "with '.', which git does not allow in ref names",
            "15:9: environments.production.deploys[10]: invalid deploy glob 'refs/heads/x.lock': a component ends "
                + "with '.lock', which git does not allow in ref names",
            "17:14: environments.staging.deploys: expected a list, found 'refs/tags/staging-*'; "
                + "write it as a list, e.g. [\"refs/tags/v*\"]",
        ])
    }

    @Test func badEnvironmentNames() {
        #expect(located("""
            version: 1
            environments:
              eu/prod:
              .staging:
              "qa env":
              review~1:
              ok-name_2:
            """) == [
            "3:3: environments.eu/prod: 'eu/prod' is not a valid environment name: it contains '/'; "
                + "the name becomes the ref refs/migledger/<name>, so use letters, digits, '-' and '_'",
            "4:3: environments..staging: '.staging' is not a valid environment name: a component starts with '.', "
                + "which git does not allow in ref names; the name becomes the ref refs/migledger/<name>, "
                + "so use letters, digits, '-' and '_'",
            "5:3: environments.qa env: 'qa env' is not a valid environment name: it contains a space, "
                + "which git does not allow in ref names; the name becomes the ref refs/migledger/<name>, "
                + "so use letters, digits, '-' and '_'",
            "6:3: environments.review~1: 'review~1' is not a valid environment name: it contains '~', "
                + "which git does not allow in ref names; the name becomes the ref refs/migledger/<name>, "
                + "so use letters, digits, '-' and '_'",
        ])
    }

    @Test func afterNamingUnknownEnvironment() {
        #expect(located("""
            version: 1
            environments:
              staging:
              production:
                after: [stagin, qa]
            """) == [
            "5:13: environments.production.after[0]: unknown environment 'stagin' (did you mean 'staging'?); "
                + "`after` names environments listed under `environments`",
            "5:21: environments.production.after[1]: unknown environment 'qa'; "
                + "`after` names environments listed under `environments`",
        ])
    }

    @Test func afterFormingCycles() {
        #expect(located("""
            version: 1
            environments:
              staging:
                after: [production]
              production:
                after: [staging]
              solo:
                after: [solo]
            """) == [
            "6:13: environments.production.after[0]: environments wait for each other in a cycle "
                + "(staging → production → staging); remove one of these `after` entries",
            "8:13: environments.solo.after[0]: environments wait for each other in a cycle "
                + "(solo → solo); remove one of these `after` entries",
        ])
    }

    @Test func protectNamingUnknownEnvironment() {
        #expect(located("""
            version: 1
            environments:
              staging:
              production:
            protect: [staging, prod, ci]
            """) == [
            "5:20: protect[1]: unknown environment 'prod'; `protect` names environments listed under `environments`",
            "5:26: protect[2]: unknown environment 'ci'; `protect` names environments listed under `environments`",
        ])
        #expect(located("""
            version: 1
            environments:
              production:
            protect: [productoin]
            """) == [
            "4:11: protect[0]: unknown environment 'productoin' (did you mean 'production'?); "
                + "`protect` names environments listed under `environments`",
        ])
    }

    @Test func badExceptions() {
        #expect(located("""
            version: 1
            exceptions:
              - rule: ban-drop-colum
                path: db/migrate/1_x.rb
                reason: approved
              - rule: ban-drop-column
                path: db/migrate/1_x.rb
              - rule: ban-drop-column
                path: db/migrate/1_x.rb
                reason: "  "
              - rule: ban-drop-column
                path: db/migrate/1_x.rb
                reason: approved
                expires: 2026-02-30
              - rule: ban-drop-column
                path: db/migrate/1_x.rb
                reason: approved
                expires: next year
              - path: /abs.sql
                reason: approved
            """) == [
            "3:11: exceptions[0].rule: unknown rule 'ban-drop-colum' (did you mean 'ban-drop-column'?)",
            "6:5: exceptions[1]: missing `reason`; say why the finding is acceptable, e.g. the review that approved it",
            "10:13: exceptions[2].reason: empty; say why the finding is acceptable, e.g. the review that approved it",
            "14:14: exceptions[3].expires: invalid date '2026-02-30'; write it as YYYY-MM-DD, e.g. 2026-01-01",
            "18:14: exceptions[4].expires: invalid date 'next year'; write it as YYYY-MM-DD, e.g. 2026-01-01",
            "19:5: exceptions[5]: missing `rule`; name the rule whose finding is accepted",
            "19:11: exceptions[5].path: '/abs.sql' is absolute; give the file or folder the exception covers "
                + "relative to the repository root, e.g. 'abs.sql'",
        ])
    }

    @Test func badOverrides() {
        #expect(located("""
            version: 1
            overrides:
              allowed: [alice, ""]
              variable: 9-LIVES
            """) == [
            "3:20: overrides.allowed[1]: empty; give a user name as the forge reports the pusher",
            "4:13: overrides.variable: '9-LIVES' is not an environment variable name; "
                + "use letters, digits and '_', not starting with a digit",
        ])
    }

    @Test func severalProblemsComeInFileOrder() {
        let found = problems("""
            version: 3
            rules:
              nope: off
            immutability: sometimes
            """)
        #expect(found.map(\.line) == [1, 3, 4])
        #expect(found.map(\.keyPath) == ["version", "rules.nope", "immutability"])
        #expect(found.allSatisfy { $0.file == "migledger.yml" })
    }
}

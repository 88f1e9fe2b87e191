public import MigCore

/// A repository's migledger policy (DESIGN §1), with its presets resolved and defaults filled in.
public struct Policy: Sendable, Equatable {
    /// The policy file format version; always 1.
    public let version: Int
    /// The preset the file extends, as written (`recommended`, `strict`), or nil.
    public let extends: String?
    /// The migration sets; empty means the formats and folders are auto-detected.
    public let migrations: [MigrationSet]
    /// The environments, in the file's order.
    public let environments: [Environment]
    /// Names of the environments whose deployed migrations are immutable.
    public let protected: [String]
    /// Severities set by the presets and the file, by rule id; unlisted rules keep their default.
    public let rules: [String: Severity]
    /// Whether warnings count as errors (the `strict` preset turns this on).
    public let warningsAsErrors: Bool
    /// Accepted findings, each for one rule and path.
    public let exceptions: [Exception]
    /// Who may bypass the hook with `git push -o migledger.override=...`.
    public let overrides: Overrides
    /// What counts as editing a deployed migration.
    public let immutability: Immutability
    /// Template texts replaced in SQL before parsing, in the order they are applied.
    public let placeholders: [Placeholder]
    /// How the git hooks behave.
    public let hook: Hook
    /// Rules a layer at or above the one that turned `warnings-as-errors` on set to `warning`
    /// explicitly: a user who writes `warning` under `strict` means it.
    let pinnedWarnings: Set<String>

    /// One folder of migrations and how to read it.
    public struct MigrationSet: Sendable, Hashable {
        /// The folder, relative to the repository root.
        public let path: RepoPath
        /// The migration tool, or nil to detect it from the files.
        public let format: MigrationFormatKind?
        /// The SQL dialect of the migrations.
        public let dialect: Dialect
        /// Whether schema and data migrations live in separate subfolders.
        public let layout: Layout
    }

    /// How a migration set arranges its files (the `migration-location` rule checks `split`).
    public enum Layout: String, Sendable, CaseIterable {
        /// All migrations in one folder.
        case flat
        /// Data migrations under `<path>/data/`, schema migrations under `<path>/schema/`.
        case split
    }

    /// A deployment target whose runs the ledger tracks.
    public struct Environment: Sendable, Hashable {
        /// The name, a single git ref component (the ledger lives at `refs/migledger/<name>`).
        public let name: String
        /// Refs whose creation marks a deploy to this environment.
        public let deploys: [RefGlob]
        /// Environments that must run a migration before this one may.
        public let after: [String]

        /// Whether `refName` is a deploy marker of this environment.
        public func isDeployMarker(_ refName: String) -> Bool {
            deploys.contains { $0.matches(refName) }
        }
    }

    /// A finding the team accepted, for one rule on one path (a file, or a folder and all below it).
    public struct Exception: Sendable, Hashable {
        /// The rule id.
        public let rule: String
        /// The file or folder it covers.
        public let path: RepoPath
        /// Why the finding is acceptable.
        public let reason: String
        /// The first day on which the exception no longer applies, or nil for never.
        public let expires: CalendarDate?

        /// Whether this exception covers `rule` at `path` on `date`.
        public func applies(to rule: String, at path: RepoPath, on date: CalendarDate) -> Bool {
            rule == self.rule && path.isInside(self.path) && (expires.map { date < $0 } ?? true)
        }
    }

    /// Who may override a rejected push.
    public struct Overrides: Sendable, Hashable {
        /// User names allowed to override.
        public let allowed: [String]
        /// An extra environment variable holding the pusher's name, besides the forges' own.
        public let variable: String?
    }

    /// How a deployed file is compared with its ledgered bytes.
    public enum Immutability: String, Sendable, CaseIterable {
        /// Any byte counts.
        case exact
        /// CRLF/LF and a final newline do not count.
        case lineEndings = "line-endings"
        /// No whitespace counts.
        case whitespace
        /// Only the token stream counts: comments and formatting may change.
        case tokens
    }

    /// One templated text and what replaces it.
    public struct Placeholder: Sendable, Hashable {
        /// The text as it appears in migrations, e.g. `${schema}`.
        public let text: String
        /// What it is replaced with before parsing.
        public let replacement: String
    }

    /// Settings of the git hooks.
    public struct Hook: Sendable, Hashable {
        /// What the hook does when migledger itself fails.
        public let onError: OnError
    }

    /// A hook's answer to its own failure.
    public enum OnError: String, Sendable, CaseIterable {
        /// Fail closed: refuse the push.
        case reject
        /// Fail open: accept the push and report the failure.
        case allow
    }
}

extension Policy {
    /// The severity `ruleID` has under this policy: the catalogue default, then the presets, then
    /// the file, with `warnings-as-errors` applied. An id the catalogue lacks counts as an error,
    /// so a misspelt id in code fails closed.
    public func severity(of ruleID: String) -> Severity {
        guard let descriptor = RuleCatalogue.rule(ruleID) else { return .error }
        let severity = rules[ruleID] ?? descriptor.defaultSeverity
        if severity == .warning, warningsAsErrors, !pinnedWarnings.contains(ruleID) { return .error }
        return severity
    }

    /// The first unexpired exception covering `ruleID` at `path` on `date`, or nil.
    public func exception(for ruleID: String, at path: RepoPath, on date: CalendarDate) -> Exception? {
        exceptions.first { $0.applies(to: ruleID, at: path, on: date) }
    }

    /// The environment called `name`, or nil.
    public func environment(named name: String) -> Environment? {
        environments.first { $0.name == name }
    }
}

import MigCore
import MigPolicy
import MigRules

/// Content-rule hits turned into findings under a policy: severities, `off`, and exceptions.
/// Shared by `lint`, `check` and `gate`.
struct ContentFindings {
    let policy: Policy
    let today: CalendarDate
    private let linter: ContentLinter

    init(policy: Policy, today: CalendarDate) {
        self.policy = policy
        self.today = today
        linter = ContentLinter { policy.severity(of: $0) != .off }
    }

    func findings(for text: MigrationText, shownAs path: RepoPath, commit: String? = nil, author: String? = nil) -> [Finding] {
        linter.lint(text).compactMap { found in
            let severity = policy.severity(of: found.rule)
            guard severity != .off, policy.exception(for: found.rule, at: text.path, on: today) == nil else { return nil }
            return Finding(rule: found.rule, severity: found.hit.severity ?? severity, path: path, line: found.hit.line,
                           column: found.hit.column, message: found.hit.message, help: found.hit.help,
                           environments: found.hit.environments, commit: commit, author: author)
        }
    }

    /// The policy's placeholders as the SQL reader takes them.
    var placeholders: [(String, String)] { policy.placeholders.map { ($0.text, $0.replacement) } }
}

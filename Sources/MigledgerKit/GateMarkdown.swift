import MigCore
import Foundation

extension GateReport {
    /// The report for release notes: the verdict, what will run in which order, what blocks,
    /// and what to do about it.
    public func markdown() -> String {
        let short = String(commit.prefix(12))
        let target = revision == commit || revision == "HEAD" ? "`\(short)`" : "`\(Self.code(revision))` (`\(short)`)"
        var out = "# Release gate: \(target) → \(environment)\n\n"
        out += "> \(Self.inline(commitSummary))\n\n"
        let errors = findings.filter { $0.severity == .error }
        let others = findings.filter { $0.severity != .error }
        if errors.isEmpty {
            out += "**Ready.** \(environment) will run \(Self.count(pending.count, "migration")); nothing blocks.\n\n"
        } else {
            out += "**Blocked.** \(Self.count(errors.count, "problem")) must be fixed before this commit goes to \(environment).\n\n"
        }

        out += "## What will run\n\n"
        if pending.isEmpty {
            out += "Nothing: \(environment) has run every migration of this commit (\(alreadyRun) in all).\n\n"
        } else {
            out += "In this order (\(environment) has already run \(alreadyRun) of this commit's migrations):\n\n"
            out += "| # | migration | version | kind | down |\n|---|---|---|---|---|\n"
            for (index, migration) in pending.enumerated() {
                out += "| \(index + 1) | `\(Self.code(migration.path.description))` | \(Self.cell(migration.version)) | \(migration.kind.rawValue) | \(Self.cell(migration.down)) |\n"
            }
            out += "\n"
        }
        if !after.isEmpty {
            out += "Promotion: a migration reaches \(environment) only after \(after.joined(separator: ", ")) ran it.\n\n"
        }

        out += "## What blocks\n\n"
        out += errors.isEmpty ? "Nothing.\n\n" : Self.list(errors)
        if !others.isEmpty {
            out += "## Warnings and notes\n\n" + Self.list(others)
        }
        out += "## What to do\n\n"
        if errors.isEmpty {
            out += "Deploy `\(short)` to \(environment); afterwards, record the deploy (`migledger ledger sync`, or `migledger ledger record --env \(environment) \(short)`).\n"
        } else {
            var seen: Set<String> = []
            for finding in errors where seen.insert(finding.help).inserted {
                out += "- \(Self.inline(finding.help))\n"
            }
            out += "\nThen run `migledger gate --env \(environment)` again.\n"
        }
        return out
    }

    private static func list(_ findings: [Finding]) -> String {
        var out = ""
        for finding in findings {
            var location = finding.path.map { "`\(code($0.description))`" } ?? "(repository)"
            if let line = finding.line { location += " line \(line)" }
            out += "- **\(finding.severity.rawValue)** `\(finding.rule)` \(location): \(inline(finding.message))\n"
        }
        return out + "\n"
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// Text inside a code span: a backtick would end it early.
    private static func code(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'")
    }

    /// Text in a table cell: a pipe would start a new cell, a line break end the row.
    private static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    private static func inline(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }
}

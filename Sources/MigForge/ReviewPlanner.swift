import Foundation
public import MigCore
public import MigGit

/// Decides, without any I/O, what one run posts: which findings get an inline comment, what
/// the summary says, which status the head gets. Reruns find their earlier output by markers,
/// so a finding is commented once per pull request however often the bot runs.
public struct ReviewPlanner: Sendable {
    /// Comments on a line are capped per pull request (earlier runs' comments count).
    public var maxInlineComments: Int
    /// GitHub caps comment bodies at 65,536 characters; the others accept at least as much.
    public var maxBodyLength: Int

    public init(maxInlineComments: Int = 50, maxBodyLength: Int = 65_536) {
        self.maxInlineComments = maxInlineComments
        self.maxBodyLength = maxBodyLength
    }

    /// One finding with its stable identity and, when the diff shows its line, where to comment.
    public struct Item: Sendable, Hashable {
        public var finding: Finding
        public var fingerprint: String
        public var anchor: InlineComment?
    }

    /// Why a finding is in the summary rather than on its line.
    public enum SummaryReason: String, Sendable {
        case outsideDiff = "not on a line of this diff"
        case overCap = "over the inline comment cap"
        case refused = "the forge refused a comment on its line"
    }

    public struct Plan: Sendable {
        public var items: [Item]
        /// New inline comments to post on this run.
        public var inline: [InlineComment]
        /// Findings commented on an earlier run, still present.
        public var alreadyCommented: [Item]
        /// Findings listed in the summary, with why.
        public var inSummary: [(item: Item, reason: SummaryReason)]
        /// Earlier findings no longer present: fingerprint and description.
        public var resolved: [(fingerprint: String, text: String)]
        public var existingSummary: SummaryComment?
        public var state: ReviewState
        public var statusDescription: String
        /// The commit the review and status are for; the summary names it, so an unchanged
        /// summary means this head's status is already set.
        public var headSHA: String
        let maxBodyLength: Int

        /// The summary's text once the forge has answered: comments it refused join the summary.
        public func summaryBody(refused: [InlineComment] = []) -> String {
            let refusedPrints = Set(refused.map(\.fingerprint))
            var rows = inSummary
            rows += items.filter { refusedPrints.contains($0.fingerprint) }.map { ($0, .refused) }
            let errors = items.filter { $0.finding.severity == .error }.count
            let warnings = items.count - errors
            var head = [Marker.summary, Marker.head(headSHA)]
            head.append(state == .success
                ? "### migledger: passed" + (items.isEmpty ? " — no migration findings" : "")
                : "### migledger: blocked")
            head.append("")
            if !items.isEmpty {
                head.append("\(Self.count(errors, "error")), \(Self.count(warnings, "warning")); "
                    + "\(Self.count(items.count - rows.count, "finding")) commented on \(Self.lines(items.count - rows.count)).")
                head.append("")
            }
            var body: [String] = []
            if !rows.isEmpty {
                body.append("#### Findings not commented inline")
                for (item, reason) in rows {
                    // The reason follows the marker, so a later run reads back only the finding's text.
                    body.append("- \(ReviewPlanner.describe(item.finding)) \(Marker.finding(item.fingerprint)) _(\(reason.rawValue))_")
                }
                body.append("")
            }
            if !resolved.isEmpty {
                body.append("#### Resolved")
                for (fingerprint, text) in resolved { body.append("- ~~\(text)~~ \(Marker.resolved(fingerprint))") }
                body.append("")
            }
            var text = (head + body).joined(separator: "\n")
            if text.count > maxBodyLength {
                // Keep whole rows, and say how many were left out.
                var kept = head
                let reserve = 200
                var used = kept.joined(separator: "\n").count
                var dropped = 0
                for row in body {
                    if dropped == 0, used + row.count + 1 <= maxBodyLength - reserve {
                        kept.append(row)
                        used += row.count + 1
                    } else if row.hasPrefix("- ") {
                        dropped += 1
                    }
                }
                kept.append("")
                kept.append("…and \(dropped) more rows; run `migledger check` for the full list.")
                text = kept.joined(separator: "\n")
            }
            return text
        }

        private static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        private static func lines(_ number: Int) -> String { number == 1 ? "its line" : "their lines" }
    }

    /// Plans a run. `fingerprints` are the findings' identities (parallel to `findings`);
    /// `diff` is the pull request's diff, keyed by new path.
    public func plan(findings: [Finding], fingerprints: [String], diff: [DiffLines], existing: ExistingReview,
                     headSHA: String) -> Plan {
        let files = Dictionary(diff.map { ($0.newPath.description, $0) }, uniquingKeysWith: { first, _ in first })
        let items = zip(findings, fingerprints).map { finding, fingerprint in
            Item(finding: finding, fingerprint: fingerprint, anchor: anchor(finding, fingerprint: fingerprint, files: files))
        }
        let already = items.filter { existing.inline[$0.fingerprint] != nil }
        var capacity = max(0, maxInlineComments - already.count)
        var inline: [InlineComment] = []
        var inSummary: [(Item, SummaryReason)] = []
        for item in items where existing.inline[item.fingerprint] == nil {
            guard let anchor = item.anchor else {
                inSummary.append((item, .outsideDiff))
                continue
            }
            guard capacity > 0 else {
                inSummary.append((item, .overCap))
                continue
            }
            capacity -= 1
            inline.append(anchor)
        }
        var known = existing.inline
        if let summary = existing.summary {
            known.merge(Marker.findings(in: summary.body)) { inlineText, _ in inlineText }
        }
        let current = Set(fingerprints)
        let resolved = known.filter { !current.contains($0.key) }.sorted { $0.value < $1.value || $0.value == $1.value && $0.key < $1.key }
            .map { (fingerprint: $0.key, text: $0.value) }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        let description = findings.isEmpty ? "No migration findings"
            : "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        return Plan(items: items, inline: inline, alreadyCommented: already, inSummary: inSummary, resolved: resolved,
                    existingSummary: existing.summary, state: errors > 0 ? .failure : .success,
                    statusDescription: description, headSHA: headSHA, maxBodyLength: maxBodyLength)
    }

    /// The line to comment on: the finding's own line, or line 1 for a finding about a whole
    /// file, when the diff shows it; nil otherwise.
    private func anchor(_ finding: Finding, fingerprint: String, files: [String: DiffLines]) -> InlineComment? {
        guard let path = finding.path, let file = files[path.description], file.status != .deleted else { return nil }
        let line = finding.line ?? 1
        guard file.shows(line) else { return nil }
        return InlineComment(path: path.description, line: line, oldLine: file.context[line], oldPath: file.oldPath.description,
                             body: Self.commentBody(finding, fingerprint: fingerprint, limit: maxBodyLength),
                             fingerprint: fingerprint)
    }

    static func commentBody(_ finding: Finding, fingerprint: String, limit: Int) -> String {
        let marker = Marker.finding(fingerprint)
        var text = "**migledger \(finding.severity.rawValue)** `\(finding.rule)`: \(finding.message)"
        if !finding.help.isEmpty { text += "\n\n\(finding.help)" }
        if !finding.environments.isEmpty { text += "\n\nEnvironments: \(finding.environments.joined(separator: ", "))" }
        let room = limit - marker.count - 2
        if text.count > room { text = String(text.prefix(max(0, room - 1))) + "…" }
        return text + "\n\n" + marker
    }

    static func describe(_ finding: Finding) -> String {
        var place = finding.path?.description ?? "(repository)"
        if let line = finding.line { place += ":\(line)" }
        return "**\(finding.severity.rawValue)** `\(finding.rule)` `\(place)` — \(finding.message)"
    }
}

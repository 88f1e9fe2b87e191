import MigCore
public import MigLedger
import MigGit
import MigReport

/// Text and JSON views of ledgers and sync results.
public enum LedgerRendering {
    public static func syncText(_ reports: [SyncReport], dryRun: Bool) -> String {
        var out = ""
        for report in reports {
            let verb = dryRun ? "would record" : "recorded"
            out += "\(report.environment): \(verb) \(report.deploys.count) deploy(s), \(report.alreadyRecorded) already in the ledger"
            if report.retries > 0 { out += " (\(report.retries) retries after concurrent updates)" }
            out += "\n"
            for deploy in report.deploys {
                out += "  \(deploy.marker) @ \(deploy.commit.shortHex) (\(Timestamp.iso8601(deploy.deployedAt))): \(deploy.added.count) new migration(s)\n"
                for path in deploy.drift { out += "    drift: \(path) differs from the bytes deployed first\n" }
                for path in deploy.deleted { out += "    deleted: \(path) was deployed and is gone\n" }
                for path in deploy.rolledBack { out += "    rollback: \(path) was deployed but this commit does not have it\n" }
            }
            for marker in report.unusableMarkers { out += "  skipped \(marker): it does not point at a commit\n" }
        }
        return out
    }

    public static func showText(_ states: [LedgerState], workspace: Workspace) -> String {
        var out = ""
        for state in states {
            out += "\(state.environment) (\(LedgerStore.refName(state.environment))): "
            guard let tip = state.tip else {
                out += "no ledger yet; run `migledger ledger sync`\n\n"
                continue
            }
            out += "\(state.entries.count) migration(s) from \(state.commits.count) deploy(s), tip \(tip.shortHex)\n"
            for entry in state.sortedEntries {
                let version = workspace.version(of: entry.path) ?? "-"
                out += "  \(version)  \(entry.path)  blob \(entry.blob.shortHex)  \(entry.marker) @ \(entry.sourceCommit.shortHex)  \(Timestamp.iso8601(entry.deployedAt))\n"
            }
            for event in state.events {
                out += "  \(event.kind.rawValue): \(event.path) at \(event.marker) @ \(event.sourceCommit.shortHex) (\(Timestamp.iso8601(event.deployedAt)))\n"
            }
            out += "\n"
        }
        return out
    }

    public static func showJSON(_ states: [LedgerState], workspace: Workspace) -> String {
        JSONOutput.encode(ShowDocument(version: 1, environments: states.map { state in
            ShowEnvironment(
                name: state.environment, ref: LedgerStore.refName(state.environment), tip: state.tip?.hex,
                entries: state.sortedEntries.map { entry in
                    ShowEntry(version: workspace.version(of: entry.path), path: entry.path.description, blob: entry.blob.hex,
                              sourceCommit: entry.sourceCommit.hex, marker: entry.marker,
                              deployedAt: Timestamp.iso8601(entry.deployedAt))
                },
                drift: events(state, .drift), deletions: events(state, .deletion), rollbacks: events(state, .rollback))
        }))
    }

    private static func events(_ state: LedgerState, _ kind: LedgerEvent.Kind) -> [ShowEvent] {
        state.events.filter { $0.kind == kind }.map { event in
            ShowEvent(path: event.path.description, blob: event.blob?.hex, sourceCommit: event.sourceCommit.hex,
                      marker: event.marker, deployedAt: Timestamp.iso8601(event.deployedAt), ledgerCommit: event.ledgerCommit.hex)
        }
    }

    public static func verifyText(environments: [String], problems: [LedgerProblem]) -> String {
        if environments.isEmpty { return "no ledgers to verify (no refs/migledger/* yet)\n" }
        if problems.isEmpty {
            return "ledgers intact: \(environments.joined(separator: ", "))\n"
        }
        var out = ""
        for environment in environments {
            let own = problems.filter { $0.environment == environment }
            guard let first = own.first else {
                out += "\(environment): intact\n"
                continue
            }
            out += "\(environment): BROKEN, first bad commit \(first.commit.hex)\n"
            for problem in own { out += "  \(problem.commit.shortHex): \(problem.message)\n" }
        }
        return out + "The ledger is append-only: restore refs/migledger/<env> from a backup or a clone, or delete it and run `migledger ledger sync` to rebuild it from the deploy markers.\n"
    }

    private struct ShowDocument: Encodable {
        let version: Int
        let environments: [ShowEnvironment]
    }

    private struct ShowEnvironment: Encodable {
        let name: String
        let ref: String
        let tip: String?
        let entries: [ShowEntry]
        let drift: [ShowEvent]
        let deletions: [ShowEvent]
        let rollbacks: [ShowEvent]

        enum CodingKeys: String, CodingKey {
            case name, ref, tip, entries, drift, deletions, rollbacks
        }

        /// `tip` is `null` for an environment without a ledger, rather than missing.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(ref, forKey: .ref)
            try container.encode(tip, forKey: .tip)
            try container.encode(entries, forKey: .entries)
            try container.encode(drift, forKey: .drift)
            try container.encode(deletions, forKey: .deletions)
            try container.encode(rollbacks, forKey: .rollbacks)
        }
    }

    private struct ShowEntry: Encodable {
        let version: String?
        let path: String
        let blob: String
        let sourceCommit: String
        let marker: String
        let deployedAt: String

        enum CodingKeys: String, CodingKey {
            case version, path, blob, marker
            case sourceCommit = "source_commit"
            case deployedAt = "deployed_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(path, forKey: .path)
            try container.encode(blob, forKey: .blob)
            try container.encode(sourceCommit, forKey: .sourceCommit)
            try container.encode(marker, forKey: .marker)
            try container.encode(deployedAt, forKey: .deployedAt)
        }
    }

    private struct ShowEvent: Encodable {
        let path: String
        let blob: String?
        let sourceCommit: String
        let marker: String
        let deployedAt: String
        let ledgerCommit: String

        enum CodingKeys: String, CodingKey {
            case path, blob, marker
            case sourceCommit = "source_commit"
            case deployedAt = "deployed_at"
            case ledgerCommit = "ledger_commit"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(blob, forKey: .blob)
            try container.encode(sourceCommit, forKey: .sourceCommit)
            try container.encode(marker, forKey: .marker)
            try container.encode(deployedAt, forKey: .deployedAt)
            try container.encode(ledgerCommit, forKey: .ledgerCommit)
        }
    }
}

public import MigCore
import MigFormats
import MigGit
import MigLedger
public import MigPolicy
public import MigPostgres
import Foundation

/// Which PostgreSQL server a roundtrip runs on.
public enum RoundtripServer: Sendable {
    /// An existing server; the roundtrip creates (and drops) a database of its own there.
    case database(ConnectionParameters)
    /// A throwaway server started for this run and removed afterwards.
    case ephemeral
    /// A throwaway server someone else started and keeps running (the tests share one).
    case running(EphemeralPostgres)
}

/// What happened to one migration in a roundtrip.
public struct RoundtripStep: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// An environment has run it: applied once, as the schema later migrations build on.
        case applied
        /// Up, down and up again: the down restored the schema and the up ran again alike.
        case restored
        /// Applied once; there is no SQL down part to try (the reason says why).
        case upOnly(String)
        /// A finding was reported for it.
        case failed
        /// Not tried, because an earlier migration failed to apply.
        case notRun
    }

    public let path: RepoPath
    public let outcome: Outcome
}

/// What `migledger roundtrip` found.
public struct RoundtripReport: Sendable {
    /// Where it ran, for the report (never a password).
    public let server: String
    public let commit: String
    /// Every migration of the SQL sets, in run order.
    public let steps: [RoundtripStep]
    public let findings: [Finding]
    /// Sets left out, with why (not SQL, or not PostgreSQL).
    public let skippedSets: [String]

    public var isBlocked: Bool { findings.contains { $0.severity == .error } }

    /// One line per migration, then the skipped sets.
    public func summary() -> String {
        var out = "Roundtrip of \(String(commit.prefix(12))) on \(server):\n"
        for step in steps {
            let what: String
            switch step.outcome {
            case .applied: what = "applied (already deployed)"
            case .restored: what = "ok: up, down restores the schema, up again"
            case .upOnly(let reason): what = "applied; \(reason)"
            case .failed: what = "FAILED (see below)"
            case .notRun: what = "not run (an earlier migration failed)"
            }
            out += "  \(step.path): \(what)\n"
        }
        for set in skippedSets { out += "  skipped \(set)\n" }
        return out
    }
}

/// Proves on a real PostgreSQL server that each pending migration's down part restores the
/// schema its up part changed, and that the up part can run again after it (DESIGN §8's gate,
/// beyond what any single-file linter can see). Migrations some environment has run are applied
/// once, as the base the pending ones build on.
public enum RoundtripService {
    static let formats: Set<MigrationFormatKind> = [.sql, .golangMigrate, .dbmate, .flyway]

    public static func run(_ workspace: Workspace, revision: String?, server: RoundtripServer,
                           today: CalendarDate = .today()) throws -> RoundtripReport {
        let repository = workspace.repository
        let commitID = try CheckService.resolve(revision ?? "HEAD", in: repository, role: "commit")
        let source = try GitTreeSource(repository: repository, commit: commitID)

        var skipped: [String] = []
        var plan: [PlannedMigration] = []
        let sync = LedgerSync(repository: repository, folders: workspace.trackedFolders)
        var deployed: Set<RepoPath> = []
        for environment in workspace.policy.environments {
            deployed.formUnion(try sync.projection(environment).keys)
        }
        for set in workspace.migrationSets {
            guard formats.contains(set.format), set.dialect == .postgres else {
                skipped.append("\(set.path) (\(set.format.rawValue), \(set.dialect.rawValue)): roundtrip runs PostgreSQL migrations of the sql, golang-migrate, dbmate and flyway formats")
                continue
            }
            for migration in try MigrationFormats.format(for: set.format).discover(in: source, folder: set.path).migrations {
                if migration.details.flyway?.isRepeatable == true { continue }
                plan.append(try PlannedMigration(migration, source: source, placeholders: workspace.policy.placeholders,
                                                 isDeployed: deployed.contains(migration.path)))
            }
        }
        guard !workspace.migrationSets.isEmpty, skipped.count < workspace.migrationSets.count else {
            throw UserFacingError(.usage, skipped.isEmpty
                ? "no migration folders: the policy names none and none were detected; add them under `migrations:`"
                : "nothing to roundtrip: \(skipped.joined(separator: "; "))")
        }

        switch server {
        case .database(let parameters):
            guard let pgDump = PostgresTools.pgDump() else {
                throw UserFacingError(.failure, "pg_dump is not installed; install PostgreSQL's client programs (Debian/Ubuntu: `apt-get install postgresql-client`)")
            }
            return try roundtrip(plan, on: parameters, pgDump: pgDump, label: parameters.summary, commit: commitID,
                                 skipped: skipped, workspace: workspace, today: today)
        case .ephemeral:
            let temporary = try EphemeralPostgres.start()
            defer { temporary.stop() }
            return try roundtrip(plan, on: temporary.parameters, pgDump: temporary.tools.pgDump,
                                 label: "a temporary PostgreSQL server", commit: commitID, skipped: skipped,
                                 workspace: workspace, today: today)
        case .running(let temporary):
            return try roundtrip(plan, on: temporary.parameters, pgDump: temporary.tools.pgDump,
                                 label: "a temporary PostgreSQL server", commit: commitID, skipped: skipped,
                                 workspace: workspace, today: today)
        }
    }

    private static func roundtrip(_ plan: [PlannedMigration], on server: ConnectionParameters, pgDump: String, label: String,
                                  commit: ObjectID, skipped: [String], workspace: Workspace,
                                  today: CalendarDate) throws -> RoundtripReport {
        let database = try ScratchDatabase(server: server, pgDump: pgDump)
        defer { database.drop() }
        let judge = { (rule: String, path: RepoPath, line: Int?, message: String, help: String) -> [Finding] in
            let severity = workspace.policy.severity(of: rule)
            guard severity != .off, workspace.policy.exception(for: rule, at: path, on: today) == nil else { return [] }
            return [Finding(rule: rule, severity: severity, path: path, line: line, message: message, help: help,
                            commit: commit.hex)]
        }

        var steps: [RoundtripStep] = []
        var findings: [Finding] = []
        var current: SchemaDump?
        for (index, migration) in plan.enumerated() {
            let before = try current ?? database.dump()
            current = nil
            if let failure = try database.apply(migration.up) {
                findings += judge("migration-failed-to-apply", migration.upPath, failure.line(in: migration.up.text),
                                  "The up part fails on PostgreSQL: \(failure.error)",
                                  "Fix the statement the server names; the migrations after this one were not tried.")
                steps.append(RoundtripStep(path: migration.path, outcome: .failed))
                steps += plan[(index + 1)...].map { RoundtripStep(path: $0.path, outcome: .notRun) }
                break
            }
            if migration.isDeployed {
                steps.append(RoundtripStep(path: migration.path, outcome: .applied))
                continue
            }
            guard let down = migration.down else {
                steps.append(RoundtripStep(path: migration.path, outcome: .upOnly(migration.noDownReason)))
                continue
            }
            let afterUp = try database.dump()
            var problems: [Finding] = []
            // Kept apart from `problems`: a rule the policy turns off hides the finding, not the failure.
            var restored = false
            // The schema the database is left in, when known without another dump.
            var state: SchemaDump?
            if let failure = try database.apply(down) {
                problems += judge("migration-failed-to-apply", migration.downPath, failure.line(in: down.text),
                                  "The down part fails on PostgreSQL after the up part ran: \(failure.error)",
                                  "Fix the down part so that it runs right after the up part and undoes it.")
            } else {
                let afterDown = try database.dump()
                state = afterDown
                if afterDown != before {
                    problems += judge("down-does-not-restore-schema", migration.downPath, migration.downLine,
                                      "After the up and the down part, the schema differs from before the up part (+ left behind, - missing):\n"
                                          + indented(afterDown.difference(from: before)),
                                      "Make the down part undo everything the up part creates or changes.")
                } else if let failure = try database.apply(migration.up) {
                    problems += judge("up-not-repeatable", migration.upPath, failure.line(in: migration.up.text),
                                      "The up part fails when run again after the down part: \(failure.error)",
                                      "Make the down part undo what the up part leaves outside the schema (rows, roles, settings), so a rolled-back release can be deployed again.")
                } else {
                    let again = try database.dump()
                    state = again
                    restored = again == afterUp
                    if !restored {
                        problems += judge("up-not-repeatable", migration.upPath, nil,
                                          "Run again after the down part, the up part builds a different schema (+ second run, - first run):\n"
                                              + indented(again.difference(from: afterUp)),
                                          "Make the up part depend on the schema only, and the down part undo all of it.")
                    }
                }
            }
            findings += problems
            steps.append(RoundtripStep(path: migration.path, outcome: restored ? .restored : .failed))
            // Later migrations must start from the schema this one's up part builds.
            if try (state ?? database.dump()) != afterUp {
                try database.rebuild(applying: plan[...index].map(\.up))
            }
            current = afterUp
        }
        return RoundtripReport(server: label, commit: commit.hex, steps: steps, findings: findings, skippedSets: skipped)
    }

    private static func indented(_ lines: [String]) -> String {
        lines.map { "    " + $0 }.joined(separator: "\n")
    }
}

/// A SQL text to run and the file it came from.
struct SQLScript {
    let path: RepoPath
    let text: String
}

/// A migration's up and down SQL, cut from its files so line numbers stay those of the files.
struct PlannedMigration {
    let path: RepoPath
    let up: SQLScript
    let down: SQLScript?
    let isDeployed: Bool
    /// Where the down part starts, for findings in a file that holds both parts.
    let downLine: Int?
    let noDownReason: String

    var upPath: RepoPath { up.path }
    var downPath: RepoPath { down?.path ?? path }

    init(_ migration: Migration, source: GitTreeSource, placeholders: [Policy.Placeholder], isDeployed: Bool) throws {
        func text(_ file: TreeFile) throws -> String {
            var text = String(decoding: try source.contents(of: file), as: UTF8.self)
            // Flyway and templated SQL: the tool replaces these before the server sees the file.
            for placeholder in placeholders {
                text = text.replacingOccurrences(of: placeholder.text, with: placeholder.replacement)
            }
            return text
        }
        path = migration.path
        self.isDeployed = isDeployed
        let forward = try text(migration.file)
        var downLine: Int?
        var reason = ""
        switch migration.down {
        case .separateFile(let file), .empty(.file(let file)):
            up = SQLScript(path: migration.path, text: forward)
            down = SQLScript(path: file.path, text: try text(file))
        case .section(let lines), .empty(.lines(let lines)):
            // Lines outside a part become blank, so the server's error positions are the file's.
            // Split on LF alone, as the formats count lines; CRLF keeps its CR on the line.
            let all = forward.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let upLines = all.enumerated().map { lines.contains($0.offset + 1) ? "" : $0.element }
            let downLines = all.enumerated().map { lines.contains($0.offset + 1) ? $0.element : "" }
            up = SQLScript(path: migration.path, text: upLines.joined(separator: "\n"))
            down = SQLScript(path: migration.path, text: downLines.joined(separator: "\n"))
            downLine = lines.lowerBound
        case .missing:
            (up, down, reason) = (SQLScript(path: migration.path, text: forward), nil, "it has no down part")
        case .irreversible, .reversibleChange, .notApplicable:
            (up, down, reason) = (SQLScript(path: migration.path, text: forward), nil, "its format has no SQL down part")
        }
        self.downLine = downLine
        noDownReason = reason
    }
}

/// A server's error for a script, placed in the script's text.
struct ApplyFailure {
    let error: PostgresError

    /// The 1-based line of the server's error position (a character count into the text).
    func line(in text: String) -> Int? {
        guard let position = error.position, position > 0 else { return nil }
        let prefix = text.unicodeScalars.prefix(position - 1)
        return prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}

/// The database a roundtrip works in: created fresh from `template0` on the server, rebuilt when
/// a migration leaves it in a state later ones cannot start from, dropped at the end.
final class ScratchDatabase {
    private let server: ConnectionParameters
    private let pgDump: String
    private let administration: PostgresConnection
    private let name: String
    private var connection: PostgresConnection?

    init(server: ConnectionParameters, pgDump: String) throws {
        self.server = server
        self.pgDump = pgDump
        administration = try PostgresConnection(server)
        name = "migledger_roundtrip_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        try create()
    }

    private func create() throws {
        try administration.execute("CREATE DATABASE \(PostgresConnection.quoteIdentifier(name)) TEMPLATE template0")
        connection = try PostgresConnection(server.with(database: name))
    }

    /// Runs a script; the server's refusal is returned rather than thrown: for a roundtrip that
    /// is a finding, not a failure of the run. A lost connection is thrown.
    func apply(_ script: SQLScript) throws -> ApplyFailure? {
        do {
            try connection?.execute(script.text)
            return nil
        } catch {
            guard error.kind == .statement else { throw error }
            return ApplyFailure(error: error)
        }
    }

    func dump() throws -> SchemaDump {
        try SchemaDump.take(server.with(database: name), pgDump: pgDump)
    }

    /// Starts over in a fresh database with `scripts` applied, which all ran before.
    func rebuild(applying scripts: [SQLScript]) throws {
        connection = nil
        try administration.execute("DROP DATABASE IF EXISTS \(PostgresConnection.quoteIdentifier(name))")
        try create()
        for script in scripts {
            if let failure = try apply(script) {
                throw UserFacingError(.failure, "rebuilding the roundtrip database, \(script.path) failed although it ran before: \(failure.error)")
            }
        }
    }

    func drop() {
        connection = nil
        try? administration.execute("DROP DATABASE IF EXISTS \(PostgresConnection.quoteIdentifier(name))")
    }
}

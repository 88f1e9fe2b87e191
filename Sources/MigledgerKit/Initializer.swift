public import MigCore
public import MigFormats
import MigGit
import MigPolicy
import Foundation

/// `migledger init`: detects migration sets and deploy markers and writes a commented policy.
public enum Initializer {
    public struct Outcome: Sendable {
        /// The file written (absolute path).
        public let file: String
        /// Its contents.
        public let text: String
        /// The migration sets it names.
        public let sets: [DetectedSet]
        /// The environments it proposes, with their deploy globs.
        public let environments: [(name: String, deploys: [String])]
    }

    /// Writes `migledger.yml` at the root of the work tree of the repository containing
    /// `repositoryPath`. `format` and `folder` narrow or replace detection.
    public static func run(repositoryPath: String?, format: MigrationFormatKind?, folder: String?,
                           force: Bool) throws -> Outcome {
        let repository = try Repository.open(at: repositoryPath)
        guard let root = repository.workDirectory else {
            throw UserFacingError(.usage, "this is a bare repository; run `migledger init` in a clone with a work tree and commit the policy")
        }
        let rootURL = URL(fileURLWithPath: root)
        for name in Policy.fileNames where FileManager.default.fileExists(atPath: rootURL.appendingPathComponent(name).path) {
            if !force {
                throw UserFacingError(.usage, "\(name) already exists in \(root); pass --force to overwrite it")
            }
        }
        let tree = WorkTreeSource(root: root)
        let sets = try chooseSets(detected: try FormatDetector.detect(in: tree), format: format, folder: folder, tree: tree)
        let environments = try proposeEnvironments(repository)
        let text = render(sets: sets, environments: environments)
        do {
            _ = try Policy.parse(Array(text.utf8), fileName: "migledger.yml")
        } catch {
            throw UserFacingError(.failure, "internal error: the generated policy does not load: \(error)")
        }
        let file = rootURL.appendingPathComponent("migledger.yml")
        for name in Policy.fileNames where name != "migledger.yml" {
            try? FileManager.default.removeItem(at: rootURL.appendingPathComponent(name))
        }
        do {
            try Data(text.utf8).write(to: file, options: .atomic)
        } catch {
            throw UserFacingError(.failure, "cannot write \(file.path): \(error.localizedDescription)")
        }
        return Outcome(file: file.path, text: text, sets: sets, environments: environments)
    }

    static func chooseSets(detected: [DetectedSet], format: MigrationFormatKind?, folder: String?,
                           tree: WorkTreeSource) throws -> [DetectedSet] {
        if let folder {
            let path = RepoPath(folder.split(separator: "/").filter { $0 != "." }.joined(separator: "/"))
            if let match = detected.first(where: { $0.path == path && (format == nil || $0.format == format) }) {
                return [match]
            }
            guard let format else {
                throw UserFacingError(.usage, "cannot tell which tool the migrations in \(path) belong to; pass --format (\(formatNames))")
            }
            guard try !tree.files(under: path).isEmpty else {
                throw UserFacingError(.usage, "\(path) holds no files; pass the folder that holds the migrations with --path")
            }
            let dialect = detected.first { $0.path == path }?.dialect ?? .postgres
            return [DetectedSet(path: path, format: format, dialect: dialect, confidence: .high,
                                evidence: ["given with --path and --format"])]
        }
        let chosen = format.map { kind in detected.filter { $0.format == kind } } ?? detected
        guard !chosen.isEmpty else {
            let what = format.map { "no \($0.rawValue) migrations" } ?? "no migrations"
            throw UserFacingError(.usage, "found \(what) in this repository; name the folder with --path and the tool with --format (\(formatNames))")
        }
        return chosen
    }

    private static var formatNames: String {
        MigrationFormatKind.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// Environments from the deploy markers the repository already has: `deploy/<env>/*` tags,
    /// GitLab's `refs/environments/<env>/deployments/*`, and `v*` release tags for production.
    static func proposeEnvironments(_ repository: Repository) throws -> [(name: String, deploys: [String])] {
        var globs: [String: [String]] = [:]
        var order: [String] = []
        func add(_ environment: String, _ glob: String) {
            guard isRefComponent(environment) else { return }
            if globs[environment] == nil { order.append(environment) }
            if globs[environment]?.contains(glob) != true { globs[environment, default: []].append(glob) }
        }
        for reference in try repository.references(details: false).sorted(by: { $0.name < $1.name }) {
            let parts = reference.name.split(separator: "/").map(String.init)
            if parts.count >= 5, parts[0] == "refs", parts[1] == "tags", parts[2] == "deploy" {
                add(parts[3], "refs/tags/deploy/\(parts[3])/*")
            } else if parts.count >= 5, parts[0] == "refs", parts[1] == "environments", parts[3] == "deployments" {
                add(parts[2], "refs/environments/\(parts[2])/deployments/*")
            } else if parts.count == 3, parts[1] == "tags", parts[2].hasPrefix("v"), parts[2].dropFirst().first?.isNumber == true {
                add("production", "refs/tags/v*")
            }
        }
        if order.isEmpty { return [("production", ["refs/tags/v*"])] }
        return order.map { ($0, globs[$0]!) }
    }

    private static func isRefComponent(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.hasSuffix(".lock")
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }

    static func render(sets: [DetectedSet], environments: [(name: String, deploys: [String])]) -> String {
        var lines = [
            "# migledger policy: see `migledger rules` for every rule and the README for every key.",
            "version: 1",
            "extends: recommended            # recommended | strict (every warning becomes an error)",
            "",
            "# The migration folders migledger found, and the tool that runs each.",
            "migrations:",
        ]
        for set in sets {
            lines.append("  - path: \(yamlString(set.path.isEmpty ? "." : set.path.description))")
            lines.append("    format: \(set.format.rawValue)" + String(repeating: " ", count: max(1, 22 - set.format.rawValue.count)) + "# \(set.evidence.first ?? "detected")")
            lines.append("    dialect: \(set.dialect.rawValue)")
        }
        lines += [
            "",
            "# Environments and the refs whose creation marks a deploy to each (tags, GitLab",
            "# environment refs, environment branches). `after:` makes promotion explicit.",
            "environments:",
        ]
        let names = Set(environments.map(\.name))
        for environment in environments {
            lines.append("  \(environment.name):")
            lines.append("    deploys: [\(environment.deploys.map(yamlString).joined(separator: ", "))]")
            if environment.name == "production", names.contains("staging") {
                lines.append("    after: [staging]              # a migration reaches production only after staging ran it")
            }
        }
        lines += [
            "",
            "# How a deployed file is compared: exact | line-endings | whitespace | tokens.",
            "immutability: line-endings",
            "",
            "# Severities per rule: error | warning | off. For example:",
            "# rules:",
            "#   prefer-text-field: off",
            "",
            "# Accepted findings, each with a reason and an optional expiry date:",
            "# exceptions:",
            "#   - rule: ban-drop-column",
            "#     path: db/migrate/20240101000000_drop_legacy_flag.rb",
            "#     reason: \"approved in review 123\"",
            "#     expires: 2026-01-01",
            "",
            "# Who may push past the hook with `git push -o migledger.override=\"reason\"`:",
            "# overrides:",
            "#   allowed: [release-bot]",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar: plain when safe, double-quoted with escapes otherwise.
    static func yamlString(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/_-.".unicodeScalars.contains($0)
        }
        if plain && !text.hasPrefix("-") && !text.hasPrefix(".") { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

public import MigCore
public import MigSQL

/// A scenario a rule's examples describe, small enough to print: a migration set, what its
/// environments have run, and one change to it.
public struct RuleExample: Sendable {
    public let format: MigrationFormatKind
    /// The set's folder.
    public let folder: String
    /// Files before the change, path → contents (paths relative to the repository root).
    public let before: [String: String]
    /// Files an environment has run, environment → path → the contents it ran.
    public let deployed: [String: [String: String]]
    /// The change: path → new contents, or nil to delete the path.
    public let change: [String: String?]
    /// Renames, old path → new path, applied before `change`.
    public let renames: [String: String]
    public let splitLayout: Bool
    public let immutability: EditComparison.Mode
    /// The file the finding must land on, when it triggers; and its line, when the rule gives one.
    public let expectedPath: String?
    public let expectedLine: Int?

    public init(format: MigrationFormatKind = .sql, folder: String = "db/migrations",
                before: [String: String] = [:], deployed: [String: [String: String]] = [:],
                change: [String: String?], renames: [String: String] = [:], splitLayout: Bool = false,
                immutability: EditComparison.Mode = .lineEndings, expectedPath: String? = nil,
                expectedLine: Int? = nil) {
        self.format = format
        self.folder = folder
        self.before = before
        self.deployed = deployed
        self.change = change
        self.renames = renames
        self.splitLayout = splitLayout
        self.immutability = immutability
        self.expectedPath = expectedPath
        self.expectedLine = expectedLine
    }

    /// The example as text, for `migledger rules <id>`.
    public var text: String {
        var lines: [String] = ["format \(format.rawValue), migrations in \(folder)/, immutability \(immutability.rawValue)"]
        for (environment, files) in deployed.sorted(by: { $0.key < $1.key }) {
            for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
                lines.append("deployed to \(environment): \(path)")
                lines += Self.indented(contents)
            }
        }
        for path in before.keys.sorted() where !deployed.values.contains(where: { $0[path] == before[path] }) {
            lines.append("existing: \(path)")
        }
        for (from, to) in renames.sorted(by: { $0.key < $1.key }) {
            lines.append("renamed: \(from) -> \(to)")
        }
        for (path, contents) in change.sorted(by: { $0.key < $1.key }) {
            if let contents {
                lines.append("\(before[path] == nil ? "added" : "changed to"): \(path)")
                lines += Self.indented(contents)
            } else {
                lines.append("deleted: \(path)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func indented(_ contents: String) -> [String] {
        contents.split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast(contents.hasSuffix("\n") ? 1 : 0)
            .map { "    | " + $0 }
    }
}

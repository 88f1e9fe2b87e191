import Foundation

/// A database's schema as `pg_dump --schema-only` prints it, reduced to the lines that describe
/// objects, so two dumps are equal exactly when the schemas are.
public struct SchemaDump: Sendable, Hashable {
    public let lines: [String]

    public init(lines: [String]) {
        self.lines = lines
    }

    /// Dumps the database `parameters` name with `pgDump`; the password travels in the
    /// environment, never in the arguments.
    public static func take(_ parameters: ConnectionParameters, pgDump: String) throws(PostgresError) -> SchemaDump {
        let output = try runTool(pgDump, ["--schema-only", "--no-owner", "--no-privileges",
                                          "--dbname=\(parameters.conninfoWithoutPassword)"],
                                 environment: parameters.password.map { ["PGPASSWORD": $0] } ?? [:])
        return SchemaDump(lines: normalize(output))
    }

    /// Drops comments, blank lines, session settings and the random `\restrict` keys that newer
    /// pg_dump releases write: none of them describes the schema.
    public static func normalize(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("--") || trimmed.hasPrefix("SET ")
                || trimmed.hasPrefix("SELECT pg_catalog.set_config(") || trimmed.hasPrefix("\\restrict")
                || trimmed.hasPrefix("\\unrestrict") {
                return nil
            }
            return String(line)
        }
    }

    /// The lines that differ from `before`, in dump order: `- ` for lines only `before` has,
    /// `+ ` for lines only this dump has; at most `limit` lines, then how many more there are.
    public func difference(from before: SchemaDump, limit: Int = 40) -> [String] {
        let old = before.lines, new = lines
        // Longest common subsequence over the lines; dumps of one migration's schema are small.
        var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                i += 1
                j += 1
            } else if i < old.count, j == new.count || table[i + 1][j] >= table[i][j + 1] {
                out.append("- " + old[i])
                i += 1
            } else {
                out.append("+ " + new[j])
                j += 1
            }
        }
        guard out.count > limit else { return out }
        return Array(out.prefix(limit)) + ["… \(out.count - limit) more changed lines"]
    }
}

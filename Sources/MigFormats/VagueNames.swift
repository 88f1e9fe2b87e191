/// Migration names that say nothing about the change, for the `vague-migration-name` rule.
///
/// A name is vague when every word in it is a filler (`update`, `fix`, `migration`, `changes`,
/// `wip`, …), a number or a single letter: so are `update2`, `fix_1`, `fix_update`,
/// `changes_v2`, `FixStuff` and Django's `auto_20240105_1234`, while `update_user_status` is
/// not. The list is short on purpose: the rule warns, and one word that names a table,
/// column or feature is enough to tell a reviewer what the migration is about.
public enum VagueNames {
    /// Whether `name` (a migration's descriptive part, as `Migration.name` holds it) says
    /// nothing. `isFirst` tells that the migration is the first of its set (of its app, for
    /// Django): `init`, `initial` and `baseline` name a first migration well, as in Django's
    /// `0001_initial` or `prisma migrate dev --name init`, and say nothing later on.
    public static func isVague(_ name: String, isFirst: Bool = false) -> Bool {
        var opensTheSet = false
        for word in words(of: name) {
            if fillers.contains(word) || word.count == 1 || word.allSatisfy(\.isNumber) { continue }
            if openings.contains(word) {
                opensTheSet = true
                continue
            }
            return false
        }
        return !(isFirst && opensTheSet)
    }

    private static let fillers: Set<String> = [
        "update", "updates", "updated", "fix", "fixes", "fixed", "hotfix", "bugfix", "patch", "tweak", "tweaks",
        "cleanup", "migration", "migrations", "migrate", "change", "changes", "changed", "test", "tests", "testing",
        "tmp", "temp", "wip", "todo", "misc", "stuff", "thing", "things", "various", "new", "more", "some", "minor",
        "small", "final", "again", "another", "other", "data", "schema", "db", "database", "sql",
        // Django's makemigrations names what it cannot describe `auto_<date>_<time>`.
        "auto",
        "and", "the", "of", "to", "for",
    ]

    private static let openings: Set<String> = ["init", "initial", "baseline"]

    /// Lowercased words: anything but letters and digits separates, and so do a switch between
    /// letters and digits and camel case (`SQLFix2` is `sql`, `fix`, `2`).
    static func words(of name: String) -> [String] {
        let characters = Array(name)
        var words: [String] = []
        var current = ""
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
                continue
            }
            if let previous = current.last {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let digitSwitch = previous.isNumber != character.isNumber
                let camel = character.isUppercase
                    && (previous.isLowercase || (previous.isUppercase && next?.isLowercase == true))
                if digitSwitch || camel {
                    words.append(current.lowercased())
                    current = ""
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }
}

import MigFormats

extension MigrationText {
    /// Whether the migration says on purpose that its effect cannot be undone. The accepted
    /// forms are a comment `-- irreversible: <reason>` (SQL, also in a separate down file) or
    /// `# irreversible: <reason>` (Ruby, Python) with a reason after the colon; in Rails, a
    /// `raise ActiveRecord::IrreversibleMigration` anywhere in the code; in Alembic, a `raise`
    /// in `downgrade()`.
    var declaresIrreversible: Bool {
        switch code {
        case .ruby(let ruby):
            return ruby.tokens.contains { token in
                token.kind == .comment ? MigrationText.isMarker(token.text.dropFirst())
                    : token.kind == .constant && token.text == "IrreversibleMigration"
            }
        case .python(let python):
            if python.tokens.contains(where: { $0.kind == .comment && MigrationText.isMarker($0.text.dropFirst()) }) { return true }
            guard format == .alembic, let downgrade = python.function(named: "downgrade") else { return false }
            return python.tokens[downgrade.body].contains { $0.kind == .name && $0.text == "raise" }
        case .none:
            return MigrationText.hasMarkerComment(bytes) || downFile.map { MigrationText.hasMarkerComment($0.source) } == true
        }
    }

    /// A `--` comment holding the marker, on any line.
    private static func hasMarkerComment(_ bytes: [UInt8]) -> Bool {
        var index = 0
        let dash = UInt8(ascii: "-")
        while index + 1 < bytes.count {
            if bytes[index] == dash, bytes[index + 1] == dash {
                var end = index + 2
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                if isMarker(Substring(String(decoding: bytes[(index + 2)..<end], as: UTF8.self))) { return true }
                index = end
            } else {
                index += 1
            }
        }
        return false
    }

    /// `irreversible: <reason>` after the comment opener, any case, blanks around.
    private static func isMarker(_ comment: Substring) -> Bool {
        let body = comment.drop { $0 == " " || $0 == "\t" }
        let word = "irreversible:"
        guard body.count > word.count, body.prefix(word.count).lowercased() == word else { return false }
        return body.dropFirst(word.count).contains { !$0.isWhitespace }
    }
}

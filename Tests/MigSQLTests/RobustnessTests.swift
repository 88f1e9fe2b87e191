import MigSQL
import Testing

/// Deployed files can hold anything; no input may trap, and the modes must nest as documented.
@Suite struct RobustnessTests {
    /// Pieces that start or end every kind of token, comment and literal the tokenizers know.
    private static let pieces: [[UInt8]] = [
        "'", "\"", "$$", "$a$", "E'\\", "--", "/*", "*/", "#", "<<~SQL", "SQL", "\n", "\r\n", "\r", " ", "\t", "(",
        ")", ",", ";", "\\", "x", "select", "def", "end", "'''", "é", "1e", "U&\"", "%q{", "=begin", "`",
    ].map { Array($0.utf8) } + [[0], [0xFF], [0xC3], [0xF0, 0x9F]]

    /// A fixed linear congruential generator, so a failure can be replayed.
    private struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    private static func text(_ generator: inout Generator) -> [UInt8] {
        (0..<generator.next(40)).flatMap { _ in pieces[generator.next(pieces.count)] }
    }

    @Test func randomTextNeverTraps() {
        var generator = Generator(state: 42)
        for _ in 0..<300 {
            let text = Self.text(&generator)
            _ = try? PostgresScanner.scan(text)
            let other = Self.text(&generator)
            for language in [EditComparison.Language.sql, .ruby, .python, .other] {
                for mode in EditComparison.Mode.allCases {
                    _ = EditComparison.compare(old: text, new: other, mode: mode, language: language)
                    #expect(EditComparison.compare(old: text, new: text, mode: mode, language: language) == .identical)
                }
            }
        }
    }

    @Test func whateverLineEndingsAllowsTheOtherLenientModesAllow() {
        var generator = Generator(state: 7)
        let endings: [[UInt8]] = [[UInt8(ascii: "\n")], [UInt8(ascii: "\r"), UInt8(ascii: "\n")], [UInt8(ascii: "\r")]]
        for _ in 0..<300 {
            let text = Self.text(&generator)
            var changed: [UInt8] = []
            var index = 0
            while index < text.count {
                let isCRLF = text[index] == UInt8(ascii: "\r") && index + 1 < text.count && text[index + 1] == UInt8(ascii: "\n")
                if text[index] == UInt8(ascii: "\n") || text[index] == UInt8(ascii: "\r") {
                    index += isCRLF ? 2 : 1
                    // A lone CR before another line ending would join it into one CRLF.
                    let nextIsEnding = index < text.count && (text[index] == UInt8(ascii: "\n") || text[index] == UInt8(ascii: "\r"))
                    changed += endings[generator.next(nextIsEnding ? 2 : endings.count)]
                } else {
                    changed.append(text[index])
                    index += 1
                }
            }
            changed += Array(repeating: UInt8(ascii: "\n"), count: generator.next(3))
            guard changed != text else { continue }
            for language in [EditComparison.Language.sql, .ruby, .python, .other] {
                for mode in [EditComparison.Mode.lineEndings, .whitespace, .tokens] {
                    let verdict = EditComparison.compare(old: text, new: changed, mode: mode, language: language)
                    guard case .allowed(let reason) = verdict else {
                        Issue.record("\(mode) \(language): \(verdict) for \(text) → \(changed)")
                        continue
                    }
                    #expect(reason.hasPrefix("only line endings changed"))
                }
            }
        }
    }
}

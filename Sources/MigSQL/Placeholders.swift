/// Templated SQL made parseable (DESIGN §1): the policy's placeholders replaced by their values,
/// and any other `{{ … }}` or `${…}` read as an identifier, so findings in templated files are
/// reported instead of one syntax error. Positions go back to the original file through the
/// `OffsetMap` that comes with the rewritten text.
///
/// Replacement is textual, wherever the placeholder appears, as Flyway and Go's text/template
/// do it: inside a string or a comment it changes nothing parsing depends on, and a lexer could
/// not be trusted first, since placeholders hold quotes (`{{ index .Options "Namespace" }}`).
enum Placeholders {
    struct Rewritten {
        let text: [UInt8]
        let map: OffsetMap
    }

    /// Unknown placeholders longer than this are taken for text that happens to hold `{{`.
    private static let longestUnknown = 512

    /// Go template actions that produce no text of their own, read as blanks rather than as
    /// identifiers, so `{{ if .X }}CREATE …{{ end }}` keeps both branches as plain SQL.
    private static let templateControl: Set<String> = [
        "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
    ]

    static func rewrite(_ bytes: [UInt8], known: [(String, String)]) -> Rewritten {
        // Longest first: of two placeholders where one begins the other, the longer one is meant.
        let known = known.filter { !$0.0.isEmpty }
            .map { (text: Array($0.0.utf8), replacement: Array($0.1.utf8)) }
            .sorted { $0.text.count > $1.text.count }
        var starts = [Bool](repeating: false, count: 256)
        for placeholder in known { starts[Int(placeholder.text[0])] = true }
        starts[Int(UInt8(ascii: "{"))] = true
        starts[Int(UInt8(ascii: "$"))] = true

        var edits: [OffsetMap.Edit] = []
        var text: [UInt8] = []
        var copied = 0
        var index = 0
        bytes.withUnsafeBufferPointer { bytes in
            while index < bytes.count {
                guard starts[Int(bytes[index])],
                      let (length, replacement) = match(bytes, at: index, known: known) else {
                    index += 1
                    continue
                }
                if text.isEmpty { text.reserveCapacity(bytes.count + 64) }
                text.append(contentsOf: bytes[copied..<index])
                edits.append(OffsetMap.Edit(rewritten: text.count..<text.count + replacement.count,
                                            original: index..<index + length))
                text.append(contentsOf: replacement)
                index += length
                copied = index
            }
            if copied > 0 { text.append(contentsOf: bytes[copied...]) }
        }
        return Rewritten(text: edits.isEmpty ? bytes : text, map: OffsetMap(edits: edits))
    }

    private static func match(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int,
                              known: [(text: [UInt8], replacement: [UInt8])]) -> (Int, [UInt8])? {
        for placeholder in known where bytes.count - index >= placeholder.text.count {
            if placeholder.text.indices.allSatisfy({ bytes[index + $0] == placeholder.text[$0] }) {
                return (placeholder.text.count, placeholder.replacement)
            }
        }
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0
        let limit = min(bytes.count, index + longestUnknown)
        if bytes[index] == UInt8(ascii: "{"), next == UInt8(ascii: "{") {
            var end = index + 2
            while end + 1 < limit, !(bytes[end] == UInt8(ascii: "}") && bytes[end + 1] == UInt8(ascii: "}")) { end += 1 }
            guard end + 1 < limit else { return nil }
            let inner = bytes[index + 2..<end]
            return (end + 2 - index, templateControl.contains(firstWord(inner)) || isTemplateComment(inner)
                        ? [UInt8](repeating: UInt8(ascii: " "), count: end + 2 - index)
                        : identifier(for: inner))
        }
        if bytes[index] == UInt8(ascii: "$"), next == UInt8(ascii: "{") {
            var end = index + 2
            while end < limit, bytes[end] != UInt8(ascii: "}"), bytes[end] != UInt8(ascii: "\n") { end += 1 }
            guard end < limit, bytes[end] == UInt8(ascii: "}"), end > index + 2 else { return nil }
            return (end + 1 - index, identifier(for: bytes[index + 2..<end]))
        }
        return nil
    }

    /// `_` and the last word of the placeholder, so `${schema}` reads `_schema`: never a keyword,
    /// and it joins the text around it as `idx_${table}_email` needs.
    private static func identifier(for inner: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        let word = inner.reversed().drop { !isWordByte($0) }.prefix(while: isWordByte).reversed()
        return [UInt8(ascii: "_")] + (word.isEmpty ? Array("placeholder".utf8) : Array(word))
    }

    private static func firstWord(_ inner: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        let trimmed = inner.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        return String(decoding: trimmed.prefix(while: isWordByte), as: UTF8.self)
    }

    private static func isTemplateComment(_ inner: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let trimmed = inner.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: " ") }
        return trimmed.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "*")])
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}

/// Offsets in a rewritten text taken back to the original bytes. Text outside the edits moved
/// by the length changes before it; a place inside a replacement is the placeholder's own place.
struct OffsetMap: Sendable {
    struct Edit: Sendable {
        let rewritten: Range<Int>
        let original: Range<Int>
    }

    /// Sorted, not overlapping.
    let edits: [Edit]

    /// Where a token starting at `offset` starts in the original.
    func originalStart(_ offset: Int) -> Int {
        guard let edit = lastEdit(startingAtOrBefore: offset, strictly: false) else { return offset }
        return offset < edit.rewritten.upperBound ? edit.original.lowerBound
            : edit.original.upperBound + offset - edit.rewritten.upperBound
    }

    /// Where text ending at `offset` ends in the original: a range ending inside or at the end
    /// of a replacement covers the whole placeholder.
    func originalEnd(_ offset: Int) -> Int {
        guard let edit = lastEdit(startingAtOrBefore: offset, strictly: true) else { return offset }
        return offset <= edit.rewritten.upperBound ? edit.original.upperBound
            : edit.original.upperBound + offset - edit.rewritten.upperBound
    }

    private func lastEdit(startingAtOrBefore offset: Int, strictly: Bool) -> Edit? {
        var low = 0, high = edits.count
        while low < high {
            let middle = (low + high) / 2
            let start = edits[middle].rewritten.lowerBound
            if strictly ? start < offset : start <= offset { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? edits[low - 1] : nil
    }
}

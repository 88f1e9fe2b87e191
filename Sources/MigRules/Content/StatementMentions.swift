extension LintStatement {
    /// Whether the statement's text holds `word` (given in lower case, ASCII) in any case. A scan
    /// of a few hundred bytes costs less than walking a tree, so rules use it to skip statements
    /// whose tree cannot hold what they look for; a mention in a comment only costs the walk.
    func mentions(_ word: StaticString, in part: SQLPart) -> Bool {
        let range = statement.range
        let length = word.utf8CodeUnitCount
        guard range.lowerBound >= 0, range.upperBound <= part.source.count, range.count >= length else { return false }
        return part.source.withUnsafeBufferPointer { bytes in
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
            let first = expected[0]
            var index = range.lowerBound
            let last = range.upperBound - length
            while index <= last {
                if bytes[index] | 0x20 == first {
                    var offset = 1
                    while offset < length, bytes[index + offset] | 0x20 == expected[offset] { offset += 1 }
                    if offset == length { return true }
                }
                index += 1
            }
            return false
        }
    }
}

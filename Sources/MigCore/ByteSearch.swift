extension Collection where Element == UInt8 {
    /// Whether `needle`'s bytes occur in order somewhere in the collection: a quick look for a
    /// marker (`migledger:ignore`, `-- migrate:up`) before anything decodes the text.
    public func containsBytes(_ needle: some StringProtocol) -> Bool {
        let needle = Array(needle.utf8)
        guard let first = needle.first, count >= needle.count else { return false }
        var start = startIndex
        while let found = self[start...].firstIndex(of: first) {
            if self[found...].starts(with: needle) { return true }
            start = index(after: found)
        }
        return false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Collection where Element == UInt8 {
    /// Whether `needle`'s bytes occur in order somewhere in the collection: a quick look for a
    /// marker (`migledger:ignore`, `-- migrate:up`) before anything decodes the text.
    // Inlinable so that callers in other modules get a specialized copy: the generic one walked
    // every byte through value witnesses and took a tenth of a lint run.
    @inlinable
    public func containsBytes(_ needle: some StringProtocol) -> Bool {
        let needle = String(needle)
        if let found = withContiguousStorageIfAvailable({ ByteSearch.contains(needle, in: UnsafeRawBufferPointer($0)) }) {
            return found
        }
        return Array(self).withUnsafeBytes { ByteSearch.contains(needle, in: $0) }
    }
}

@usableFromInline
enum ByteSearch {
    @usableFromInline
    static func contains(_ needle: String, in haystack: UnsafeRawBufferPointer) -> Bool {
        var needle = needle
        return needle.withUTF8 { needle in
            guard let first = needle.first, let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
            let last = haystack.count - needle.count
            var offset = 0
            while offset <= last, let found = memchr(base + offset, Int32(first), last - offset + 1) {
                offset = base.distance(to: UnsafeRawPointer(found))
                if memcmp(found, needle.baseAddress!, needle.count) == 0 { return true }
                offset += 1
            }
            return false
        }
    }
}

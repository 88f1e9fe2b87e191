internal import CGit2
import Foundation

/// A tree object's bytes as git stores them, `<octal mode> <name>\0<20-byte id>` per entry in
/// git's order, with where each entry starts. Reading and writing a folder of thousands of
/// migrations this way costs one pass over its bytes and no allocation per entry.
struct RawTree {
    private(set) var bytes: [UInt8]
    /// Where each entry starts in `bytes`.
    private(set) var starts: [Int32]

    static let empty = RawTree(checked: [], starts: [])

    private init(checked bytes: [UInt8], starts: [Int32]) {
        self.bytes = bytes
        self.starts = starts
    }

    /// Parses `bytes`; nil when they are not a well-formed tree.
    init?(_ bytes: [UInt8]) {
        var starts: [Int32] = []
        let found: Bool = bytes.withUnsafeBufferPointer { buffer in
            var at = 0
            while at < buffer.count {
                starts.append(Int32(at))
                guard let nul = RawTree.endOfName(buffer, from: at), nul + 21 <= buffer.count else { return false }
                at = nul + 21
            }
            return true
        }
        guard found, bytes.count < Int(Int32.max) else { return nil }
        self.init(checked: bytes, starts: starts)
    }

    var count: Int { starts.count }

    /// The NUL after the entry's name, checking that a mode of octal digits and a space precede it.
    private static func endOfName(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var at = start
        while at < buffer.count, buffer[at] >= UInt8(ascii: "0"), buffer[at] <= UInt8(ascii: "7") { at += 1 }
        guard at > start, at - start <= 6, at < buffer.count, buffer[at] == 0x20 else { return nil }
        let nameStart = at + 1
        guard nameStart < buffer.count,
              let nul = memchr(buffer.baseAddress! + nameStart, 0, buffer.count - nameStart) else { return nil }
        let end = buffer.baseAddress!.distance(to: nul.assumingMemoryBound(to: UInt8.self))
        return end > nameStart ? end : nil
    }

    /// The entry's name, as a range of `bytes`.
    func name(at index: Int) -> Range<Int> {
        let start = Int(starts[index])
        var at = start
        while bytes[at] != 0x20 { at += 1 }
        let nameStart = at + 1
        at = nameStart
        while bytes[at] != 0 { at += 1 }
        return nameStart..<at
    }

    /// Whether the entry is a folder (mode `40000`, or `040000` as some old tools wrote it).
    func isFolder(at index: Int) -> Bool {
        mode(at: index) & 0o170000 == 0o040000
    }

    func mode(at index: Int) -> UInt32 {
        var at = Int(starts[index])
        var mode: UInt32 = 0
        while bytes[at] != 0x20 {
            mode = mode << 3 | UInt32(bytes[at] - UInt8(ascii: "0"))
            at += 1
        }
        return mode
    }

    func id(at index: Int) -> ObjectID {
        let end = name(at: index).upperBound
        return ObjectID(raw: bytes[end + 1..<end + 21])!
    }

    /// The bytes of the entry at `index`, id included.
    func entry(at index: Int) -> Range<Int> {
        Int(starts[index])..<(index + 1 < starts.count ? Int(starts[index + 1]) : bytes.count)
    }

    /// Whether entry `index` has the same bytes as `other`'s entry `otherIndex`: mode, name and id.
    func sameEntry(_ index: Int, as other: RawTree, _ otherIndex: Int) -> Bool {
        let mine = entry(at: index), theirs = other.entry(at: otherIndex)
        guard mine.count == theirs.count else { return false }
        return bytes.withUnsafeBufferPointer { left in
            other.bytes.withUnsafeBufferPointer { right in
                memcmp(left.baseAddress! + mine.lowerBound, right.baseAddress! + theirs.lowerBound, mine.count) == 0
            }
        }
    }

    /// Whether entry `index` comes before `other`'s entry `otherIndex` in git's tree order.
    func precedes(_ index: Int, _ other: RawTree, _ otherIndex: Int) -> Bool {
        RawTree.precedes(bytes[name(at: index)], isFolder(at: index), other.bytes[other.name(at: otherIndex)], other.isFolder(at: otherIndex))
    }

    /// The entry named `name`, a file or a folder.
    func find(_ name: [UInt8]) -> Int? {
        for folder in [false, true] {
            let index = lowerBound(name, folder: folder)
            if index < count, bytes[self.name(at: index)].elementsEqual(name) { return index }
        }
        return nil
    }

    /// The first entry that does not sort before `name` (as a folder's name when `folder`).
    func lowerBound(_ name: [UInt8], folder: Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if RawTree.precedes(bytes[self.name(at: mid)], isFolder(at: mid), name[...], folder) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Git orders tree entries by name bytes, a folder's name as if it ended with `/`.
    static func precedes(_ lhs: ArraySlice<UInt8>, _ lhsFolder: Bool, _ rhs: ArraySlice<UInt8>, _ rhsFolder: Bool) -> Bool {
        var left = lhs.startIndex, right = rhs.startIndex
        while left < lhs.endIndex, right < rhs.endIndex {
            if lhs[left] != rhs[right] { return lhs[left] < rhs[right] }
            left += 1
            right += 1
        }
        let nextLeft: UInt8? = left < lhs.endIndex ? lhs[left] : (lhsFolder ? UInt8(ascii: "/") : nil)
        let nextRight: UInt8? = right < rhs.endIndex ? rhs[right] : (rhsFolder ? UInt8(ascii: "/") : nil)
        switch (nextLeft, nextRight) {
        case let (l?, r?): return l < r || (l == r && lhs.count < rhs.count)
        case (nil, _?): return true
        default: return false
        }
    }

    /// One entry in tree format.
    static func encode(mode: UInt32, name: [UInt8], id: ObjectID) -> [UInt8] {
        var digits: [UInt8] = []
        var rest = mode
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest & 7))
            rest >>= 3
        } while rest > 0
        var bytes = Array(digits.reversed())
        bytes.reserveCapacity(bytes.count + name.count + 22)
        bytes.append(0x20)
        bytes.append(contentsOf: name)
        bytes.append(0)
        id.appendRaw(to: &bytes)
        return bytes
    }

    /// This tree with `inserted` entries (encoded, in git's order, each at the index of `bytes`'
    /// entries it goes before) added and the entries at `removed` (ascending) left out.
    func merged(inserting inserted: [(at: Int, bytes: [UInt8])], removing removed: [Int]) -> RawTree {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + inserted.reduce(0) { $0 + $1.bytes.count })
        var newStarts: [Int32] = []
        newStarts.reserveCapacity(count + inserted.count)
        var next = 0, nextRemoved = 0
        func copy(upTo end: Int) {
            // runs of kept entries are copied whole, their starts shifted by one offset
            while next < end {
                if nextRemoved < removed.count, removed[nextRemoved] == next {
                    next += 1
                    nextRemoved += 1
                    continue
                }
                let last = min(end, nextRemoved < removed.count ? removed[nextRemoved] : end) - 1
                let from = Int(starts[next]), to = entry(at: last).upperBound
                let shift = Int32(out.count) - Int32(from)
                for index in next...last { newStarts.append(starts[index] + shift) }
                out.append(contentsOf: bytes[from..<to])
                next = last + 1
            }
        }
        for insertion in inserted {
            copy(upTo: insertion.at)
            newStarts.append(Int32(out.count))
            out.append(contentsOf: insertion.bytes)
        }
        copy(upTo: count)
        return RawTree(checked: out, starts: newStarts)
    }
}

extension Repository {
    /// The stored bytes of tree `id`.
    func rawTree(_ id: ObjectID) throws(GitError) -> RawTree {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, handle.pointer), "opening the object database")
        let database = Owned(odb!) { git_odb_free($0) }
        defer { withExtendedLifetime(database) {} }
        var oid = id.oid
        var pointer: OpaquePointer?
        try check(git_odb_read(&pointer, database.pointer, &oid), "reading tree \(id.shortHex)")
        let object = Owned(pointer!) { git_odb_object_free($0) }
        defer { withExtendedLifetime(object) {} }
        guard git_odb_object_type(object.pointer) == GIT_OBJECT_TREE else {
            throw GitError(code: .other(-1), operation: "reading tree \(id.shortHex)", message: "the object is not a tree")
        }
        let size = git_odb_object_size(object.pointer)
        let bytes = size == 0 ? [] : Array(UnsafeRawBufferPointer(start: git_odb_object_data(object.pointer), count: size))
        guard let tree = RawTree(bytes) else {
            throw GitError(code: .other(-1), operation: "reading tree \(id.shortHex)", message: "the tree is malformed")
        }
        return tree
    }
}

internal import CGit2
internal import COpenSSL
internal import CZlib
import MigCore
import Foundation

/// An object to store in a pack or as a loose file, and optionally an earlier object of the
/// same pack that it is close to, to be stored as a delta of.
struct PackObject {
    let id: ObjectID
    /// `GIT_OBJECT_COMMIT` or `GIT_OBJECT_TREE`: what migledger writes.
    let type: git_object_t
    let data: [UInt8]
    let base: ObjectID?

    /// `data` as an object of `type`, with the id git gives it.
    init(_ type: git_object_t, _ data: [UInt8], base: ObjectID? = nil) {
        self.type = type
        self.data = data
        self.base = base
        id = ObjectID(raw: PackFileWriter.sha1(Self.header(type, data), data)[...])!
    }

    /// `<type> <size>\0`, which the object id covers and a loose file starts with.
    var header: [UInt8] { Self.header(type, data) }

    private static func header(_ type: git_object_t, _ data: [UInt8]) -> [UInt8] {
        Array("\(type == GIT_OBJECT_COMMIT ? "commit" : "tree") \(data.count)\0".utf8)
    }
}

/// Writes objects as a version 2 pack with its version 2 index, as git's pack-format document
/// describes them, into a repository's `objects/pack`.
///
/// A ledger sync appends to trees of thousands of entries a few entries at a time, so each
/// tree is known to be its previous version plus some bytes: stored as a delta of that version
/// (a copy of the common start and end, and the new bytes), it costs a few hundred bytes where
/// libgit2's pack builder searched a window of candidates for a delta, compressed whole trees,
/// and then read the pack back to hash every object again for its index, half of a full sync.
enum PackFileWriter {
    /// Writes the pack and its index and returns the pack's checksum (its name). The index is
    /// renamed into place last: git and libgit2 ignore a pack until its index exists.
    @discardableResult
    static func write(_ objects: [PackObject], into directory: String) throws(GitError) -> ObjectID {
        var pack: [UInt8] = Array("PACK".utf8)
        pack.appendBigEndian(UInt32(2))
        var entries: [(id: ObjectID, offset: Int, crc: UInt32)] = []
        var written: [ObjectID: (offset: Int, index: Int)] = [:]
        /// For each object stored, the whole object its delta is of (itself when stored whole).
        var stored: [ObjectID: ObjectID] = [:]
        var unique: [PackObject] = []
        for object in objects where written[object.id] == nil {
            written[object.id] = (0, unique.count)
            unique.append(object)
        }
        pack.appendBigEndian(UInt32(unique.count))
        let compressor = try Compressor()
        for (index, object) in unique.enumerated() {
            let start = pack.count
            var header: [UInt8]
            var payload = object.data
            // Each delta's base is the whole object its chain starts from, not the version just
            // before: the deltas grow a little, and reading any of them applies one delta, not
            // one per deploy since the pack began.
            if let previous = object.base, let baseID = stored[previous], let base = written[baseID], base.index < index,
               case let delta = object.type == GIT_OBJECT_TREE
                   ? Delta.encode(fromTree: unique[base.index].data, to: object.data)
                   : Delta.encode(from: unique[base.index].data, to: object.data),
               delta.count < object.data.count / 2 {
                header = typeAndSize(6, delta.count)     // OFS_DELTA
                header += deltaOffset(start - base.offset)
                payload = delta
                stored[object.id] = baseID
            } else {
                header = typeAndSize(UInt8(object.type.rawValue), object.data.count)
                stored[object.id] = object.id
            }
            let compressed = try compressor.compress(payload)
            pack += header
            pack += compressed
            var crc = crc32(0, nil, 0)
            crc = header.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
            crc = compressed.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
            entries.append((object.id, start, UInt32(crc)))
            written[object.id] = (start, index)
        }
        let packChecksum = sha1(pack)
        pack += packChecksum

        var idx: [UInt8] = [0xFF, 0x74, 0x4F, 0x63]
        idx.appendBigEndian(UInt32(2))
        entries.sort { $0.id < $1.id }
        let raws = entries.map(\.id.raw)
        var fanout = [UInt32](repeating: 0, count: 256)
        for raw in raws { fanout[Int(raw[0])] += 1 }
        var running: UInt32 = 0
        for byte in 0..<256 {
            running += fanout[byte]
            idx.appendBigEndian(running)
        }
        for raw in raws { idx += raw }
        for entry in entries { idx.appendBigEndian(entry.crc) }
        var large: [UInt64] = []
        for entry in entries {
            if entry.offset < 0x8000_0000 {
                idx.appendBigEndian(UInt32(entry.offset))
            } else {
                idx.appendBigEndian(0x8000_0000 | UInt32(large.count))
                large.append(UInt64(entry.offset))
            }
        }
        for offset in large { idx.appendBigEndian(offset) }
        idx += packChecksum
        idx += sha1(idx)

        guard let name = ObjectID(raw: packChecksum[...]) else {
            throw GitError(code: .other(-1), operation: "writing a pack", message: "bad pack checksum")
        }
        let base = (directory as NSString).appendingPathComponent("pack-\(name)")
        try place(pack, at: base + ".pack", in: directory)
        try place(idx, at: base + ".idx", in: directory)
        return name
    }

    /// The pack entry header: type in bits 4–6 of the first byte, then the size, 4 bits and
    /// then 7 bits a byte, least significant first.
    private static func typeAndSize(_ type: UInt8, _ size: Int) -> [UInt8] {
        var size = size
        var bytes = [UInt8(type << 4) | UInt8(size & 0x0F)]
        size >>= 4
        while size > 0 {
            bytes[bytes.count - 1] |= 0x80
            bytes.append(UInt8(size & 0x7F))
            size >>= 7
        }
        return bytes
    }

    /// How far back the base starts, in git's offset encoding: most significant group first,
    /// each continued group biased by one so that no number has two encodings.
    private static func deltaOffset(_ distance: Int) -> [UInt8] {
        var value = distance
        var bytes = [UInt8(value & 0x7F)]
        value >>= 7
        while value > 0 {
            value -= 1
            bytes.insert(0x80 | UInt8(value & 0x7F), at: 0)
            value >>= 7
        }
        return bytes
    }

    /// SHA-1 by OpenSSL, which uses the CPU's SHA instructions: about four times as fast as
    /// libgit2's collision-detecting SHA-1 here (1,364 against 353 MB/s), and a full sync hashes
    /// every version of the ledger's trees, some 180 MB.
    static func sha1(_ parts: [UInt8]...) -> [UInt8] {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        // SHA-1 is always there: these calls fail only when memory does, which traps below
        var ok = EVP_DigestInit_ex(context, EVP_sha1(), nil) == 1
        for part in parts {
            ok = ok && part.withUnsafeBufferPointer { EVP_DigestUpdate(context, $0.baseAddress, $0.count) } == 1
        }
        ok = ok && digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) } == 1
        precondition(ok && length == 20, "OpenSSL could not compute a SHA-1")
        return digest
    }

    /// Writes `bytes` durably to `path`, read-only as git leaves packs.
    static func place(_ bytes: [UInt8], at path: String, in directory: String) throws(GitError) {
        do {
            try replaceFile(at: path, with: bytes, temporaryIn: directory, permissions: 0o444, durable: true)
        } catch {
            throw GitError(code: .other(-1), operation: error.operation, message: error.message)
        }
    }

}

/// git's delta format: the base's size and the result's, then instructions that copy a range
/// of the base or insert literal bytes.
enum Delta {
    /// A delta that rebuilds `target` from `base`: their common start and end are copied, what
    /// lies between is inserted.
    static func encode(from base: [UInt8], to target: [UInt8]) -> [UInt8] {
        let (prefix, suffix) = base.withUnsafeBufferPointer { base in
            target.withUnsafeBufferPointer { target in
                common(base, target)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(target.count - prefix - suffix + 64)
        appendSize(base.count, to: &out)
        appendSize(target.count, to: &out)
        appendCopy(offset: 0, count: prefix, to: &out)
        appendInsert(target[prefix..<target.count - suffix], to: &out)
        appendCopy(offset: base.count - suffix, count: suffix, to: &out)
        return out
    }

    /// Insert instructions of at most 127 bytes each.
    private static func appendInsert(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let count = min(127, bytes.endIndex - start)
            out.append(UInt8(count))
            out.append(contentsOf: bytes[start..<start + count])
            start += count
        }
    }

    /// A delta between two trees: entries of `target` found in `base` are copied, the others
    /// inserted. A folder of the ledger only gains entries, anywhere in name order (a migration
    /// merged late sorts among older ones), and this finds each of them where a common start
    /// and end would insert everything between the first and the last.
    static func encode(fromTree base: [UInt8], to target: [UInt8]) -> [UInt8] {
        guard let baseTree = RawTree(base), let targetTree = RawTree(target) else { return encode(from: base, to: target) }
        var out: [UInt8] = []
        appendSize(base.count, to: &out)
        appendSize(target.count, to: &out)
        var copy: Range<Int>?
        var insert: Range<Int>?
        func flush() {
            if let range = copy { appendCopy(offset: range.lowerBound, count: range.count, to: &out) }
            if let range = insert { appendInsert(target[range], to: &out) }
            copy = nil
            insert = nil
        }
        var next = 0
        for index in 0..<targetTree.count {
            while next < baseTree.count, !baseTree.sameEntry(next, as: targetTree, index),
                  baseTree.precedes(next, targetTree, index) {
                next += 1
            }
            if next < baseTree.count, baseTree.sameEntry(next, as: targetTree, index) {
                let range = baseTree.entry(at: next)
                if insert != nil { flush() }
                if let current = copy, current.upperBound == range.lowerBound {
                    copy = current.lowerBound..<range.upperBound
                } else {
                    if copy != nil { flush() }
                    copy = range
                }
                next += 1
            } else {
                if copy != nil { flush() }
                let entry = targetTree.entry(at: index)
                insert = insert.map { $0.lowerBound..<entry.upperBound } ?? entry
            }
        }
        flush()
        return out
    }

    /// Lengths of the common start and the common end, which do not overlap in either.
    private static func common(_ base: UnsafeBufferPointer<UInt8>, _ target: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        let limit = min(base.count, target.count)
        guard limit > 0, let b = base.baseAddress, let t = target.baseAddress else { return (0, 0) }
        let chunk = 4096
        var prefix = 0
        while prefix + chunk <= limit, memcmp(b + prefix, t + prefix, chunk) == 0 { prefix += chunk }
        while prefix < limit, b[prefix] == t[prefix] { prefix += 1 }
        var suffix = 0
        let room = limit - prefix
        while suffix + chunk <= room,
              memcmp(b + base.count - suffix - chunk, t + target.count - suffix - chunk, chunk) == 0 { suffix += chunk }
        while suffix < room, b[base.count - suffix - 1] == t[target.count - suffix - 1] { suffix += 1 }
        return (prefix, suffix)
    }

    private static func appendSize(_ size: Int, to out: inout [UInt8]) {
        var size = size
        repeat {
            out.append(UInt8(size & 0x7F) | (size >= 0x80 ? 0x80 : 0))
            size >>= 7
        } while size > 0
    }

    /// Copy instructions of at most 64 KiB each, as git writes them.
    private static func appendCopy(offset: Int, count: Int, to out: inout [UInt8]) {
        var offset = offset, remaining = count
        while remaining > 0 {
            let size = min(remaining, 0xFFFF)
            var command: UInt8 = 0x80
            var operands: [UInt8] = []
            for bit in 0..<4 where (offset >> (8 * bit)) & 0xFF != 0 {
                command |= 1 << bit
                operands.append(UInt8((offset >> (8 * bit)) & 0xFF))
            }
            for bit in 0..<3 where (size >> (8 * bit)) & 0xFF != 0 {
                command |= 0x10 << bit
                operands.append(UInt8((size >> (8 * bit)) & 0xFF))
            }
            out.append(command)
            out += operands
            offset += size
            remaining -= size
        }
    }
}

/// zlib at its fastest level (git's default for loose objects), one stream reused for every
/// object: setting a stream up allocates some 300 KB, which for a pack of thousands of small
/// deltas and commits cost more than compressing them.
final class Compressor {
    private let stream: UnsafeMutablePointer<z_stream>

    /// `stored`: zlib's level 0, bytes kept as they are (see `LooseObject`).
    init(stored: Bool = false) throws(GitError) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let result = deflateInit_(stream, stored ? Z_NO_COMPRESSION : Z_BEST_SPEED, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard result == Z_OK else {
            stream.deallocate()
            throw GitError(code: .other(-1), operation: "preparing zlib", message: "deflateInit failed (\(result))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    func compress(_ bytes: [UInt8]) throws(GitError) -> [UInt8] {
        guard deflateReset(stream) == Z_OK else {
            throw GitError(code: .other(-1), operation: "compressing an object", message: "zlib could not reset its stream")
        }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))))
        let result = bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = uInt(output.count)
                return deflate(stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else {
            throw GitError(code: .other(-1), operation: "compressing an object", message: "zlib could not compress (\(result))")
        }
        out.removeSubrange(Int(stream.pointee.total_out)...)
        return out
    }
}

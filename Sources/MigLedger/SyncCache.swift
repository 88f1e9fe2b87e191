import MigCore
import MigGit
import Foundation

/// What the sync cache keeps of a ledger entry.
struct CachedEntry {
    let blob: ObjectID
    let source: ObjectID
    let marker: String
    let deployedAt: GitTime
}

/// One environment's sync cache file, binary:
///
///     "MLSC4" <tip:20> <count M:u32> <count D:u32> <count E:u32>
///     M markers   <len:u16><marker>
///     D deploys   <commit:20><marker:u32>
///     E entries   <blob:20><source:20><deployed-at:u64><marker:u32><len:u16><path>
///     the last deploy's migration folders, as `TreeStore` encodes them
///
/// Markers are numbered, so that a thousand of them are decoded once rather than once for each
/// of thousands of files. The first three sections only grow, so a sync that appends a few
/// deploys copies the file it read and adds to each section instead of encoding every entry
/// again. The folders let the next sync compare its deploy's folders without reading the
/// last deploy's again.
struct SyncCacheFile: Sendable {
    static let magic = Array("MLSC4".utf8)
    private static let headerSize = 5 + 20 + 12

    let tip: ObjectID
    let markers: [String]
    private let bytes: [UInt8]
    private let markerSection: Range<Int>
    private let deploySection: Range<Int>
    private let entrySection: Range<Int>
    private let folderSection: Range<Int>
    private let deployCount: Int
    let entryCount: Int

    /// Parses the header and the markers, and checks that the other sections are whole; nil
    /// for anything that is not a complete cache file.
    init?(bytes: [UInt8]) {
        let parsed = bytes.withUnsafeBufferPointer { buffer -> (ObjectID, [String], Int, Int, Int, Int, Int)? in
            var reader = ByteReader(buffer)
            guard reader.take(5).map(Array.init) == Self.magic, let tip = reader.id(),
                  let markerCount = reader.number(4), let deployCount = reader.number(4),
                  let entryCount = reader.number(4) else { return nil }
            var markers: [String] = []
            markers.reserveCapacity(min(markerCount, buffer.count / 2))
            for _ in 0..<markerCount {
                guard let length = reader.number(2), let marker = reader.take(length) else { return nil }
                markers.append(String(decoding: marker, as: UTF8.self))
            }
            let deploysStart = reader.at
            guard reader.take(deployCount * 24) != nil else { return nil }
            let entriesStart = reader.at
            for _ in 0..<entryCount {
                guard reader.take(52) != nil, let length = reader.number(2), reader.take(length) != nil else { return nil }
            }
            return (tip, markers, deploysStart, entriesStart, reader.at, deployCount, entryCount)
        }
        guard let (tip, markers, deploysStart, entriesStart, foldersStart, deployCount, entryCount) = parsed else { return nil }
        self.tip = tip
        self.markers = markers
        self.bytes = bytes
        markerSection = Self.headerSize..<deploysStart
        deploySection = deploysStart..<entriesStart
        entrySection = entriesStart..<foldersStart
        folderSection = foldersStart..<bytes.count
        self.deployCount = deployCount
        self.entryCount = entryCount
    }

    /// The last deploy's migration folders; none when they do not decode, which only costs the
    /// next comparison a read of them from the repository.
    func folders() -> TreeStore {
        TreeStore(decoding: bytes[folderSection]) ?? TreeStore()
    }

    /// The recorded deploys; nil if one names a marker the file lacks.
    func deploys() -> Set<DeployKey>? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = ByteReader(buffer, at: deploySection.lowerBound)
            var recorded: Set<DeployKey> = []
            recorded.reserveCapacity(deployCount)
            for _ in 0..<deployCount {
                guard let commit = reader.id(), let marker = reader.number(4), marker < markers.count else { return nil }
                recorded.insert(DeployKey(marker: markers[marker], commit: commit))
            }
            return recorded
        }
    }

    /// Calls `body` with each entry; false if one names a marker the file lacks.
    func forEachEntry(_ body: (RepoPath, CachedEntry) -> Void) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = ByteReader(buffer, at: entrySection.lowerBound)
            for _ in 0..<entryCount {
                guard let blob = reader.id(), let source = reader.id(), let deployedAt = reader.number(8),
                      let marker = reader.number(4), marker < markers.count, let length = reader.number(2),
                      let path = reader.take(length) else { return false }
                body(RepoPath(bytes: Array(path)), CachedEntry(blob: blob, source: source, marker: markers[marker],
                                                               deployedAt: GitTime(seconds: Int64(truncatingIfNeeded: deployedAt))))
            }
            return true
        }
    }

    /// The file for `tip`: every deploy and entry of this one, then `deploys` and `entries`, and
    /// the last deploy's `folders` (nil when a name or path is too long for the format).
    func appending(tip: ObjectID, deploys: [DeployKey], entries: [(RepoPath, CachedEntry)], folders: TreeStore) -> [UInt8]? {
        var writer = Writer(markers: markers)
        var deployBytes: [UInt8] = []
        var entryBytes: [UInt8] = []
        for deploy in deploys { writer.deploy(deploy, into: &deployBytes) }
        for (path, entry) in entries {
            guard writer.entry(path, entry, into: &entryBytes) else { return nil }
        }
        return writer.file(tip: tip, copying: (bytes[markerSection], bytes[deploySection], bytes[entrySection]),
                           deploys: (deployCount + deploys.count, deployBytes),
                           entries: (entryCount + entries.count, entryBytes), folders: folders)
    }

    /// A whole file for `tip` (nil when a name or path is too long for the format).
    static func encode(tip: ObjectID, deploys: Set<DeployKey>, entries: [RepoPath: CachedEntry], folders: TreeStore) -> [UInt8]? {
        var writer = Writer(markers: [])
        var deployBytes: [UInt8] = []
        deployBytes.reserveCapacity(deploys.count * 24)
        var entryBytes: [UInt8] = []
        entryBytes.reserveCapacity(entries.count * 100)
        for deploy in deploys { writer.deploy(deploy, into: &deployBytes) }
        for (path, entry) in entries {
            guard writer.entry(path, entry, into: &entryBytes) else { return nil }
        }
        return writer.file(tip: tip, copying: ([], [], []), deploys: (deploys.count, deployBytes),
                           entries: (entries.count, entryBytes), folders: folders)
    }

    private struct Writer {
        /// Markers numbered so far; those past `known` are new to the file being written.
        var markers: [String]
        let known: Int
        private var numbers: [String: Int]?

        init(markers: [String]) {
            self.markers = markers
            known = markers.count
        }

        mutating func number(of marker: String) -> Int {
            if numbers == nil {
                numbers = Dictionary(markers.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
            }
            if let number = numbers?[marker] { return number }
            numbers?[marker] = markers.count
            markers.append(marker)
            return markers.count - 1
        }

        mutating func deploy(_ deploy: DeployKey, into out: inout [UInt8]) {
            deploy.commit.appendRaw(to: &out)
            out.appendBigEndian(UInt32(number(of: deploy.marker)))
        }

        mutating func entry(_ path: RepoPath, _ entry: CachedEntry, into out: inout [UInt8]) -> Bool {
            guard path.bytes.count < 65536 else { return false }
            entry.blob.appendRaw(to: &out)
            entry.source.appendRaw(to: &out)
            out.appendBigEndian(UInt64(truncatingIfNeeded: entry.deployedAt.seconds))
            out.appendBigEndian(UInt32(number(of: entry.marker)))
            out.appendBigEndian(UInt16(path.bytes.count))
            out.append(contentsOf: path.bytes)
            return true
        }

        func file(tip: ObjectID, copying old: (markers: ArraySlice<UInt8>, deploys: ArraySlice<UInt8>, entries: ArraySlice<UInt8>),
                  deploys: (count: Int, bytes: [UInt8]), entries: (count: Int, bytes: [UInt8]), folders: TreeStore) -> [UInt8]? {
            var newMarkers: [UInt8] = []
            for name in markers[known...] {
                let bytes = Array(name.utf8)
                guard bytes.count < 65536 else { return nil }
                newMarkers.appendBigEndian(UInt16(bytes.count))
                newMarkers += bytes
            }
            var out: [UInt8] = []
            out.reserveCapacity(SyncCacheFile.headerSize + old.markers.count + newMarkers.count + old.deploys.count
                                + deploys.bytes.count + old.entries.count + entries.bytes.count + folders.encodedSize)
            out += SyncCacheFile.magic
            tip.appendRaw(to: &out)
            out.appendBigEndian(UInt32(markers.count))
            out.appendBigEndian(UInt32(deploys.count))
            out.appendBigEndian(UInt32(entries.count))
            out += old.markers
            out += newMarkers
            out += old.deploys
            out += deploys.bytes
            out += old.entries
            out += entries.bytes
            folders.encode(into: &out)
            return out
        }
    }
}

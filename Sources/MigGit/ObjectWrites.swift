internal import CGit2
import MigCore
import Foundation

/// Where a ledger sync writes: trees and commits are kept as bytes (their ids computed here,
/// nothing read back), then `flush` stores them, as one pack with its index or as loose files.
/// Nothing written here can be read, from this handle or another, before `finish` returns.
public final class ObjectWrites: @unchecked Sendable {
    public enum Storage: Sendable {
        /// One pack per flush, each tree a delta of an earlier version of it: for many deploys.
        case pack
        /// One zlib file per object, written on another thread while the caller goes on: for a
        /// few deploys, whose large trees gain nothing from a pack of their own.
        case loose
    }

    private let repository: Repository
    private let storage: Storage
    private let objectsDirectory: String
    private var objects: [PackObject] = []
    private let background = DispatchGroup()
    private let lock = NSLock()
    private var backgroundError: GitError?

    public init(repository: Repository, storage: Storage) {
        self.repository = repository
        self.storage = storage
        objectsDirectory = (repository.gitDirectory as NSString).appendingPathComponent("objects")
    }

    /// Keeps a tree and returns its id. `previous` is the version of the same folder it
    /// replaces, which a pack stores it as a delta of when both are in it.
    func store(tree bytes: [UInt8], previous: ObjectID?) -> ObjectID {
        let object = PackObject(GIT_OBJECT_TREE, bytes, base: previous)
        objects.append(object)
        return object.id
    }

    /// Keeps a commit and returns its id: the bytes libgit2's `git_commit_create` writes,
    /// without reading the tree or the parents, which may be waiting here too.
    public func store(commitOf tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
                      message: String) -> ObjectID {
        var text = "tree \(tree)\n"
        for parent in parents { text += "parent \(parent)\n" }
        text += "author " + Self.line(author) + "\ncommitter " + Self.line(committer) + "\n\n" + message
        let object = PackObject(GIT_OBJECT_COMMIT, Array(text.utf8))
        objects.append(object)
        return object.id
    }

    private static func line(_ signature: Signature) -> String {
        let offset = abs(Int(signature.time.offsetMinutes))
        let zone = (signature.time.offsetMinutes < 0 ? "-" : "+") + String(format: "%02d%02d", offset / 60, offset % 60)
        return "\(signature.name) <\(signature.email)> \(signature.time.seconds) \(zone)"
    }

    /// Stores what is pending: a pack now, or loose files in the background.
    public func flush() throws(GitError) {
        guard !objects.isEmpty else { return }
        let pending = objects
        objects = []
        switch storage {
        case .pack:
            try PackFileWriter.write(pending, into: (objectsDirectory as NSString).appendingPathComponent("pack"))
            try refresh()
        case .loose:
            let directory = objectsDirectory
            DispatchQueue.global().async(group: background) { [self] in
                do throws(GitError) {
                    for object in pending { try LooseObject.write(object, into: directory) }
                } catch {
                    lock.withLock { if backgroundError == nil { backgroundError = error } }
                }
            }
        }
    }

    /// Waits for the background writes; after it, every object flushed can be read.
    public func finish() throws(GitError) {
        background.wait()
        if let error = lock.withLock({ backgroundError }) { throw error }
        try refresh()
    }

    private func refresh() throws(GitError) {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.handle.pointer), "opening the object database")
        let owned = Owned(odb!) { git_odb_free($0) }
        defer { withExtendedLifetime(owned) {} }
        // new packs or files: let the repository find them before anything asks
        try check(git_odb_refresh(owned.pointer), "reading the new objects")
    }
}

/// A loose object file as git writes one: `objects/<2 hex>/<38 hex>`, the zlib-compressed
/// `<type> <size>\0` and bytes, read-only, put in place by a rename.
enum LooseObject {
    /// Objects of this size and more are stored in zlib's format uncompressed (level 0, which git
    /// reads like any other). A ledger folder of thousands of migrations is a tree of some
    /// 400 KB that compresses to half in 6 ms, the longest wait of an incremental sync; loose
    /// objects only last until git packs them (`gc`), where the tree becomes a small delta.
    static let storedFrom = 64 * 1024

    static func write(_ object: PackObject, into objectsDirectory: String) throws(GitError) {
        let hex = object.id.hex
        let folder = (objectsDirectory as NSString).appendingPathComponent(String(hex.prefix(2)))
        let path = (folder as NSString).appendingPathComponent(String(hex.dropFirst(2)))
        guard access(path, F_OK) != 0 else { return }
        let content = object.header + object.data
        let compressed = try Compressor(stored: content.count >= LooseObject.storedFrom).compress(content)
        if mkdir(folder, 0o755) != 0, errno != EEXIST {
            throw GitError(code: .other(-1), operation: "creating \(folder)", message: String(cString: strerror(errno)))
        }
        try PackFileWriter.place(compressed, at: path, in: folder)
    }
}

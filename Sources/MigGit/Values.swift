/// A point in time as git records it: seconds since the epoch and the author's UTC offset.
public struct GitTime: Sendable, Hashable, Comparable {
    public let seconds: Int64
    public let offsetMinutes: Int32

    public init(seconds: Int64, offsetMinutes: Int32 = 0) {
        self.seconds = seconds
        self.offsetMinutes = offsetMinutes
    }

    public static func < (lhs: GitTime, rhs: GitTime) -> Bool { lhs.seconds < rhs.seconds }
}

/// Who made a commit or tag, and when.
public struct Signature: Sendable, Hashable {
    public let name: String
    public let email: String
    public let time: GitTime

    public init(name: String, email: String, time: GitTime) {
        self.name = name
        self.email = email
        self.time = time
    }
}

/// A commit read out of the object database.
public struct CommitInfo: Sendable, Hashable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    public let author: Signature
    public let committer: Signature
    public let message: String

    /// The first line of the message.
    public var summary: String {
        String(message.prefix { $0 != "\n" && $0 != "\r" })
    }
}

/// An annotated tag object.
public struct TagInfo: Sendable, Hashable {
    public let id: ObjectID
    public let name: String
    public let target: ObjectID
    public let tagger: Signature?
    public let message: String
}

/// A reference with what it points at, read once so callers need no further lookups.
public struct ReferenceInfo: Sendable, Hashable {
    public let name: String
    /// The object the ref names directly (a tag object for annotated tags).
    public let target: ObjectID
    /// The commit the ref peels to, or nil when it points at a tree or blob.
    public let commit: ObjectID?
    /// The annotated tag, when the ref points at one (read only with details).
    public let tag: TagInfo?
    /// The annotated tag's date, else the commit's committer date (read only with details).
    public let date: GitTime?
}

/// A repository's git folder and the extra object folders it was opened with.
public struct RepositoryLocation: Sendable {
    let gitDirectory: String
    let objectFolders: [String]
}

/// A reference as listed, before any object is read.
public struct ReferenceTarget: Sendable, Hashable {
    public let name: String
    /// The object the ref names directly (a tag object for annotated tags).
    public let target: ObjectID
    /// What an annotated tag peels to, when packed-refs records it; nil otherwise.
    public let peeled: ObjectID?
}

/// What a tree entry holds.
public enum ObjectKind: Sendable, Hashable {
    case blob
    case tree
    case commit
    case other
}

/// One entry of a tree: raw name bytes, id, kind and git file mode.
public struct TreeEntry: Sendable, Hashable {
    public let name: [UInt8]
    public let id: ObjectID
    public let kind: ObjectKind
    public let fileMode: UInt32

    public var isSymlink: Bool { fileMode == 0o120000 }
    public var isSubmodule: Bool { fileMode == 0o160000 }
    public var isExecutable: Bool { fileMode == 0o100755 }
}

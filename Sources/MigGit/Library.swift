internal import CGit2

/// libgit2 needs one global initialisation before any call; `ensure()` does it once per process.
enum Library {
    private static let initialised: Bool = {
        git_libgit2_init()
        // Reading an object from a pack must not hash it again (git does that only in fsck):
        // verification doubled the cost of reading the large trees of migration folders.
        _ = migledger_set_strict_hash_verification(0)
        // libgit2 maps whole packs (1 GiB windows), keeps up to 8 GiB mapped, and every page it
        // read counts as the process's memory: a full sync reads most of a large history's
        // pack. Windows of 8 MiB, 32 MiB mapped at most, cost no measurable time.
        _ = migledger_set_pack_windows(8 << 20, 32 << 20)
        return true
    }()

    static func ensure() {
        _ = initialised
    }

    /// The linked libgit2's version, e.g. "1.5.1".
    static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}

/// Initialises libgit2 now rather than at the first repository opened; safe from any thread.
public func prepareGit() {
    Library.ensure()
}

/// The version of the libgit2 library this binary runs with.
public var libgit2Version: String { Library.version }

/// Owns one libgit2 object handle and frees it with the matching `git_*_free` when released.
///
/// Swift may release an object right after its last use, which for a local owner is the read of
/// `pointer`, before the C call that uses it. So every local owner is followed by
/// `defer { withExtendedLifetime(owner) {} }`: without it the handle can be freed under libgit2,
/// which its object cache hides until a large repository evicts the object.
final class Owned {
    let pointer: OpaquePointer
    private let free: (OpaquePointer) -> Void

    init(_ pointer: OpaquePointer, free: @escaping (OpaquePointer) -> Void) {
        self.pointer = pointer
        self.free = free
    }

    deinit {
        free(pointer)
    }
}

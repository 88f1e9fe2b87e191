import Foundation

/// A file could not be written or renamed into place.
public struct FileWriteError: Error, Sendable {
    public let operation: String
    public let message: String
}

/// Writes `bytes` to a new file in `directory` and renames it to `path`, so that readers see
/// the old file or the whole new one, never a part. `durable` syncs the bytes to disk before
/// the rename (git objects); a cache that can be rebuilt skips that.
public func replaceFile(at path: String, with bytes: [UInt8], temporaryIn directory: String,
                        permissions: UInt32, durable: Bool) throws(FileWriteError) {
    let temporary = (directory as NSString).appendingPathComponent("tmp_migledger_\(getpid())_\(UInt64.random(in: 0...UInt64.max))")
    func failure(_ operation: String) -> FileWriteError {
        FileWriteError(operation: operation, message: String(cString: strerror(errno)))
    }
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
    guard descriptor >= 0 else { throw failure("creating \(temporary)") }
    guard bytes.withUnsafeBufferPointer({ writeFully($0, to: descriptor) }) else {
        let error = failure("writing \(temporary)")
        close(descriptor)
        unlink(temporary)
        throw error
    }
    guard !durable || fsync(descriptor) == 0, close(descriptor) == 0 else {
        unlink(temporary)
        throw failure("writing \(temporary)")
    }
    guard rename(temporary, path) == 0 else {
        let error = failure("renaming \(temporary) to \(path)")
        unlink(temporary)
        throw error
    }
}

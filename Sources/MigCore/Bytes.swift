import Foundation

extension Array where Element == UInt8 {
    /// Appends `value` most significant byte first, as git's pack files and migledger's caches
    /// store numbers.
    public mutating func appendBigEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

/// Reads a binary format front to back; every read is bounds-checked and fails with nil.
public struct ByteReader {
    public let bytes: UnsafeBufferPointer<UInt8>
    public private(set) var at: Int

    public init(_ bytes: UnsafeBufferPointer<UInt8>, at: Int = 0) {
        self.bytes = bytes
        self.at = at
    }

    public var isAtEnd: Bool { at == bytes.count }

    public mutating func take(_ count: Int) -> UnsafeBufferPointer<UInt8>? {
        guard count >= 0, count <= bytes.count - at else { return nil }
        defer { at += count }
        return UnsafeBufferPointer(rebasing: bytes[at..<at + count])
    }

    /// A big-endian unsigned number of `width` bytes.
    public mutating func number(_ width: Int) -> Int? {
        guard let slice = take(width) else { return nil }
        var value = 0
        for byte in slice { value = value << 8 | Int(byte) }
        return value
    }
}

/// Writes all of `bytes` to `descriptor`, retrying interrupted writes; false (with `errno`
/// set) if the system refused.
public func writeFully(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return false }
        offset += written
    }
    return true
}

/// A value shared between threads, read and changed under a lock.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(&value) }
    }
}

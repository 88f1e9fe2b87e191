internal import CGit2

/// A git object id (SHA-1), held inline so comparing and hashing ids costs no allocation.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    init(_ oid: git_oid) {
        var oid = oid
        (high, middle, low) = withUnsafeBytes(of: &oid.id) { raw in
            (UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
             UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        }
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// Parses a full 40-digit hex id; nil for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40, utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        var oid = git_oid()
        let result = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { git_oid_fromstrn(&oid, $0.baseAddress, 40) }
        }
        guard result == 0 else { return nil }
        self.init(oid)
    }

    /// The id from its 20 raw bytes.
    public init?(raw bytes: ArraySlice<UInt8>) {
        guard bytes.count == 20 else { return nil }
        var oid = git_oid()
        bytes.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &oid.id) { $0.copyMemory(from: source) }
        }
        self.init(oid)
    }

    /// The id from the 20 raw bytes at `pointer`.
    public init(rawBytesAt pointer: UnsafeRawPointer) {
        high = UInt64(bigEndian: pointer.loadUnaligned(as: UInt64.self))
        middle = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        low = UInt32(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// The 20 raw bytes.
    public var raw: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        appendRaw(to: &bytes)
        return bytes
    }

    /// Appends the 20 raw bytes to `bytes`, without an array of their own.
    public func appendRaw(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: (high.bigEndian, middle.bigEndian, low.bigEndian)) { bytes.append(contentsOf: $0.prefix(20)) }
    }

    /// The all-zero id git uses for "no object" (a created or deleted ref in hook input).
    public static let zero = ObjectID(git_oid())

    public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        for (value, width) in [(high, 16), (middle, 16), (UInt64(low), 8)] {
            for nibble in stride(from: width - 1, through: 0, by: -1) {
                out.append(digits[Int((value >> (UInt64(nibble) * 4)) & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var shortHex: String { String(hex.prefix(12)) }
    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

/// UTF-8 validity as a UTF-8 PostgreSQL server judges it: NUL is invalid too.
enum Encoding {
    /// Each maximal invalid sequence, in order.
    static func invalidSequences(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index < bytes.count {
            // Eight ASCII bytes at a time: none has its high bit set, none is NUL.
            if index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                if word & high == 0, (word &- 0x0101_0101_0101_0101) & ~word & high == 0 {
                    index += 8
                    continue
                }
            }
            let length = validLength(bytes, at: index)
            if length > 0 {
                index += length
            } else {
                let end = index + invalidLength(bytes, at: index)
                if let last = result.last, last.upperBound == index {
                    result[result.count - 1] = last.lowerBound..<end
                } else {
                    result.append(index..<end)
                }
                index = end
            }
        }
        return result
    }

    /// The bytes PostgreSQL quotes in its message: as many as the first byte claims.
    static func describe(at start: Int, in text: [UInt8]) -> String {
        let claimed = switch text[start] {
        case 0xC0...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF7: 4
        default: 1
        }
        return text[start..<min(start + claimed, text.count)].map { byte in
            "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        }.joined(separator: " ")
    }

    /// The length of the valid character at `index`, or 0.
    private static func validLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        if lead < 0x80 { return lead == 0 ? 0 : 1 }
        let (needed, second) = expectation(lead)
        guard needed > 0, index + needed < bytes.count, second.contains(bytes[index + 1]) else { return 0 }
        for offset in stride(from: 2, through: needed, by: 1) where !(0x80...0xBF).contains(bytes[index + offset]) {
            return 0
        }
        return needed + 1
    }

    /// How many bytes of an invalid character form its maximal invalid prefix.
    private static func invalidLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let (needed, second) = expectation(bytes[index])
        guard needed > 0, index + 1 < bytes.count, second.contains(bytes[index + 1]) else { return 1 }
        var length = 2
        while length <= needed, index + length < bytes.count, (0x80...0xBF).contains(bytes[index + length]) { length += 1 }
        return length
    }

    /// Continuation bytes a lead byte needs, and the range its first one must be in
    /// (Unicode's table 3-7); 0 for ASCII and for bytes that cannot start a character.
    private static func expectation(_ lead: UInt8) -> (Int, ClosedRange<UInt8>) {
        switch lead {
        case 0xC2...0xDF: (1, 0x80...0xBF)
        case 0xE0: (2, 0xA0...0xBF)
        case 0xED: (2, 0x80...0x9F)
        case 0xE1...0xEF: (2, 0x80...0xBF)
        case 0xF0: (3, 0x90...0xBF)
        case 0xF1...0xF3: (3, 0x80...0xBF)
        case 0xF4: (3, 0x80...0x8F)
        default: (0, 0x80...0xBF)
        }
    }
}

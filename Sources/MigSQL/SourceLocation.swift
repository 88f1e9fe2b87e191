/// A place in a file, as findings and notes report it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// UTF-8 byte offset of the character's first byte.
    public let offset: Int
    /// 1-based.
    public let line: Int
    /// 1-based, in Unicode scalars (as policy errors count them).
    public let column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// Turns byte offsets into lines and columns, the same way for every caller.
///
/// Lines end at LF only, as git and the forges number them, so a finding lands on the line a
/// reviewer sees in the diff. Columns count Unicode scalars; bytes that are not valid UTF-8
/// count one column per maximal invalid sequence, the way editors show one U+FFFD for each.
/// A byte order mark starting the file is not a column: editors and forges do not show it.
public struct LineMap: Sendable {
    private let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                if buffer[offset] == UInt8(ascii: "\n") { starts.append(offset + 1) }
                offset += 1
            }
        }
        lineStarts = starts
    }

    /// The byte offset where a 1-based line starts; the end for lines past the last.
    public func offset(ofLine line: Int) -> Int {
        line - 1 < lineStarts.count ? lineStarts[max(line - 1, 0)] : bytes.count
    }

    /// The location of the character containing `offset`; offsets past the end give the end.
    /// An offset inside a multi-byte character reports that character, whose first byte is
    /// where an editor's cursor can go.
    public func location(of offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), bytes.count)
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let hasByteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let lineStart = low == 0 && hasByteOrderMark && offset >= 3 ? 3 : lineStarts[low]
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[lineStart...].makeIterator()
        var characterStart = lineStart
        var column = 1
        decoding: while characterStart < offset {
            let length: Int
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): length = encoded.count
            case .error(let errorLength): length = errorLength
            case .emptyInput: break decoding
            }
            if characterStart + length > offset { break }
            characterStart += length
            column += 1
        }
        return SourceLocation(offset: characterStart, line: low + 1, column: column)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A node of a PostgreSQL syntax tree: libpg_query's JSON, as rules navigate it.
///
/// libpg_query wraps every node in an object named after its type, so a statement reads
/// `tree["IndexStmt"]?["concurrent"]?.bool`. It leaves out fields at their zero value: an
/// absent `concurrent` is false, an absent list is empty, and an absent `location` is 0, the
/// statement's first byte. Field names are libpg_query's (`pg_query.proto`'s `json_name`).
///
/// A node is a view into one statement's storage: a few allocations per statement however big
/// the tree, nothing recursive to tear down (a 9,000-term `1 + 1 + …` nests 18,000 deep, which
/// would overflow the stack of a recursive enum's deinit), and strings are decoded only when
/// asked for.
public struct PGNode: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case object, array, string, number, bool, null
    }

    let tree: PGTree
    let index: Int

    init(tree: PGTree, index: Int) {
        self.tree = tree
        self.index = index
    }

    private var entry: PGTree.Entry { tree.entries[index] }

    public var kind: Kind { entry.kind }

    /// The value of an object's field.
    public subscript(key: String) -> PGNode? {
        tree.child(of: index, named: key).map { PGNode(tree: tree, index: $0) }
    }

    /// The string at the end of a path of fields: `node.string("relation", "relname")` reads
    /// what `node["relation"]?["relname"]?.string` reads. Rules read fields more than anything
    /// else, and a path costs no node, and so no reference count, per step.
    public func string(_ a: String, _ b: String? = nil, _ c: String? = nil, _ d: String? = nil) -> String? {
        field(a, b, c, d).flatMap { tree.entries[$0].kind == .string ? tree.string(at: $0) : nil }
    }

    /// The integer at the end of a path of fields, like `string(_:_:_:_:)`.
    public func int(_ a: String, _ b: String? = nil, _ c: String? = nil, _ d: String? = nil) -> Int? {
        field(a, b, c, d).flatMap { tree.entries[$0].kind == .number ? tree.integer(at: $0) : nil }
    }

    /// The boolean at the end of a path of fields, like `string(_:_:_:_:)`.
    public func bool(_ a: String, _ b: String? = nil, _ c: String? = nil, _ d: String? = nil) -> Bool? {
        field(a, b, c, d).flatMap { tree.entries[$0].kind == .bool ? tree.entries[$0].flag : nil }
    }

    /// The elements of the array at the end of a path of fields: nil when a field is missing,
    /// as `node["cmds"]?.elements` is.
    public func elements(_ a: String, _ b: String? = nil, _ c: String? = nil, _ d: String? = nil) -> [PGNode]? {
        field(a, b, c, d).map { PGNode(tree: tree, index: $0).elements }
    }

    private func field(_ a: String, _ b: String?, _ c: String?, _ d: String?) -> Int? {
        var found = tree.child(of: index, named: a)
        if let b { found = found.flatMap { tree.child(of: $0, named: b) } }
        if let c { found = found.flatMap { tree.child(of: $0, named: c) } }
        if let d { found = found.flatMap { tree.child(of: $0, named: d) } }
        return found
    }

    /// An array's element.
    public subscript(position: Int) -> PGNode? {
        guard entry.kind == .array, position >= 0 else { return nil }
        let end = Int(entry.end)
        var child = index + 1
        for _ in 0..<position where child < end {
            child = Int(tree.entries[child].end)
        }
        return child < end ? PGNode(tree: tree, index: child) : nil
    }

    /// An array's elements; empty for anything else, as libpg_query leaves empty lists out.
    public var elements: [PGNode] {
        guard entry.kind == .array else { return [] }
        let tree = tree
        return children.map { PGNode(tree: tree, index: $0) }
    }

    /// An object's fields, in libpg_query's order.
    public var fields: [(key: String, value: PGNode)] {
        guard entry.kind == .object else { return [] }
        return children.map { (tree.key(of: $0), PGNode(tree: tree, index: $0)) }
    }

    public var string: String? {
        entry.kind == .string ? tree.string(at: index) : nil
    }

    /// libpg_query writes only integers.
    public var int: Int? {
        entry.kind == .number ? tree.integer(at: index) : nil
    }

    public var bool: Bool? {
        entry.kind == .bool ? entry.flag : nil
    }

    /// For a wrapper like `{"ColumnDef": {…}}`, the type of the node it wraps.
    public var type: String? {
        guard entry.kind == .object, entry.end > index + 1, tree.entries[index + 1].end == entry.end,
              tree.entries[index + 1].kind == .object else { return nil }
        return tree.key(of: index + 1)
    }

    /// The byte offset in the original file of the node's `location` (looking through a
    /// wrapper), placeholders and DO-block bodies accounted for. Nil when the node has none
    /// (`-1`) or libpg_query left it out because it is 0: then the statement's range starts
    /// where the node does.
    public var location: Int? {
        if let value = self["location"]?.int {
            return value >= 0 ? tree.locator.originalStart(value) : nil
        }
        guard type != nil else { return nil }
        return PGNode(tree: tree, index: index + 1).location
    }

    /// Every node of `type` in this subtree, outermost first, unwrapped: `descendants("ColumnDef")`
    /// gives what `["ColumnDef"]` gives on each wrapper.
    public func descendants(_ type: String) -> [PGNode] {
        var type = type
        return type.withUTF8 { type in
            (index + 1..<Int(entry.end)).compactMap { child in
                tree.entries[child].kind == .object && tree.key(of: child, equals: type)
                    ? PGNode(tree: tree, index: child) : nil
            }
        }
    }

    /// libpg_query's JSON for the subtree; its locations are offsets in the parsed statement.
    public var description: String {
        String(decoding: tree.json[Int(entry.valueStart)..<Int(entry.valueEnd)], as: UTF8.self)
    }

    private var children: [Int] {
        tree.entries.withUnsafeBufferPointer { entries in
            let end = Int(entries[index].end)
            var result: [Int] = []
            var child = index + 1
            while child < end {
                result.append(child)
                child = Int(entries[child].end)
            }
            return result
        }
    }
}

/// One parse result's JSON and the index of its values, in document order: a container's
/// children follow it, and each entry knows where its subtree ends.
final class PGTree: Sendable {
    struct Entry: Sendable {
        /// Where the key's bytes are in `json`, quotes excluded; empty outside objects.
        var keyStart: UInt32
        /// A string's content (quotes excluded), a number's digits, or a container's brackets.
        var valueStart: UInt32
        var valueEnd: UInt32
        /// The index after this entry's subtree.
        var end: UInt32
        var keyLength: UInt16
        var kind: PGNode.Kind
        /// A string with backslash escapes, or a `true`.
        var flag: Bool
    }

    let json: [UInt8]
    let entries: [Entry]
    let locator: Locator

    init(json: [UInt8], entries: [Entry], locator: Locator) {
        self.json = json
        self.entries = entries
        self.locator = locator
    }

    var root: PGNode { PGNode(tree: self, index: 0) }

    /// The index of the field `key` of the object at `index`. Rules call this more than
    /// anything else, so it reads both buffers once rather than through the class per field.
    func child(of index: Int, named key: String) -> Int? {
        var key = key
        return key.withUTF8 { key in
            entries.withUnsafeBufferPointer { entries in
                json.withUnsafeBufferPointer { json in
                    let entry = entries[index]
                    guard entry.kind == .object, let keyStart = key.baseAddress, let jsonStart = json.baseAddress else { return nil }
                    let end = Int(entry.end)
                    var child = index + 1
                    while child < end {
                        let candidate = entries[child]
                        if Int(candidate.keyLength) == key.count, memcmp(jsonStart + Int(candidate.keyStart), keyStart, key.count) == 0 {
                            return child
                        }
                        child = Int(candidate.end)
                    }
                    return nil
                }
            }
        }
    }

    func key(of index: Int, equals key: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[index]
        let length = Int(entry.keyLength)
        guard length == key.count else { return false }
        guard length > 0 else { return true }
        return json.withUnsafeBufferPointer { json in
            memcmp(json.baseAddress! + Int(entry.keyStart), key.baseAddress!, length) == 0
        }
    }

    func key(of index: Int) -> String {
        let entry = entries[index]
        return String(decoding: json[Int(entry.keyStart)..<Int(entry.keyStart) + Int(entry.keyLength)], as: UTF8.self)
    }

    func integer(at index: Int) -> Int? {
        var digits = json[Int(entries[index].valueStart)..<Int(entries[index].valueEnd)]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }

    func string(at index: Int) -> String {
        let entry = entries[index]
        let content = json[Int(entry.valueStart)..<Int(entry.valueEnd)]
        guard entry.flag else { return String(decoding: content, as: UTF8.self) }
        return JSONReader.unescaped(content)
    }
}

/// Where a parsed text's bytes are in the original file.
struct Locator: Sendable {
    let origin: TextOrigin
    let map: OffsetMap

    func originalStart(_ offset: Int) -> Int {
        map.originalStart(origin.rewritten(offset))
    }

    func originalRange(_ range: Range<Int>) -> Range<Int> {
        let start = originalStart(range.lowerBound)
        return start..<max(start, map.originalEnd(origin.rewritten(range.upperBound)))
    }

    /// The locator of a text whose byte `i` is byte `inner.rewritten(i)` of this one's text,
    /// such as a string constant's value inside its statement; `length` is that text's.
    func through(_ inner: TextOrigin, length: Int) -> Locator {
        switch (origin, inner) {
        case (.contiguous(let outer), .contiguous(let base)):
            Locator(origin: .contiguous(base: outer + base), map: map)
        default:
            Locator(origin: .scattered((0...length).map { origin.rewritten(inner.rewritten($0)) }), map: map)
        }
    }
}

/// Where each byte of a text handed to libpg_query is in the rewritten file: a statement is
/// one stretch of it; a DO block's body loses its quoting, so its bytes may be scattered.
enum TextOrigin: Sendable {
    /// Byte `i` is byte `base + i`.
    case contiguous(base: Int)
    /// Byte `i` is byte `offsets[i]`; the last entry is where the text ends.
    case scattered([Int])

    func rewritten(_ offset: Int) -> Int {
        switch self {
        case .contiguous(let base): base + offset
        case .scattered(let offsets): offsets[min(max(offset, 0), offsets.count - 1)]
        }
    }
}
